/** Operator and sweeper actions on jobs: cancel, retry, recovery scans. Each change is audited in the same batch. */
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { EXHAUSTED_JOB_ERROR, RULES, type TransitionRule } from '../../core/job-transitions';
import { guardWhere } from '../guard-sql';
import { camelRow, runBatch, type Db } from './batch';
import { AdapterError } from '../../core/errors';
import type { Job, JobState } from '../../core/types';
import { ingestionJobs as jobs } from '../schema';
import { toJob } from './rows';

/**
 * Executes one transition rule (src/core/job-transitions.ts) in one batch: the transition row, the job update and
 * the closing of a still-open attempt are all conditional on the rule's guard, evaluated at write time.
 */
async function move(
  db: Db,
  jobId: string,
  rule: TransitionRule,
  set: Partial<typeof jobs.$inferInsert>,
  now: number,
  actor: string,
  reason: string,
  closeMessage?: string,
): Promise<Job | null> {
  const to = rule.to as JobState;
  const marker = `mv:${crypto.randomUUID()}`;
  const guard = and(eq(jobs.id, jobId), guardWhere(jobs, rule.guard, now));
  const close = rule.close;
  const [, rows] = await runBatch(db, [
    // An operator's or the sweeper's own action: the actor is also the one it is done for.
    sql`INSERT INTO job_state_transitions (id, job_id, from_state, to_state, reason, actor, requested_by, attempt_number, at)
      SELECT ${crypto.randomUUID()}, id, state, ${to}, ${reason}, ${actor}, ${actor}, attempt_count, ${now}
      FROM ingestion_jobs WHERE ${guard}`,
    db
      .update(jobs)
      .set({ ...set, state: to, claimToken: marker, leaseUntil: null, updatedAt: now })
      .where(guard)
      .returning(),
    // Closed in the same batch, and only when this move happened (its marker token is on the row).
    ...(close
      ? [
          sql`UPDATE job_attempts SET state = ${close.state}, error_category = ${close.errorCategory}, error_code = ${close.errorCode},
          error_message = ${closeMessage ?? close.errorMessage}, retryable = ${close.retryable ? 1 : 0}, finished_at = ${now},
          duration_ms = ${now} - started_at
        WHERE job_id = ${jobId} AND state = 'running'
          AND EXISTS (SELECT 1 FROM ingestion_jobs WHERE id = ${jobId} AND claim_token = ${marker} AND state = ${to})`,
        ]
      : []),
  ]);
  const row = rows?.[0] ? camelRow<typeof jobs.$inferSelect>(rows[0]) : undefined;
  return row ? toJob(row) : null;
}

export function cancelJob(db: Db, jobId: string, now: number, actor: string, reason: string): Promise<Job | null> {
  // An attempt still open under a cancelled job is closed so no attempt stays `running` forever.
  return move(db, jobId, RULES.cancel, { finishedAt: now }, now, actor, reason, reason);
}

export async function retryJob(db: Db, jobId: string, now: number, actor: string, reason: string): Promise<Job | null> {
  try {
    return await move(
      db,
      jobId,
      RULES.retry,
      {
        // A fresh attempt budget of the same size on top of the attempts already spent.
        maxAttempts: sql`${jobs.attemptCount} + ${jobs.maxAttempts}` as unknown as number,
        nextRetryAt: now,
        lastEnqueuedAt: now,
        finishedAt: null,
      },
      now,
      actor,
      reason,
    );
  } catch (err) {
    if (/UNIQUE constraint failed/i.test(String((err as Error)?.message ?? err)) || /UNIQUE/i.test(String((err as Error)?.cause ?? ''))) {
      throw new AdapterError('ACTIVE_JOB_EXISTS', 'validation', 'another job for this pipeline and scope is already pending or running');
    }
    throw err;
  }
}

/**
 * Jobs that should be moving but may have lost their queue message: pending and due before `overdueBefore`, or
 * running with an expired lease; in both cases not re-sent since `resentBefore`.
 */
export async function findRecoverable(db: Db, now: number, overdueBefore: number, resentBefore: number, limit: number): Promise<Job[]> {
  const notRecentlySent = or(isNull(jobs.lastEnqueuedAt), lte(jobs.lastEnqueuedAt, resentBefore));
  const rows = await db
    .select()
    .from(jobs)
    .where(
      and(
        notRecentlySent,
        or(and(eq(jobs.state, 'pending'), lte(jobs.nextRetryAt, overdueBefore)), and(eq(jobs.state, 'running'), lt(jobs.leaseUntil, now))),
      ),
    )
    .orderBy(asc(jobs.nextRetryAt))
    .limit(limit);
  return rows.map(toJob);
}

/** A job whose final attempt died with its lease can never be claimed again: it ends `exhausted`. */
export async function exhaustExpiredFinalAttempts(db: Db, now: number, actor: string): Promise<string[]> {
  const stale = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(guardWhere(jobs, RULES.exhaust.guard, now))
    .limit(100);
  const done: string[] = [];
  for (const { id } of stale) if (await exhaustJob(db, id, now, actor)) done.push(id);
  return done;
}

/** Ends one job `exhausted` if (at write time) its final attempt's lease is still expired; the attempt closes with it. */
export async function exhaustJob(db: Db, jobId: string, now: number, actor: string): Promise<boolean> {
  const moved = await move(
    db,
    jobId,
    RULES.exhaust,
    {
      finishedAt: now,
      lastErrorCategory: EXHAUSTED_JOB_ERROR.category,
      lastErrorCode: EXHAUSTED_JOB_ERROR.code,
      lastErrorMessage: EXHAUSTED_JOB_ERROR.message,
      lastErrorRetryable: 1,
    },
    now,
    actor,
    RULES.exhaust.reason,
  );
  return moved !== null;
}

/**
 * A job whose final attempt died after its decision was saved (between the publication and the finish) did its
 * work: it ends `succeeded` (RULES.complete), its dead attempt closed as lease-expired.
 */
export async function completeDecidedFinalAttempts(db: Db, now: number, actor: string): Promise<string[]> {
  const dead = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(guardWhere(jobs, RULES.complete.guard, now))
    .limit(100);
  const done: string[] = [];
  for (const { id } of dead) {
    const set = { finishedAt: now, lastErrorCategory: null, lastErrorCode: null, lastErrorMessage: null, lastErrorRetryable: null };
    if (await move(db, id, RULES.complete, set, now, actor, RULES.complete.reason)) done.push(id);
  }
  return done;
}

export async function markEnqueued(db: Db, jobIds: string[], now: number): Promise<void> {
  if (jobIds.length === 0) return;
  await db.update(jobs).set({ lastEnqueuedAt: now }).where(inArray(jobs.id, jobIds));
}
