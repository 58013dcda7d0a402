/** Prometheus text exposition of the operational metrics. */
import type { MetricsSnapshot } from '../../core/ports';

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function renderMetrics(m: MetricsSnapshot, now: number): string {
  const lines: string[] = [
    '# HELP ingestion_jobs Jobs by state and pipeline.',
    '# TYPE ingestion_jobs gauge',
    ...m.jobsByStateAndPipeline.map((r) => `ingestion_jobs{state="${esc(r.state)}",pipeline="${esc(r.pipeline)}"} ${r.count}`),
    '# HELP ingestion_job_attempts_total Attempts by outcome.',
    '# TYPE ingestion_job_attempts_total counter',
    ...m.attemptsByOutcome.map((r) => `ingestion_job_attempts_total{state="${esc(r.state)}"} ${r.count}`),
    '# HELP ingestion_attempt_errors_total Failed attempts by error code (PROVIDER_BLOCKED: challenges and block pages).',
    '# TYPE ingestion_attempt_errors_total counter',
    ...m.attemptErrorsByCode.map((r) => `ingestion_attempt_errors_total{code="${esc(r.code)}"} ${r.count}`),
    '# HELP ingestion_job_retries_total Retries scheduled after retryable failures.',
    '# TYPE ingestion_job_retries_total counter',
    `ingestion_job_retries_total ${m.retriesTotal}`,
    '# HELP ingestion_oldest_pending_age_seconds Age of the oldest pending job.',
    '# TYPE ingestion_oldest_pending_age_seconds gauge',
    `ingestion_oldest_pending_age_seconds ${m.oldestPendingCreatedAt === null ? 0 : Math.max(0, (now - m.oldestPendingCreatedAt) / 1000)}`,
    '# HELP ingestion_publications_total Publications written.',
    '# TYPE ingestion_publications_total counter',
    `ingestion_publications_total ${m.publicationsTotal}`,
  ];
  return `${lines.join('\n')}\n`;
}
