/**
 * What a new job, a claim and a finish write, in either store, and the look-up of the job a conflicting insert met.
 * How those writes are made atomic with their transition rows and guarded by the claim stays per dialect
 * (src/db/{d1,pg}/jobs.ts): D1 runs one batch whose statements are each conditional on the claim token, Postgres a
 * transaction (the claim under a SKIP LOCKED row lock).
 */
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { FinishEffects } from '../../core/job-transitions';
import type { ClaimRef, ClaimRequest, JobOutcome, NewJob } from '../../core/ports';
import type { Job } from '../../core/types';
import type { Dialect, Schema } from './dialect';
import { toJob } from './rows';

type Jobs = Schema['ingestionJobs'];
const ACTIVE = ['pending', 'running'];

/** A new job's row, pending and due now; the dialect adds `force`, a flag it stores its own way. */
export const newJobRow = (j: NewJob) => ({
  id: j.id,
  pipeline: j.pipeline,
  params: JSON.stringify(j.params),
  scopeKey: j.scopeKey,
  mode: j.mode,
  state: 'pending',
  idempotencyKey: j.idempotencyKey,
  requestId: j.requestId,
  requestedBy: j.requestedBy,
  parentJobId: j.parentJobId,
  maxAttempts: j.maxAttempts,
  nextRetryAt: j.now,
  lastEnqueuedAt: j.now,
  createdAt: j.now,
  updatedAt: j.now,
});

/** What a claim sets on the job: running under the new token and lease, one attempt more, progress reset. */
export const claimSet = (jobs: Jobs, r: ClaimRequest) => ({
  state: 'running',
  attemptCount: sql`${jobs.attemptCount} + 1`,
  claimedBy: r.workerId,
  claimToken: r.claimToken,
  claimedAt: r.now,
  leaseUntil: r.leaseUntil,
  lastHeartbeatAt: r.now,
  progressDone: 0,
  progressTotal: 0,
  updatedAt: r.now,
});

/** The marker token a finished claim keeps: the old token can no longer match, and the finish's own writes find the row. */
export const finishedToken = (ref: ClaimRef) => `fin:${ref.claimToken}`;

/** What a finish sets on the job; `retryable` is the error's flag as the dialect stores it. */
export function finishSet<F>(jobs: Jobs, ref: ClaimRef, o: JobOutcome, fx: FinishEffects, retryable: F | null) {
  return {
    state: o.state,
    ...(o.nextRetryAt !== undefined ? { nextRetryAt: o.nextRetryAt } : {}),
    leaseUntil: null,
    // A terminal job keeps the worker that finished it.
    ...(fx.terminal ? {} : { claimedBy: null }),
    claimToken: finishedToken(ref),
    lastErrorCategory: o.error?.category ?? null,
    lastErrorCode: o.error?.code ?? null,
    lastErrorMessage: o.error?.message ?? null,
    lastErrorRetryable: retryable,
    ...(o.state === 'pending' ? { lastEnqueuedAt: o.now } : {}),
    retryCount: sql`${jobs.retryCount} + ${fx.retryCountDelta}`,
    maxAttempts: sql`${jobs.maxAttempts} + ${fx.maxAttemptsDelta}`,
    ...(o.parserVersion ? { parserVersion: o.parserVersion } : {}),
    ...(o.normalizerVersion ? { normalizerVersion: o.normalizerVersion } : {}),
    ...(o.result ? { result: JSON.stringify(o.result) } : {}),
    ...(o.progress ? { progressDone: o.progress.done, progressTotal: o.progress.total } : {}),
    updatedAt: o.now,
    finishedAt: fx.terminal ? o.now : null,
  };
}

/** What a finish sets on its attempt. */
export const attemptCloseSet = <F>(o: JobOutcome, fx: FinishEffects, retryable: F | null) => ({
  state: fx.attemptState,
  errorCategory: o.error?.category ?? null,
  errorCode: o.error?.code ?? null,
  errorMessage: o.error?.message ?? null,
  retryable,
  finishedAt: o.now,
  durationMs: o.now - o.startedAt,
});

/** The job a conflicting insert met: the one with the idempotency key, or the scope's active one. */
export async function findDuplicate({ q, t }: Dialect, j: NewJob): Promise<Job | null> {
  const jobs = t.ingestionJobs;
  const activeScope = and(eq(jobs.pipeline, j.pipeline), eq(jobs.scopeKey, j.scopeKey), inArray(jobs.state, ACTIVE));
  const match: SQL | undefined = j.idempotencyKey ? or(eq(jobs.idempotencyKey, j.idempotencyKey), activeScope) : activeScope;
  const rows = await q.select().from(jobs).where(match).orderBy(desc(jobs.createdAt)).limit(1);
  return rows[0] ? toJob(rows[0]) : null;
}
