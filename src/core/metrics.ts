/** The operational metrics snapshot a Store reports (rendered by src/worker/http/metrics.ts). */
export interface MetricsSnapshot {
  jobsByStateAndPipeline: Array<{ state: string; pipeline: string; count: number }>;
  attemptsByOutcome: Array<{ state: string; count: number }>;
  /** Failed attempts by error code (PROVIDER_BLOCKED counts challenges), for alerting on blocks and drift. */
  attemptErrorsByCode: Array<{ code: string; count: number }>;
  retriesTotal: number;
  oldestPendingCreatedAt: number | null;
  publicationsTotal: number;
  /** Seed 001's golden signals, by pipeline. */
  retriesByPipeline: Array<{ pipeline: string; count: number }>;
  /** Finished attempts: cumulative counts at each ATTEMPT_DURATION_BUCKETS_MS bound, plus count and sum. */
  attemptDurations: Array<{ pipeline: string; count: number; sumMs: number; buckets: number[] }>;
  /** Publication decisions of normalized results (SKIP_NO_CHANGE is the no-change share). */
  decisionsByPipeline: Array<{ pipeline: string; decision: string; count: number }>;
  latestPublicationByPipeline: Array<{ pipeline: string; at: number }>;
  /** The earliest next_due_at of an enabled schedule (in the past: a schedule the cron has not caught up with). */
  oldestDueScheduleAt: number | null;
  /**
   * Records (rows, lines, selections) pipelines reported through their acceptance hook, and provider requests,
   * summed over finished jobs' results by pipeline (issue 19's job metrics).
   */
  recordsByPipeline: Array<{ pipeline: string; seen: number; accepted: number; rejected: number; providerRequests: number }>;
  /** Rejected records by pipeline and rule (a job's `acceptance.rejected_by_rule`, summed; kept on threshold failures). */
  rejectionsByRule: Array<{ pipeline: string; rule: string; count: number }>;
}

/** Upper bounds (ms) of the attempt duration histogram. */
export const ATTEMPT_DURATION_BUCKETS_MS = [100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000] as const;
