/**
 * Operator and sweeper actions on jobs in D1: the shared actions (src/db/shared/job-admin.ts) with D1's move, one
 * batch in which the transition row, the job update and the closing of an open attempt are all guarded alike.
 */
import { and, eq, sql } from 'drizzle-orm';
import { guardWhere } from '../guard-sql';
import { camelRow, runBatch, type Db } from './batch';
import type { Job, JobState } from '../../core/types';
import { ingestionJobs as jobs } from '../schema';
import { toJob } from './rows';
import { d1Query } from './dialect';
import { jobAdminOn, type JobAdminDialect, type Move } from '../shared/job-admin';

/**
 * Executes one transition rule (src/core/job-transitions.ts) in one batch: the transition row, the job update and
 * the closing of a still-open attempt are all conditional on the rule's guard, evaluated at write time.
 */
async function move(
  db: Db,
  ...[jobId, rule, { lastErrorRetryable, ...set }, now, actor, reason, closeMessage]: Parameters<Move>
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
      .set({
        ...set,
        // D1 keeps booleans as 0/1 (undefined: not set).
        lastErrorRetryable: typeof lastErrorRetryable === 'boolean' ? Number(lastErrorRetryable) : lastErrorRetryable,
        state: to,
        claimToken: marker,
        leaseUntil: null,
        updatedAt: now,
      })
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

const dialectOf = (db: Db): JobAdminDialect => ({
  db: d1Query(db),
  jobs,
  move: (...a) => move(db, ...a),
  isUniqueViolation: (err) =>
    /UNIQUE constraint failed/i.test(String((err as Error)?.message ?? err)) || /UNIQUE/i.test(String((err as Error)?.cause ?? '')),
});

export const { cancelJob, retryJob, findRecoverable, exhaustExpiredFinalAttempts, exhaustJob, completeDecidedFinalAttempts, markEnqueued } =
  jobAdminOn(dialectOf);
