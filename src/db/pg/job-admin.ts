/**
 * Operator and sweeper actions on jobs in Postgres: the shared actions (src/db/shared/job-admin.ts) with Postgres's
 * move, a transaction that checks the guard on the locked row before it moves the job.
 */
import { and, eq, sql } from 'drizzle-orm';
import { guardWhere } from '../guard-sql';
import type { Job, JobState } from '../../core/types';
import { pgErrorCode, type Db } from './client';
import { toJob } from './rows';
import { pgQuery } from './dialect';
import { jobAdminOn, type JobAdminDialect, type Move } from '../shared/job-admin';
import { ingestionJobs as jobs, jobAttempts, jobStateTransitions as transitions } from './schema';

/**
 * Executes one transition rule (src/core/job-transitions.ts) under a row lock: the guard is checked on the locked
 * row, then the job moves, the transition is written and a still-open attempt is closed as the rule says.
 */
async function move(db: Db, ...[jobId, rule, set, now, actor, reason, closeMessage]: Parameters<Move>): Promise<Job | null> {
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

const dialectOf = (db: Db): JobAdminDialect => ({
  db: pgQuery(db),
  jobs,
  move: (...a) => move(db, ...a),
  isUniqueViolation: (err) => pgErrorCode(err).code === '23505',
});

export const { cancelJob, retryJob, findRecoverable, exhaustExpiredFinalAttempts, exhaustJob, completeDecidedFinalAttempts, markEnqueued } =
  jobAdminOn(dialectOf);
