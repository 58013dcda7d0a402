/** Operator and sweeper actions on jobs: cancel, retry, recovery scans. Each change is audited in its transaction. */
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { EXHAUSTED_JOB_ERROR, RULES, type TransitionRule } from '../../core/job-transitions';
import { guardWhere } from '../guard-sql';
import { AdapterError } from '../../core/errors';
import type { Job, JobState } from '../../core/types';
import { pgErrorCode, type Db } from './client';
import { toJob } from './rows';
import { ingestionJobs as jobs, jobAttempts, jobStateTransitions as transitions } from './schema';

/**
 * Executes one transition rule (src/core/job-transitions.ts) under a row lock: the guard is checked on the locked
 * row, then the job moves, the transition is written and a still-open attempt is closed as the rule says.
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
  const close = rule.close;
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ state: jobs.state, attemptCount: jobs.attemptCount })
      .from(jobs)
      .where(and(eq(jobs.id, jobId), guardWhere(jobs, rule.guard, now)))
      .for('update');
    if (!before) return null;
    const [row] = await tx
      .update(jobs)
      // A fresh marker token: the previous claim (if any) can no longer write under its lease.
      .set({ ...set, state: to, claimToken: `mv:${crypto.randomUUID()}`, leaseUntil: null, updatedAt: now })
      .where(eq(jobs.id, jobId))
      .returning();
    await tx.insert(transitions).values({
      id: crypto.randomUUID(),
      jobId,
      fromState: before.state,
      toState: to,
      reason,
      actor,
      // An operator's or the sweeper's own action: the actor is also the one it is done for.
      requestedBy: actor,
      attemptNumber: before.attemptCount,
      at: now,
    });
    if (close) {
      await tx
        .update(jobAttempts)
        .set({
          state: close.state,
          errorCategory: close.errorCategory,
          errorCode: close.errorCode,
          errorMessage: closeMessage ?? close.errorMessage,
          retryable: close.retryable,
          finishedAt: now,
          durationMs: sql`${now}::bigint - ${jobAttempts.startedAt}`,
        })
        .where(and(eq(jobAttempts.jobId, jobId), eq(jobAttempts.state, 'running')));
    }
    return row ? toJob(row) : null;
  });
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
    if (pgErrorCode(err).code === '23505') {
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
  const rows = await db
    .select()
    .from(jobs)
    .where(
      and(
        or(isNull(jobs.lastEnqueuedAt), lte(jobs.lastEnqueuedAt, resentBefore)),
        or(and(eq(jobs.state, 'pending'), lte(jobs.nextRetryAt, overdueBefore)), and(eq(jobs.state, 'running'), lt(jobs.leaseUntil, now))),
      ),
    )
    .orderBy(asc(jobs.nextRetryAt))
    .limit(limit);
  return rows.map(toJob);
}

/** A job whose final attempt died with its lease can never be claimed again: it ends `exhausted`. */
export async function exhaustExpiredFinalAttempts(db: Db, now: number, actor: string): Promise<string[]> {
  const candidates = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(guardWhere(jobs, RULES.exhaust.guard, now))
    .limit(100);
  const done: string[] = [];
  for (const { id } of candidates) if (await exhaustJob(db, id, now, actor)) done.push(id);
  return done;
}

/** Exhausts one job if, under its row lock, the guard still holds (a claim, renewal or finish since the scan wins). */
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
      lastErrorRetryable: true,
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
