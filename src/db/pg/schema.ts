/**
 * Operational tables, PostgreSQL dialect: a column-for-column mirror of the D1 schema (src/db/schema.ts) with the
 * same unique and partial indexes. Times are bigint milliseconds since the epoch (read back as JS numbers); JSON
 * columns stay text, so params and results round-trip byte for byte as on D1; flags are real booleans.
 *
 * One addition: `job_state_transitions.seq`, an identity column. D1 lists a job's transitions in `rowid` order
 * (insertion order); Postgres has no rowid, so the sequence carries that order.
 *
 * Migrations in drizzle-pg/ are generated from this file with `npm run db:generate:pg`.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { pressureCodesSql } from '../shared/pressure-sql';

const ms = (name: string) => bigint(name, { mode: 'number' });

export const ingestionJobs = pgTable(
  'ingestion_jobs',
  {
    id: text('id').primaryKey(),
    pipeline: text('pipeline').notNull(),
    params: text('params').notNull(),
    scopeKey: text('scope_key').notNull(),
    mode: text('mode').notNull().default('fetch'),
    force: boolean('force').notNull().default(false),
    state: text('state').notNull(),
    idempotencyKey: text('idempotency_key'),
    /** The request (or cron run) that created the job: carried into every log line of its execution. */
    requestId: text('request_id'),
    /** The token name that asked for the job (`scheduler` for schedules; a child job inherits its parent's). */
    requestedBy: text('requested_by'),
    parentJobId: text('parent_job_id'),
    attemptCount: integer('attempt_count').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    nextRetryAt: ms('next_retry_at').notNull(),
    claimedBy: text('claimed_by'),
    claimToken: text('claim_token'),
    claimedAt: ms('claimed_at'),
    leaseUntil: ms('lease_until'),
    lastHeartbeatAt: ms('last_heartbeat_at'),
    lastEnqueuedAt: ms('last_enqueued_at'),
    lastErrorCategory: text('last_error_category'),
    lastErrorCode: text('last_error_code'),
    lastErrorMessage: text('last_error_message'),
    lastErrorRetryable: boolean('last_error_retryable'),
    parserVersion: text('parser_version'),
    normalizerVersion: text('normalizer_version'),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total').notNull().default(0),
    resourcesFetched: integer('resources_fetched').notNull().default(0),
    snapshotsStored: integer('snapshots_stored').notNull().default(0),
    retryCount: integer('retry_count').notNull().default(0),
    result: text('result'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    finishedAt: ms('finished_at'),
  },
  (t) => [
    uniqueIndex('ingestion_jobs_idempotency_key_uq').on(t.idempotencyKey),
    // At most one pending or running job per (pipeline, scope): the enqueue dedupe, enforced by the database.
    uniqueIndex('ingestion_jobs_active_scope_uq').on(t.pipeline, t.scopeKey).where(sql`state IN ('pending', 'running')`),
    index('ingestion_jobs_state_due_idx').on(t.state, t.nextRetryAt),
    index('ingestion_jobs_created_idx').on(t.createdAt, t.id),
    index('ingestion_jobs_scope_idx').on(t.pipeline, t.scopeKey, t.createdAt),
    index('ingestion_jobs_parent_idx').on(t.parentJobId),
    // The console's state filters, newest first, and (covering) its counts by state and pipeline with their retries.
    index('ingestion_jobs_state_created_idx').on(t.state, t.createdAt, t.id, t.pipeline, t.retryCount),
    // A pipeline's jobs newest first (the console's pipeline filter, the import ledger's adoption scan).
    index('ingestion_jobs_pipeline_created_idx').on(t.pipeline, t.createdAt, t.id),
    // Only jobs whose latest error is a pressure code have an entry: the overview's "blocked now" reads these.
    index('ingestion_jobs_pressure_idx').on(t.updatedAt).where(pressureCodesSql()),
  ],
);

export const jobAttempts = pgTable(
  'job_attempts',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id').notNull(),
    attemptNumber: integer('attempt_number').notNull(),
    workerId: text('worker_id').notNull(),
    state: text('state').notNull(),
    errorCategory: text('error_category'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    retryable: boolean('retryable'),
    startedAt: ms('started_at').notNull(),
    finishedAt: ms('finished_at'),
    durationMs: ms('duration_ms'),
  },
  (t) => [uniqueIndex('job_attempts_job_attempt_uq').on(t.jobId, t.attemptNumber)],
);

export const jobStateTransitions = pgTable(
  'job_state_transitions',
  {
    id: text('id').primaryKey(),
    /** Insertion order (D1's rowid): transitions are listed by it, not by `at`. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    jobId: text('job_id').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    reason: text('reason').notNull(),
    actor: text('actor').notNull(),
    /** On whose behalf the transition happened: a token name, `scheduler`, `sweeper`, or the job's requester for the worker's own steps. */
    requestedBy: text('requested_by'),
    attemptNumber: integer('attempt_number'),
    at: ms('at').notNull(),
  },
  (t) => [index('job_state_transitions_job_idx').on(t.jobId, t.seq)],
);

export const rawSnapshots = pgTable(
  'raw_snapshots',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id').notNull(),
    attemptNumber: integer('attempt_number').notNull(),
    pipeline: text('pipeline').notNull(),
    scopeKey: text('scope_key').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceKey: text('resource_key').notNull(),
    url: text('url').notNull(),
    status: integer('status').notNull(),
    contentType: text('content_type'),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    fetchedAt: ms('fetched_at').notNull(),
  },
  (t) => [
    uniqueIndex('raw_snapshots_identity_uq').on(t.jobId, t.attemptNumber, t.resourceType, t.resourceKey, t.sha256),
    index('raw_snapshots_sha_idx').on(t.sha256),
  ],
);

export const normalizedResults = pgTable(
  'normalized_results',
  {
    jobId: text('job_id').primaryKey(),
    pipeline: text('pipeline').notNull(),
    scopeKey: text('scope_key').notNull(),
    sourceSnapshotHash: text('source_snapshot_hash').notNull(),
    normalizedHash: text('normalized_hash').notNull(),
    parserVersion: text('parser_version').notNull(),
    normalizerVersion: text('normalizer_version').notNull(),
    entityCount: integer('entity_count').notNull(),
    payloadKey: text('payload_key').notNull(),
    publicationDecision: text('publication_decision'),
    publicationReason: text('publication_reason'),
    changeClassification: text('change_classification'),
    publicationId: text('publication_id'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [index('normalized_results_scope_idx').on(t.pipeline, t.scopeKey, t.createdAt)],
);

export const publishedResults = pgTable(
  'published_results',
  {
    id: text('id').primaryKey(),
    pipeline: text('pipeline').notNull(),
    scopeKey: text('scope_key').notNull(),
    jobId: text('job_id').notNull(),
    sequence: integer('sequence').notNull(),
    supersedesId: text('supersedes_id'),
    sourceSnapshotHash: text('source_snapshot_hash').notNull(),
    normalizedHash: text('normalized_hash').notNull(),
    envelopeHash: text('envelope_hash').notNull(),
    publicationDecision: text('publication_decision').notNull(),
    changeClassification: text('change_classification').notNull(),
    publicationReason: text('publication_reason').notNull(),
    parserVersion: text('parser_version').notNull(),
    normalizerVersion: text('normalizer_version').notNull(),
    entityCount: integer('entity_count').notNull(),
    addedCount: integer('added_count').notNull(),
    removedCount: integer('removed_count').notNull(),
    changedCount: integer('changed_count').notNull(),
    payloadKey: text('payload_key').notNull(),
    envelopeKey: text('envelope_key').notNull(),
    publishedAt: ms('published_at').notNull(),
  },
  (t) => [
    uniqueIndex('published_results_job_uq').on(t.jobId),
    // A scope's publications form one chain: two publishers can never both append the same link.
    uniqueIndex('published_results_scope_seq_uq').on(t.pipeline, t.scopeKey, t.sequence),
    index('published_results_published_idx').on(t.publishedAt), // the console's publications per hour
  ],
);

export const scheduleConfigs = pgTable(
  'schedule_configs',
  {
    id: text('id').primaryKey(),
    pipeline: text('pipeline').notNull(),
    params: text('params').notNull(),
    cron: text('cron').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    nextDueAt: ms('next_due_at').notNull(),
    lastEnqueuedSlot: ms('last_enqueued_slot'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [index('schedule_configs_due_idx').on(t.enabled, t.nextDueAt)],
);

/** Snapshot import ledger: mirror of import_runs / import_files in src/db/schema.ts. */
export const importRuns = pgTable(
  'import_runs',
  {
    id: text('id').primaryKey(),
    trigger: text('trigger').notNull(),
    prefix: text('prefix').notNull(),
    requestedBy: text('requested_by'),
    filesSeen: integer('files_seen').notNull().default(0),
    queued: integer('queued').notNull().default(0),
    imported: integer('imported').notNull().default(0),
    duplicate: integer('duplicate').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    startedAt: ms('started_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    finishedAt: ms('finished_at'),
  },
  (t) => [index('import_runs_started_idx').on(t.startedAt)],
);

export const importFiles = pgTable(
  'import_files',
  {
    id: text('id').primaryKey(),
    runId: text('run_id').notNull(),
    key: text('key').notNull(),
    size: ms('size').notNull(),
    etag: text('etag').notNull(),
    sha256: text('sha256'),
    status: text('status').notNull(),
    recordCount: integer('record_count'),
    problemCount: integer('problem_count').notNull().default(0),
    problems: text('problems'),
    problemsPreview: text('problems_preview'), // the first IMPORT_PROBLEMS_PREVIEW problems: what listings read
    jobId: text('job_id'),
    publicationIds: text('publication_ids'),
    settledKey: text('settled_key'),
    /** For a duplicate: the import file whose identical bytes were imported first. */
    duplicateOf: text('duplicate_of'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('import_files_object_uq').on(t.key, t.etag),
    index('import_files_status_idx').on(t.status, t.createdAt, t.id), // newest first, with the listing's id tie-break
    index('import_files_sha_idx').on(t.sha256),
    index('import_files_run_idx').on(t.runId),
    index('import_files_job_idx').on(t.jobId),
  ],
);

/** Push delivery (transactional outbox): mirrors src/db/schema.ts. */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  description: text('description'),
  pipelines: text('pipelines').notNull(),
  scopeFilter: text('scope_filter').notNull(),
  secret: text('secret').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdBy: text('created_by'),
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id').notNull(),
    publicationId: text('publication_id').notNull(),
    pipeline: text('pipeline').notNull(),
    scopeKey: text('scope_key').notNull(),
    sequence: integer('sequence').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ms('next_attempt_at').notNull(),
    lastEnqueuedAt: ms('last_enqueued_at'),
    lastAttemptAt: ms('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: ms('delivered_at'),
    latencyMs: integer('latency_ms'),
    durationMs: integer('duration_ms'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_pub_sub_uq').on(t.publicationId, t.subscriptionId),
    index('webhook_deliveries_stream_idx').on(t.subscriptionId, t.pipeline, t.scopeKey, t.sequence),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
  ],
);
