/**
 * One delivery of one job: claim it (or acknowledge and log why not), run it under a renewed lease, and end in
 * exactly one of succeeded | pending (retry, with a delayed message) | failed | exhausted.
 */
import { retryDelaySec } from '../core/backoff';
import { classifyError } from '../core/errors';
import type { ClaimRef } from '../core/ports';
import { TERMINAL_STATES, type Job } from '../core/types';
import { getPipeline, getProvider } from '../pipelines/registry';
import type { RuntimeDeps } from './deps';
import { ContinuationSignal, nextContinuation } from './continuation';
import { LeaseKeeper } from './lease';
import { unknownPipeline } from './lookups';
import { PendingSnapshots } from './pending-snapshots';
import { runAttempt } from './run-attempt';
import { settleFinishedJob } from './settle';

export type JobMessageOutcome =
  | { kind: 'skipped'; reason: 'unknown' | 'finished' | 'claimed_elsewhere' | 'not_due' | 'no_attempts_left' }
  | { kind: 'succeeded'; result: Record<string, unknown> }
  | { kind: 'retry'; delaySec: number; code: string }
  | { kind: 'continued'; done: number; total: number }
  | { kind: 'failed' | 'exhausted'; code: string }
  | { kind: 'lease_lost' };

/** Outcomes after which the job may be final (a lost lease may mean an operator cancelled it). */
const FINAL_KINDS: ReadonlySet<JobMessageOutcome['kind']> = new Set(['succeeded', 'failed', 'exhausted', 'lease_lost']);

export async function handleJobMessage(deps: RuntimeDeps, jobId: string): Promise<JobMessageOutcome> {
  const seen: { pipeline?: string } = {};
  const outcome = await claimAndRun(deps, jobId, seen);
  // Settle after the final transition, outside the attempt: a settle that fails throws to the consumer, the queue
  // redelivers, and the redelivery (the job is finished by then) settles again. Moves are idempotent.
  if (seen.pipeline && (FINAL_KINDS.has(outcome.kind) || (outcome.kind === 'skipped' && outcome.reason === 'finished'))) {
    await settleFinishedJob(deps, jobId, seen.pipeline);
    const hook = deps.afterSettle;
    if (hook?.pipelines(seen.pipeline)) {
      const job = await deps.store.getJob(jobId);
      if (job) await hook.run(job).catch((err) => deps.log.warn('after-settle hook failed', { job_id: jobId, error: String(err) }));
    }
  }
  return outcome;
}

async function claimAndRun(deps: RuntimeDeps, jobId: string, seen: { pipeline?: string }): Promise<JobMessageOutcome> {
  const now = deps.now();
  const claimToken = crypto.randomUUID();
  const attemptId = crypto.randomUUID();
  const leaseMs = deps.config.leaseDurationSec * 1000;
  const job = await deps.store.claimJob({
    jobId,
    workerId: deps.workerId,
    claimToken,
    now,
    leaseUntil: now + leaseMs,
    attemptId,
    withLatestPublication: true, // the decision's base, read in the claim's own round trip
  });
  if (!job) return explainUnclaimable(deps, jobId, now, seen);
  seen.pipeline = job.pipeline;

  const ref: ClaimRef = { jobId, claimToken, attemptNumber: job.attemptCount, attemptId };
  const log = deps.log.child({
    request_id: job.requestId,
    job_id: job.id,
    attempt: job.attemptCount,
    pipeline: job.pipeline,
    scope_key: job.scopeKey,
  });
  log.info('job claimed', { state: 'running' });
  const heartbeatMs = deps.config.heartbeatIntervalSec * 1000;
  const lease = new LeaseKeeper(deps.store, ref, leaseMs, heartbeatMs, deps.now, log).start();
  // Rows wait for the decision or the finish, or one heartbeat at most on a long plan (src/runtime/pending-snapshots.ts).
  const pending = new PendingSnapshots(heartbeatMs);
  const leaseLost = () => lostClaim(deps, pending, log);
  const startedAt = now;
  const pipeline = getPipeline(job.pipeline);
  const versions = pipeline ? { parserVersion: pipeline.parserVersion, normalizerVersion: pipeline.normalizerVersion } : {};
  // What every finish of this attempt records beside its own state: who, since when, how far, its evidence rows.
  const attempt = () => ({ actor: deps.workerId, startedAt, progress: lease.currentProgress, snapshots: pending.rows, ...versions });
  try {
    if (!pipeline) throw unknownPipeline(job.pipeline);
    // No profile is fine for a pipeline that reads only files: the http source refuses (UNKNOWN_PROVIDER) if asked.
    const profile = getProvider(pipeline.provider) ?? null;
    const { result, finished } = await runAttempt(deps, job, pipeline, profile, ref, lease, log, pending, startedAt);
    lease.stop();
    // The publisher wrote the success with the decision (one transaction) when nothing followed it.
    const ok =
      finished ||
      (await deps.store.finishJob(ref, {
        state: 'succeeded',
        now: deps.now(),
        reason: String(result.summary),
        result,
        ...attempt(),
      }));
    if (!ok) return leaseLost();
    log.info('job succeeded', { state: 'succeeded', decision: result.decision ?? null });
    return { kind: 'succeeded', result };
  } catch (caught) {
    lease.stop();
    if (lease.isLost) return leaseLost();
    let thrown = caught;
    if (caught instanceof ContinuationSignal) {
      try {
        const checkpoint = nextContinuation(job.result, caught, deps.config.maxStalledContinuations);
        const at = deps.now();
        const reason = `continuation ${checkpoint.continuations}: ${caught.done}/${caught.total} resources after the ${deps.config.attemptBudgetSec}s attempt budget`;
        const ok = await deps.store.finishJob(ref, {
          state: 'pending',
          continuation: true,
          now: at,
          nextRetryAt: at,
          reason,
          result: { continuation: checkpoint },
          ...attempt(),
        });
        if (!ok) return leaseLost();
        log.info('job continues in a new attempt', { state: 'pending', done: caught.done, total: caught.total });
        try {
          await deps.queue.send(job.id);
        } catch (sendErr) {
          log.warn('continuation message not sent; the sweeper will re-send it', { error: String(sendErr) });
        }
        return { kind: 'continued', done: caught.done, total: caught.total };
      } catch (stall) {
        thrown = stall;
      }
    }
    const err = classifyError(thrown);
    const error = { category: err.category, code: err.code, message: err.message.slice(0, 2000), retryable: err.retryable };
    const at = deps.now();
    if (err.retryable && job.attemptCount < job.maxAttempts) {
      // The configured exponential backoff (src/core/backoff.ts), a provider's Retry-After winning when longer.
      const policy = { baseSec: deps.config.baseRetryDelaySec, maxSec: deps.config.maxRetryDelaySec };
      const delaySec = retryDelaySec(policy, job.attemptCount, err.retryAfterSec, deps.random);
      const ok = await deps.store.finishJob(ref, {
        state: 'pending',
        now: at,
        nextRetryAt: at + delaySec * 1000,
        reason: `retry in ${delaySec}s after ${err.code}`,
        error,
        ...attempt(),
      });
      if (!ok) return leaseLost();
      log.warn('job will retry', { state: 'pending', error_code: err.code, delay_sec: delaySec, error: error.message });
      try {
        await deps.queue.send(job.id, delaySec);
      } catch (sendErr) {
        log.warn('retry message not sent; the sweeper will re-send it', { error: String(sendErr) });
      }
      return { kind: 'retry', delaySec, code: err.code };
    }
    const state = err.retryable ? 'exhausted' : 'failed';
    const reason = err.retryable
      ? `out of attempts (${job.attemptCount}/${job.maxAttempts}) after ${err.code}`
      : `non-retryable ${err.code}`;
    // A rejection threshold keeps its summary on the job (result.acceptance), where job detail shows it.
    const rejected = err.code === 'REJECTION_THRESHOLD' ? (err.details as { acceptance?: unknown } | undefined)?.acceptance : undefined;
    // A file refused by strict validation keeps its problem list the same way (result.validation), for settle's sidecar.
    const kept = rejected
      ? { acceptance: rejected }
      : err.category === 'validation' && !err.retryable && err.details
        ? { validation: err.details }
        : null;
    const ok = await deps.store.finishJob(ref, {
      state,
      now: at,
      reason,
      error,
      ...attempt(),
      ...(kept ? { result: kept } : {}),
    });
    if (!ok) return leaseLost();
    log.error(`job ${state}`, { state, error_code: err.code, error_category: err.category, error: error.message });
    return { kind: state, code: err.code };
  }
}

/** The claim is gone: nothing of this attempt may change the job; its responses are still kept as evidence. */
async function lostClaim(deps: RuntimeDeps, pending: PendingSnapshots, log: RuntimeDeps['log']): Promise<JobMessageOutcome> {
  log.warn('lease lost before the job could be finished; another consumer or an operator owns it now');
  await pending.keepAsEvidence(deps.store, log);
  return { kind: 'lease_lost' };
}

async function explainUnclaimable(deps: RuntimeDeps, jobId: string, now: number, seen: { pipeline?: string }): Promise<JobMessageOutcome> {
  const job: Job | null = await deps.store.getJob(jobId);
  if (job) seen.pipeline = job.pipeline;
  let reason: 'unknown' | 'finished' | 'claimed_elsewhere' | 'not_due' | 'no_attempts_left';
  if (!job) reason = 'unknown';
  else if (TERMINAL_STATES.includes(job.state)) reason = 'finished';
  else if (job.state === 'running' && (job.leaseUntil ?? 0) >= now) reason = 'claimed_elsewhere';
  else if (job.attemptCount >= job.maxAttempts) reason = 'no_attempts_left';
  else {
    reason = 'not_due';
    // An early message (clock skew, an early duplicate): ask again when the job is due rather than drop it.
    await deps.queue.send(jobId, Math.max(1, Math.ceil((job.nextRetryAt - now) / 1000))).catch(() => undefined);
  }
  deps.log.info('message acknowledged without processing', { job_id: jobId, reason, state: job?.state ?? null });
  return { kind: 'skipped', reason };
}
