/** Prometheus text exposition of the operational metrics. */
import { ATTEMPT_DURATION_BUCKETS_MS, type MetricsSnapshot } from '../../core/ports';

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
    ...goldenSignals(m, now),
    ...recordSignals(m),
  ];
  return `${lines.join('\n')}\n`;
}

const age = (now: number, at: number | null) => (at === null ? 0 : Math.max(0, (now - at) / 1000));

/** Seed 001's golden signals: retries and dead letters by pipeline, attempt durations, no-change rate, staleness. */
function goldenSignals(m: MetricsSnapshot, now: number): string[] {
  const lines = [
    '# HELP ingestion_job_retries_by_pipeline_total Retries scheduled after retryable failures, by pipeline.',
    '# TYPE ingestion_job_retries_by_pipeline_total counter',
    ...m.retriesByPipeline.map((r) => `ingestion_job_retries_by_pipeline_total{pipeline="${esc(r.pipeline)}"} ${r.count}`),
    '# HELP ingestion_jobs_dead_lettered Jobs that ended without a result: exhausted (out of attempts) or failed (non-retryable).',
    '# TYPE ingestion_jobs_dead_lettered gauge',
    ...m.jobsByStateAndPipeline
      .filter((r) => r.state === 'exhausted' || r.state === 'failed')
      .map((r) => `ingestion_jobs_dead_lettered{pipeline="${esc(r.pipeline)}",state="${r.state}"} ${r.count}`),
    '# HELP ingestion_attempt_duration_seconds Duration of finished attempts, by pipeline.',
    '# TYPE ingestion_attempt_duration_seconds histogram',
  ];
  for (const d of m.attemptDurations) {
    const p = esc(d.pipeline);
    ATTEMPT_DURATION_BUCKETS_MS.forEach((le, i) => {
      lines.push(`ingestion_attempt_duration_seconds_bucket{pipeline="${p}",le="${le / 1000}"} ${d.buckets[i]}`);
    });
    lines.push(`ingestion_attempt_duration_seconds_bucket{pipeline="${p}",le="+Inf"} ${d.count}`);
    lines.push(`ingestion_attempt_duration_seconds_sum{pipeline="${p}"} ${d.sumMs / 1000}`);
    lines.push(`ingestion_attempt_duration_seconds_count{pipeline="${p}"} ${d.count}`);
  }
  lines.push(
    '# HELP ingestion_publication_decisions_total Publication decisions of normalized results, by pipeline.',
    '# TYPE ingestion_publication_decisions_total counter',
  );
  const totals = new Map<string, { all: number; same: number }>();
  for (const r of m.decisionsByPipeline) {
    lines.push(`ingestion_publication_decisions_total{pipeline="${esc(r.pipeline)}",decision="${esc(r.decision)}"} ${r.count}`);
    const t = totals.get(r.pipeline) ?? { all: 0, same: 0 };
    t.all += r.count;
    if (r.decision === 'SKIP_NO_CHANGE') t.same += r.count;
    totals.set(r.pipeline, t);
  }
  lines.push(
    '# HELP ingestion_no_change_ratio Share of decisions that found nothing new (SKIP_NO_CHANGE), by pipeline.',
    '# TYPE ingestion_no_change_ratio gauge',
  );
  for (const [pipeline, t] of totals) lines.push(`ingestion_no_change_ratio{pipeline="${esc(pipeline)}"} ${t.all ? t.same / t.all : 0}`);
  lines.push(
    '# HELP ingestion_latest_publication_age_seconds Age of the newest publication, by pipeline (staleness).',
    '# TYPE ingestion_latest_publication_age_seconds gauge',
    ...m.latestPublicationByPipeline.map(
      (r) => `ingestion_latest_publication_age_seconds{pipeline="${esc(r.pipeline)}"} ${age(now, r.at)}`,
    ),
    '# HELP ingestion_oldest_due_schedule_age_seconds How long the most overdue enabled schedule has been due (0: none due).',
    '# TYPE ingestion_oldest_due_schedule_age_seconds gauge',
    `ingestion_oldest_due_schedule_age_seconds ${age(now, m.oldestDueScheduleAt)}`,
  );
  return lines;
}

/** Issue 19's job metrics summed by pipeline: records seen/accepted/rejected (and by rule), provider requests, throughput. */
function recordSignals(m: MetricsSnapshot): string[] {
  const seconds = new Map(m.attemptDurations.map((d) => [d.pipeline, d.sumMs / 1000]));
  const lines = [
    '# HELP ingestion_records_total Records pipelines validated (rows, lines, selections), by pipeline and outcome.',
    '# TYPE ingestion_records_total counter',
  ];
  for (const r of m.recordsByPipeline) {
    const p = esc(r.pipeline);
    lines.push(
      `ingestion_records_total{pipeline="${p}",outcome="seen"} ${r.seen}`,
      `ingestion_records_total{pipeline="${p}",outcome="accepted"} ${r.accepted}`,
      `ingestion_records_total{pipeline="${p}",outcome="rejected"} ${r.rejected}`,
    );
  }
  lines.push(
    '# HELP ingestion_records_rejected_total Rejected records by pipeline and validation rule.',
    '# TYPE ingestion_records_rejected_total counter',
    ...m.rejectionsByRule.map((r) => `ingestion_records_rejected_total{pipeline="${esc(r.pipeline)}",rule="${esc(r.rule)}"} ${r.count}`),
    '# HELP ingestion_provider_requests_total Provider requests made by finished jobs, by pipeline.',
    '# TYPE ingestion_provider_requests_total counter',
    ...m.recordsByPipeline.map((r) => `ingestion_provider_requests_total{pipeline="${esc(r.pipeline)}"} ${r.providerRequests}`),
    '# HELP ingestion_record_throughput_per_second Records seen per second of attempt time, by pipeline.',
    '# TYPE ingestion_record_throughput_per_second gauge',
  );
  for (const r of m.recordsByPipeline) {
    const s = seconds.get(r.pipeline) ?? 0;
    if (r.seen > 0 && s > 0) lines.push(`ingestion_record_throughput_per_second{pipeline="${esc(r.pipeline)}"} ${r.seen / s}`);
  }
  return lines;
}
