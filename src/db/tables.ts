/** The operational tables every store must have; readiness checks them on D1 and on Postgres alike. */
export const REQUIRED_TABLES = [
  'ingestion_jobs',
  'job_attempts',
  'job_state_transitions',
  'raw_snapshots',
  'normalized_results',
  'published_results',
  'schedule_configs',
] as const;
