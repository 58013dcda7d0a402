/**
 * Ports: what the runtime needs from the outside world. The Worker edge builds these from `env`
 * (src/wiring/env-ports.ts); tests and benchmarks can wrap them (metering, fault injection).
 */
import type {
  ChangeClassification,
  Job,
  JobAttempt,
  JobState,
  JobTransition,
  NormalizedResult,
  Publication,
  PublicationDecision,
  RawSnapshot,
  ScheduleConfig,
} from './types';
import type { AcceptanceCounts } from './envelope';
import type { RelatedPublication } from './pipeline';

/** A job to insert: the request's own fields of `Job` (the rest starts at its defaults), plus who and why. */
export interface NewJob
  extends Pick<
    Job,
    'id' | 'pipeline' | 'params' | 'scopeKey' | 'mode' | 'force' | 'idempotencyKey' | 'requestId' | 'parentJobId' | 'maxAttempts'
  > {
  requestedBy: string;
  now: number;
  actor: string;
  reason: string;
}

export interface JobFilter {
  state?: JobState;
  pipeline?: string;
  scopeKey?: string;
  createdFrom?: number;
  createdTo?: number;
  parentJobId?: string;
  /** Opaque cursor from a previous page: `${createdAt}:${id}` of the last row, newest first. */
  cursor?: { createdAt: number; id: string };
  limit: number;
}

export interface ClaimRequest {
  jobId: string;
  workerId: string;
  claimToken: string;
  now: number;
  leaseUntil: number;
  attemptId: string;
  /** Also read the scope's latest publication (the job's decision base) in the claim's own round trip; null: none. */
  withLatestPublication?: true;
}

/** A claimed job; `latestPublication` is set when the claim asked for it. */
export type ClaimedJob = Job & { latestPublication?: Publication | null };

/** Identifies one live claim; every write a consumer makes under its lease is conditional on it. */
export interface ClaimRef {
  jobId: string;
  claimToken: string;
  attemptNumber: number;
  attemptId: string;
}

/** The claim a write must still hold to happen. */
export interface ClaimCheck {
  jobId: string;
  claimToken: string;
}

export interface DecisionWrite {
  result: NormalizedResult;
  publication: Publication | null;
  /** Absent only for writes outside an attempt (tests, tools): then only the base is checked. */
  claim?: ClaimCheck;
  /** Sequence of the publication the decision was taken against (0: the scope had none). */
  basedOnSequence: number;
  /** Ends the job in the same transaction (the job has nothing left to do after its decision). */
  finish?: { ref: ClaimRef; outcome: JobOutcome };
  /** The attempt's raw_snapshots rows not stored yet: written in the same transaction, under the same guard. */
  snapshots?: NewSnapshot[];
}

export type DecisionCommit = { kind: 'saved'; finished: boolean; deliveries: number } | { kind: 'stale' } | { kind: 'lease_lost' };

export interface JobOutcome {
  state: Exclude<JobState, 'running' | 'cancelled'>;
  now: number;
  reason: string;
  actor: string;
  nextRetryAt?: number;
  /** A continuation (state pending): the attempt hit its time budget; no failure, no attempt budget spent. */
  continuation?: boolean;
  error?: { category: string; code: string; message: string; retryable: boolean };
  result?: Record<string, unknown>;
  parserVersion?: string;
  normalizerVersion?: string;
  startedAt: number;
  /** Final progress of the attempt (requests made / planned); written with the outcome so a finished job shows it. */
  progress?: { done: number; total: number };
  /** The attempt's raw_snapshots rows not stored yet (src/runtime/pending-snapshots.ts): written only with the finish. */
  snapshots?: NewSnapshot[];
}

export interface NewSnapshot extends Omit<RawSnapshot, 'id'> {
  id: string;
  pipeline: string;
  scopeKey: string;
}

import type { MetricsSnapshot } from './metrics';
export { ATTEMPT_DURATION_BUCKETS_MS, type MetricsSnapshot } from './metrics';

/**
 * The database port: jobs, attempts, transitions, snapshots, normalized results, publications, schedules, metrics.
 * Two implementations pass the same contract tests (test/store-contract): D1 (src/db/d1), Postgres via Hyperdrive (src/db/pg).
 */
export interface Store {
  /** Readiness: reachable and migrated. Throws with a reason otherwise. */
  checkReady(): Promise<void>;

  /** Inserts unless the idempotency key or the active (pipeline, scope) already has a job; returns which. */
  insertJob(job: NewJob): Promise<{ job: Job; created: boolean }>;
  getJob(id: string): Promise<Job | null>;
  /** The jobs with these ids in few queries (missing ids left out, any order): an operation's jobs. */
  getJobs(ids: string[]): Promise<Job[]>;
  listJobs(filter: JobFilter): Promise<Job[]>;
  listAttempts(jobId: string): Promise<JobAttempt[]>;
  listTransitions(jobId: string): Promise<JobTransition[]>;

  /** One conditional update: claimable when pending and due, or running with an expired lease. */
  claimJob(req: ClaimRequest): Promise<ClaimedJob | null>;
  /** Extends the lease (and records progress) while the claim is still ours; false when it was lost. */
  renewLease(ref: ClaimRef, now: number, leaseUntil: number, progress?: { done: number; total: number }): Promise<boolean>;
  /** Ends the attempt and moves the job, only if the claim is still ours; false when it was lost. */
  finishJob(ref: ClaimRef, outcome: JobOutcome): Promise<boolean>;
  cancelJob(jobId: string, now: number, actor: string, reason: string): Promise<Job | null>;
  /** Re-runs a failed or exhausted job: back to pending with a fresh attempt budget. */
  retryJob(jobId: string, now: number, actor: string, reason: string): Promise<Job | null>;
  /** Jobs whose message may be lost: pending and overdue, or running with an expired lease, not re-sent recently. */
  findRecoverable(now: number, overdueBefore: number, resentBefore: number, limit: number): Promise<Job[]>;
  markEnqueued(jobIds: string[], now: number): Promise<void>;
  /** Running jobs whose final attempt lost its lease can never be claimed again: end them `exhausted`. */
  exhaustExpiredFinalAttempts(now: number, actor: string): Promise<string[]>;
  /** Exhausts one job only if, at write time, it is still running on its final attempt with an expired lease. */
  exhaustJob(jobId: string, now: number, actor: string): Promise<boolean>;
  /** Running jobs whose final attempt lost its lease after their decision was saved: end them `succeeded`. */
  completeDecidedFinalAttempts(now: number, actor: string): Promise<string[]>;

  insertSnapshot(s: NewSnapshot): Promise<boolean>;
  /** Inserts the rows (identity duplicates skipped) while the claim holds, in one round trip; the ids written. */
  insertSnapshots(rows: NewSnapshot[], claim: ClaimCheck): Promise<string[]>;
  listSnapshots(jobId: string): Promise<RawSnapshot[]>;
  getSnapshotBySha(sha256: string): Promise<RawSnapshot | null>;
  /** The earliest publication of `pipeline` by another job that read these bytes (a dropped file's duplicate); or null. */
  firstPublishedWithContent(
    pipeline: string,
    sha256: string,
    exceptJobId: string,
  ): Promise<{ jobId: string; publicationId: string } | null>;

  getNormalized(jobId: string): Promise<NormalizedResult | null>;
  /** The scope's most recent normalized result of a succeeded fetch job (the source of a replay). */
  latestFetchedNormalized(pipeline: string, scopeKey: string): Promise<NormalizedResult | null>;
  /**
   * Upserts the job's normalized result with its decision and its publication (if any) in one transaction; a collision
   * on (pipeline, scope_key, sequence) or job_id throws. With a claim that no longer holds: nothing written, false.
   */
  recordDecision(result: NormalizedResult, publication: Publication | null, claim?: ClaimCheck): Promise<boolean>;
  /**
   * The publisher's write: recordDecision under the attempt's claim, only if the decision's base is still the scope's
   * latest, with `finish` the job's success too. 'stale': a newer publication landed, nothing written, decide again.
   */
  commitDecision(w: DecisionWrite): Promise<DecisionCommit>;

  latestPublication(pipeline: string, scopeKey?: string): Promise<Publication | null>;
  /** What a pipeline's `carryOver` reads from stored state (CarryReadRequest), in one round trip; none when nothing is asked. */
  carryReads(req: CarryReadRequest): Promise<CarryReads>;
  getPublication(id: string): Promise<Publication | null>;
  /** latestPublication(pipeline) of each pipeline, in one query (pipelines without one are left out). */
  latestPublications(pipelines: string[]): Promise<Publication[]>;
  listPublications(pipeline: string, scopeKey: string, beforeSequence: number | null, limit: number): Promise<Publication[]>;

  upsertSchedule(s: Omit<ScheduleConfig, 'lastEnqueuedSlot'>): Promise<void>;
  listSchedules(): Promise<ScheduleConfig[]>;
  dueSchedules(now: number, limit: number): Promise<ScheduleConfig[]>;
  /** Moves a schedule from `slot` to `nextDueAt`, only if it still sits at `slot` (one winner per slot). */
  advanceSchedule(id: string, slot: number, nextDueAt: number, now: number): Promise<boolean>;

  metrics(): Promise<MetricsSnapshot>;
}

export type { BlobInfo, BlobStore } from './blob-store';

export interface JobQueue {
  send(jobId: string, delaySec?: number): Promise<void>;
  sendMany(jobIds: string[]): Promise<void>;
}

/** The stored state a `carryOver` reads besides the previous payload (src/runtime/carry-context.ts). */
export interface CarryReadRequest {
  pipeline: string;
  scopeKey: string;
  /**
   * The scope's previous publication; null (a first publication): previousSeenAt is null. The job confirming its
   * content is the scope's latest normalized result of a succeeded fetch job (latestFetchedNormalized) when that is
   * not `excludeJobId` and hashed like the publication (an unchanged re-sync), else the publication's own job.
   */
  previous: Pick<Publication, 'jobId' | 'normalizedHash'> | null;
  /** The running job: its own earlier result never confirms the previous content. */
  excludeJobId: string;
  /** `Pipeline.related`: the scopes whose latest publication times to read; null: none. */
  related: { pipeline: string; scopeKeyPrefix: string } | null;
}

export interface CarryReads {
  /** The latest fetch time among the confirming job's snapshots of its last attempt; null without any. */
  previousSeenAt: number | null;
  /** Latest publication time of every scope of `related.pipeline` whose key starts with the prefix, by scope key. */
  related: RelatedPublication[];
}

export type NewNormalized = Omit<NormalizedResult, 'publicationDecision' | 'publicationReason' | 'changeClassification' | 'publicationId'>;

export interface PublishRequest {
  pipeline: string;
  scopeKey: string;
  jobId: string;
  force: boolean;
  now: number;
  /** The job's normalized result; saved together with the decision (and the publication) in one transaction. */
  normalized: NewNormalized;
  /** The job's scope params, copied into the envelope. */
  scope: Record<string, unknown>;
  /** The publishing attempt's claim: a consumer that lost its lease must not publish. */
  claimToken?: string;
  /** Records seen and refused (pipelines with an acceptance hook), carried into the envelope. */
  acceptance?: AcceptanceCounts;
  /**
   * The normalized document the job just stored under `normalized.payloadKey` (content-addressed, so it is those
   * bytes): the publisher uses it instead of reading it back from R2. Absent: read from R2 (older callers).
   */
  doc?: { payload: unknown; entity_hashes: Record<string, string> };
  /**
   * The scope's latest publication as the job read it (null: there was none), with its document. The publisher
   * decides against it without reading it again, and its write holds only if nothing newer landed meanwhile
   * (then it reads the newer one and decides again). Absent: the publisher reads it.
   */
  basedOn?: { publication: Publication; doc: { payload: unknown; entity_hashes: Record<string, string> } } | null;
  /**
   * Nothing follows the decision: the publisher ends the job `succeeded` in its transaction, `result` completed by the
   * decision's fields (src/runtime/job-result.ts); only when deciding against `basedOn` (the job planned on that one).
   */
  finish?: { ref: ClaimRef; outcome: Omit<JobOutcome, 'state' | 'reason' | 'result' | 'now'>; result: Record<string, unknown> };
  /** The attempt's raw_snapshots rows not stored yet: they ride the decision's write (`snapshotsSaved` says so). */
  snapshots?: NewSnapshot[];
}

export interface PublishOutcome {
  decision: PublicationDecision;
  classification: ChangeClassification;
  reason: string;
  publicationId: string | null;
  previousPublicationId: string | null;
  /** Entity keys of the previous publication when the publisher read its document (follow-ups need them). */
  previousEntityKeys?: string[];
  /** With `finish` in the request: the job's success was written with the decision; this is the job's result. */
  finishedResult?: Record<string, unknown>;
  /** Deliveries the publication fanned out to (0: no subscriber, nothing to kick). */
  deliveries?: number;
  /** The request's `snapshots` were written with the decision (else the job's finish carries them). */
  snapshotsSaved?: boolean;
}

/** Serializes the decision for one scope (a Durable Object per scope_key in production). */
export interface ScopePublisherPort {
  publish(req: PublishRequest): Promise<PublishOutcome>;
}

/** Waits until the provider's shared token bucket allows one more request. */
export interface RateLimiterPort {
  acquire(provider: string): Promise<void>;
}

export interface HttpTransport {
  fetch(url: string, init: RequestInit): Promise<Response>;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}
