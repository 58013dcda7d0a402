/**
 * A job's metrics (issue 19, seed 003's IngestionMetrics): records seen, accepted and rejected by rule (what the
 * pipeline's acceptance hook reported, kept in the job's result), provider requests, duration over all attempts
 * and the throughput that gives. Read from stored rows only, so a finished job shows the same figures forever.
 */
import type { JobAttempt } from './types';

export interface JobMetrics {
  records_seen: number | null;
  accepted: number | null;
  rejected: number | null;
  rejected_by_rule: Record<string, number>;
  provider_requests: number | null;
  attempts: number;
  /** Sum of finished attempts' durations (a continuation's attempts add up; queue waits between them do not). */
  duration_ms: number | null;
  records_per_s: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function jobMetrics(result: Record<string, unknown> | null, attempts: readonly Pick<JobAttempt, 'durationMs'>[]): JobMetrics {
  const acc = (result?.acceptance ?? null) as Record<string, unknown> | null;
  const durations = attempts.map((a) => a.durationMs).filter((d): d is number => d !== null);
  const duration = durations.length ? durations.reduce((a, b) => a + b, 0) : null;
  const seen = num(acc?.records_seen);
  const byRule = acc?.rejected_by_rule;
  return {
    records_seen: seen,
    accepted: num(acc?.accepted),
    rejected: num(acc?.rejected),
    rejected_by_rule: byRule && typeof byRule === 'object' ? (byRule as Record<string, number>) : {},
    provider_requests: num(result?.provider_requests),
    attempts: attempts.length,
    duration_ms: duration,
    records_per_s: seen !== null && duration ? seen / (duration / 1000) : null,
  };
}
