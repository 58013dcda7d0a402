/**
 * ingestion_jobs, job_attempts and job_state_transitions in D1. Every state change runs in one D1 batch (one
 * transaction) together with its transition row; writes made under a lease are conditional on the claim token,
 * so a consumer that lost its lease can no longer change the job.
 */
import { RULES, finishEffects } from '../../core/job-transitions';
import { guardWhere } from '../guard-sql';
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { camelRow, runBatch, type Db } from './batch';
import type { ClaimedJob, ClaimRef, ClaimRequest, JobOutcome, NewJob } from '../../core/ports';
import type { Job, JobTransition } from '../../core/types';
import { ingestionJobs as jobs, jobAttempts, type publishedResults, jobStateTransitions as transitions } from '../schema';
import * as shared from '../shared/job-writes';
import { onDb } from '../shared/on-db';
import { d1Dialect } from './dialect';
import { toJob, toPublication, toTransition } from './rows';
import { snapshotInserts } from './snapshot-writes';

const { findDuplicate } = onDb(d1Dialect, { findDuplicate: shared.findDuplicate });

const newId = () => crypto.randomUUID();

export async function insertJob(db: Db, j: NewJob): Promise<{ job: Job; created: boolean }> {
  const [inserted] = await runBatch(db, [
    db
      .insert(jobs)
      .values({ ...shared.newJobRow(j), force: j.force ? 1 : 0 })
      .onConflictDoNothing()
      .returning(),
    sql`INSERT INTO job_state_transitions (id, job_id, from_state, to_state, reason, actor, requested_by, attempt_number, at)
      SELECT ${newId()}, id, NULL, 'pending', ${j.reason}, ${j.actor}, ${j.requestedBy}, NULL, ${j.now}
      FROM ingestion_jobs WHERE id = ${j.id}`,
  ]);
  const row = inserted?.[0] ? camelRow<typeof jobs.$inferSelect>(inserted[0]) : undefined;
  if (row) return { job: toJob(row), created: true };
  const existing = await findDuplicate(db, j);
  if (!existing) throw new Error(`job insert for ${j.pipeline}/${j.scopeKey} conflicted but no existing job was found`);
  return { job: existing, created: false };
}

export async function listTransitions(db: Db, jobId: string): Promise<JobTransition[]> {
  const rows = await db
    .select()
    .from(transitions)
    .where(eq(transitions.jobId, jobId))
    // Insertion order, not `at`: clocks of different isolates may disagree by a few milliseconds.
    .orderBy(asc(sql`rowid`));
  return rows.map(toTransition);
}

export async function claimJob(db: Db, r: ClaimRequest): Promise<ClaimedJob | null> {
  const out = await runBatch(db, [
    db
      .update(jobs)
      .set(shared.claimSet(jobs, r))
      .where(and(eq(jobs.id, r.jobId), guardWhere(jobs, RULES.claim.guard, r.now)))
      .returning(),
    // The transition says whether this claim took over an expired lease (an earlier attempt still open).
    sql`INSERT INTO job_state_transitions (id, job_id, from_state, to_state, reason, actor, requested_by, attempt_number, at)
      SELECT ${newId()}, j.id, v.prev, 'running',
             CASE v.prev WHEN 'running' THEN 'reclaimed after lease expiry' ELSE 'claimed' END,
             ${r.workerId}, j.requested_by, j.attempt_count, ${r.now}
      FROM ingestion_jobs j,
           (SELECT CASE WHEN EXISTS (SELECT 1 FROM job_attempts a WHERE a.job_id = ${r.jobId} AND a.state = 'running')
                        THEN 'running' ELSE 'pending' END AS prev) v
      WHERE j.id = ${r.jobId} AND j.claim_token = ${r.claimToken}`,
    sql`UPDATE job_attempts SET state = 'failed', error_category = 'lease', error_code = 'LEASE_EXPIRED',
        error_message = 'lease expired before the attempt finished (consumer crashed or stalled)', retryable = 1,
        finished_at = ${r.now}, duration_ms = ${r.now} - started_at
      WHERE job_id = ${r.jobId} AND state = 'running'
        AND EXISTS (SELECT 1 FROM ingestion_jobs WHERE id = ${r.jobId} AND claim_token = ${r.claimToken})`,
    sql`INSERT INTO job_attempts (id, job_id, attempt_number, worker_id, state, started_at)
      SELECT ${r.attemptId}, id, attempt_count, ${r.workerId}, 'running', ${r.now}
      FROM ingestion_jobs WHERE id = ${r.jobId} AND claim_token = ${r.claimToken}`,
    // Read after the claim, in its transaction: the scope's latest publication, only for the claim that won.
    ...(r.withLatestPublication
      ? [
          sql`SELECT p.* FROM published_results p JOIN ingestion_jobs j ON p.pipeline = j.pipeline AND p.scope_key = j.scope_key
            WHERE j.id = ${r.jobId} AND j.claim_token = ${r.claimToken} ORDER BY p.sequence DESC LIMIT 1`,
        ]
      : []),
  ]);
  const updated = out[0];
  const row = updated?.[0] ? camelRow<typeof jobs.$inferSelect>(updated[0]) : undefined;
  if (!row) return null;
  const job: ClaimedJob = toJob(row);
  if (r.withLatestPublication) {
    const latest = out[4]?.[0];
    job.latestPublication = latest ? toPublication(camelRow<typeof publishedResults.$inferSelect>(latest)) : null;
  }
  return job;
}

/** The finish and, only if it landed, the attempt's snapshot rows that had not been stored yet: one batch. */
export async function finishJob(db: Db, ref: ClaimRef, o: JobOutcome): Promise<boolean> {
  const finished = sql`EXISTS (SELECT 1 FROM ingestion_jobs WHERE id = ${ref.jobId} AND claim_token = ${shared.finishedToken(ref)})`;
  const [updated] = await runBatch(db, [...finishStatements(db, ref, o), ...snapshotInserts(o.snapshots, finished)]);
  return (updated ?? []).length === 1;
}

/**
 * The three statements of a finish, for one batch: the job update (guarded by the claim, and by `also` when given),
 * its transition row and the attempt's close. The publisher appends them to its decision batch.
 */
export function finishStatements(db: Db, ref: ClaimRef, o: JobOutcome, also?: SQL) {
  const fx = finishEffects(o.state, o.continuation === true);
  const finToken = shared.finishedToken(ref);
  // D1 keeps flags as 0/1.
  const retryable = o.error ? (o.error.retryable ? 1 : 0) : null;
  return [
    db
      .update(jobs)
      .set(shared.finishSet(jobs, ref, o, fx, retryable))
      .where(and(eq(jobs.id, ref.jobId), guardWhere(jobs, RULES.finish.guard, o.now, ref.claimToken), also))
      .returning({ id: jobs.id }),
    sql`INSERT INTO job_state_transitions (id, job_id, from_state, to_state, reason, actor, requested_by, attempt_number, at)
      SELECT ${newId()}, id, 'running', ${o.state}, ${o.reason}, ${o.actor}, requested_by, ${ref.attemptNumber}, ${o.now}
      FROM ingestion_jobs WHERE id = ${ref.jobId} AND claim_token = ${finToken}
        AND EXISTS (SELECT 1 FROM job_attempts WHERE id = ${ref.attemptId} AND state = 'running')`,
    db
      .update(jobAttempts)
      .set(shared.attemptCloseSet(o, fx, retryable))
      .where(
        and(
          eq(jobAttempts.id, ref.attemptId),
          eq(jobAttempts.state, 'running'),
          sql`EXISTS (SELECT 1 FROM ingestion_jobs WHERE id = ${ref.jobId} AND claim_token = ${finToken})`,
        ),
      ),
  ];
}
