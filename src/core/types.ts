/**
 * Terminology
 * -----------
 * job          One durable unit of work: run one pipeline for one scope. Row in `ingestion_jobs`; the row is the
 *              truth, a queue message only says "look at job X".
 * pipeline     A provider plug-in (`liverc.event_deep`): params schema, scope key, plan, parse, normalize
 *              (src/core/pipeline.ts).
 * provider profile  What the transport knows of one provider, shared by its pipelines: hosts, rate, burst, block
 *              detection, session (src/core/provider.ts; one per provider in its folder's provider.ts).
 * scope_key    Canonical string naming what a job is about (`event_id=486677`); publications are per
 *              (pipeline, scope_key).
 * entity key   A pipeline's stable id for one entity of its output (`race:6304829`); entity hashes under these keys
 *              are what added/removed/changed counts and drift checks compare.
 * attempt      One execution of a job by one consumer; `attempt_count` grows on every claim.
 * claim token  A fresh random token written by each claim; every write under the lease is conditional on it, so a
 *              consumer that lost its lease can no longer change the job.
 * lease        A claim's expiry (`lease_until`), renewed by heartbeats; an expired lease makes the job claimable.
 * plan         `pipeline.plan(params, fetched)`: the resources still wanted given what was fetched so far.
 * round        One call of plan and the fetching of what it returned; a job runs at most `maxRounds` (default 5),
 *              a request already made is never made again (src/runtime/fetch-resources.ts, the one fetch loop).
 * resource     One thing a plan asks for (resource type + resource key + URL or object key); fetched, it becomes a
 *              snapshot.
 * source       Where a resource's bytes come from (`http` or `r2`); settle: what happens to a file after its job
 *              ended. Both, with locator, file trigger and rejection, are defined in src/core/source.ts.
 * continuation An attempt that hit its time budget ends `pending` without spending the attempt budget; the next
 *              attempt reuses what was fetched (src/runtime/continuation.ts).
 * snapshot     One raw provider response, stored in R2 by sha256 and recorded in `raw_snapshots`. Its row rides
 *              the attempt's next guarded write (the decision batch, or the finish), not a round trip of its own
 *              (src/runtime/pending-snapshots.ts); an R2-sourced file's evidence is the FILES object itself.
 * streamed parse  `pipeline.parseStream`: a one-file R2 plan read as a stream (hashed, decompressed and parsed
 *              as the bytes pass, never held whole: src/runtime/stream-source.ts); other plans take the bytes path.
 * normalized   The canonical, validated output of parse + normalize for one job (`normalized_results`).
 * _field       A leading underscore marks an output field as not hashed: canonical JSON skips it, so diagnostics
 *              (`_anomalies`, `_activity`) never make a publication (src/core/canonical-json.ts).
 * scope publisher  The Durable Object per (pipeline, scope_key) that serializes the publication decision
 *              (src/durable/scope-publisher.ts running src/runtime/publish-scope.ts).
 * decision     What the scope publisher concluded for a normalized result (publish, skip, hold).
 * drift hold   HOLD_DRIFT: a result that lost most of the previous entities is held, not published, until a
 *              forced run releases it (src/core/decision.ts).
 * publication  An envelope handed downstream (`published_results`), only when something materially changed.
 * envelope     The published document: payload, scope, hashes, versions, lineage (src/core/envelope.ts); stored
 *              once under envelopes/<publication_id>, never overwritten.
 * replay       A job in mode `replay`: re-normalizes the scope's last successful fetch from its stored snapshots with
 *              the current code, no provider request (loadReplaySnapshots; bulk: src/runtime/renormalize.ts).
 * follow-up    A child job a pipeline asks for from its output (`followUps`, e.g. one event_deep per new event).
 * schedule slot  One due time of a cron schedule; a schedule enqueues at most one job per slot.
 * sweeper      The cron task that re-sends jobs whose queue message was lost and exhausts dead final attempts
 *              (src/runtime/cron-tasks.ts).
 */

export const JOB_STATES = ['pending', 'running', 'succeeded', 'failed', 'exhausted', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const TERMINAL_STATES: readonly JobState[] = ['succeeded', 'failed', 'exhausted', 'cancelled'];

export const JOB_MODES = ['fetch', 'replay'] as const;
export type JobMode = (typeof JOB_MODES)[number];

export interface Job {
  id: string;
  pipeline: string;
  params: Record<string, unknown>;
  scopeKey: string;
  mode: JobMode;
  force: boolean;
  state: JobState;
  idempotencyKey: string | null;
  requestId: string | null;
  /** The token name that asked for the job; `scheduler` for a schedule's; a child inherits its parent's. */
  requestedBy: string | null;
  parentJobId: string | null;
  attemptCount: number;
  maxAttempts: number;
  nextRetryAt: number;
  claimedBy: string | null;
  claimToken: string | null;
  claimedAt: number | null;
  leaseUntil: number | null;
  lastHeartbeatAt: number | null;
  lastEnqueuedAt: number | null;
  lastErrorCategory: string | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  lastErrorRetryable: boolean | null;
  parserVersion: string | null;
  normalizerVersion: string | null;
  progressDone: number;
  progressTotal: number;
  resourcesFetched: number;
  snapshotsStored: number;
  retryCount: number;
  result: Record<string, unknown> | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface JobAttempt {
  id: string;
  jobId: string;
  attemptNumber: number;
  workerId: string;
  state: 'running' | 'succeeded' | 'failed';
  errorCategory: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  retryable: boolean | null;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
}

export interface JobTransition {
  id: string;
  jobId: string;
  fromState: JobState | null;
  toState: JobState;
  reason: string;
  actor: string;
  /** On whose behalf: a token name, `scheduler`, `sweeper`, or the job's requester for the worker's own steps. */
  requestedBy: string | null;
  attemptNumber: number | null;
  at: number;
}

export interface RawSnapshot {
  id: string;
  jobId: string;
  attemptNumber: number;
  resourceType: string;
  resourceKey: string;
  url: string;
  status: number;
  contentType: string | null;
  sizeBytes: number;
  sha256: string;
  fetchedAt: number;
}

export const CHANGE_CLASSIFICATIONS = [
  'FIRST_PUBLICATION',
  'NO_CHANGE',
  'CONTENT_CHANGED',
  'NORMALIZATION_CHANGED',
  'REPUBLISH_FORCED',
  'DRIFT_SUSPECTED',
] as const;
export type ChangeClassification = (typeof CHANGE_CLASSIFICATIONS)[number];

export const PUBLICATION_DECISIONS = ['PUBLISH_FIRST', 'SKIP_NO_CHANGE', 'PUBLISH_CHANGED', 'PUBLISH_FORCED', 'HOLD_DRIFT'] as const;
export type PublicationDecision = (typeof PUBLICATION_DECISIONS)[number];

export interface NormalizedResult {
  jobId: string;
  pipeline: string;
  scopeKey: string;
  sourceSnapshotHash: string;
  normalizedHash: string;
  parserVersion: string;
  normalizerVersion: string;
  entityCount: number;
  /** R2 key of the canonical payload and its entity hashes (content-addressed by normalizedHash). */
  payloadKey: string;
  publicationDecision: PublicationDecision | null;
  publicationReason: string | null;
  changeClassification: ChangeClassification | null;
  publicationId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Publication {
  id: string;
  pipeline: string;
  scopeKey: string;
  jobId: string;
  sequence: number;
  supersedesId: string | null;
  sourceSnapshotHash: string;
  normalizedHash: string;
  envelopeHash: string;
  publicationDecision: PublicationDecision;
  changeClassification: ChangeClassification;
  publicationReason: string;
  parserVersion: string;
  normalizerVersion: string;
  entityCount: number;
  addedCount: number;
  removedCount: number;
  changedCount: number;
  /** R2 key of the normalized payload this publication carries (its entity hashes are the next diff's base). */
  payloadKey: string;
  /** R2 key of the full envelope JSON. */
  envelopeKey: string;
  publishedAt: number;
}

export interface ScheduleConfig {
  id: string;
  pipeline: string;
  params: Record<string, unknown>;
  cron: string;
  enabled: boolean;
  nextDueAt: number;
  lastEnqueuedSlot: number | null;
  createdAt: number;
  updatedAt: number;
}
