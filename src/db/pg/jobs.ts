/**
 * ingestion_jobs, job_attempts and job_state_transitions in Postgres. Every state change runs in one transaction
 * together with its transition row; writes made under a lease are conditional on the claim token, so a consumer
 * that lost its lease can no longer change the job.
 */
import { RULES, finishEffects } from '../../core/job-transitions';
import { guardWhere } from '../guard-sql';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { ClaimedJob, ClaimRef, ClaimRequest, JobOutcome, NewJob } from '../../core/ports';
import type { Job, JobTransition } from '../../core/types';
import * as shared from '../shared/job-writes';
import { onDb } from '../shared/on-db';
import type { Db, Tx } from './client';
import { pgDialect } from './dialect';
import { toJob, toPublication, toTransition } from './rows';
import { insertSnapshotsIn } from './snapshot-writes';
import { ingestionJobs as jobs, jobAttempts, publishedResults, jobStateTransitions as transitions } from './schema';

const { findDuplicate } = onDb(pgDialect, { findDuplicate: shared.findDuplicate });

const newId = () => crypto.randomUUID();

export async function insertJob(db: Db, j: NewJob): Promise<{ job: Job; created: boolean }> {
  // A conflicting job can finish between our insert and our look-up; one more round settles it.
  for (let round = 0; round < 3; round++) {
    const inserted = await db.transaction(async (tx) => {
      // No conflict target: ON CONFLICT DO NOTHING covers the idempotency key and the partial active-scope index.
      const [row] = await tx
        .insert(jobs)
        .values({ ...shared.newJobRow(j), force: j.force })
        .onConflictDoNothing()
        .returning();
      if (!row) return null;
      await tx.insert(transitions).values({
        id: newId(),
        jobId: row.id,
        fromState: null,
        toState: 'pending',
        reason: j.reason,
        actor: j.actor,
        requestedBy: j.requestedBy,
        attemptNumber: null,
        at: j.now,
      });
      return row;
    });
    if (inserted) return { job: toJob(inserted), created: true };
    const existing = await findDuplicate(db, j);
    if (existing) return { job: existing, created: false };
  }
  throw new Error(`job insert for ${j.pipeline}/${j.scopeKey} conflicted but no existing job was found`);
}

export async function listTransitions(db: Db, jobId: string): Promise<JobTransition[]> {
  // Insertion order, not `at`: clocks of different isolates may disagree by a few milliseconds.
  const rows = await db.select().from(transitions).where(eq(transitions.jobId, jobId)).orderBy(asc(transitions.seq));
  return rows.map(toTransition);
}

/**
 * Claimable when pending and due, or running with an expired lease, and attempts remain. The row is locked with
 * SKIP LOCKED: a claimer never waits behind another one; whoever holds the row wins and the others get null.
 */
export async function claimJob(db: Db, r: ClaimRequest): Promise<Job | null> {
  return db.transaction(async (tx) => {
    const claimable = tx
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.id, r.jobId), guardWhere(jobs, RULES.claim.guard, r.now)))
      .for('update', { skipLocked: true });
    const [row] = await tx.update(jobs).set(shared.claimSet(jobs, r)).where(inArray(jobs.id, claimable)).returning();
    if (!row) return null;
    // An attempt still open means this claim takes over an expired lease: that attempt ends LEASE_EXPIRED.
    const expired = await tx
      .update(jobAttempts)
      .set({
        state: 'failed',
        errorCategory: 'lease',
        errorCode: 'LEASE_EXPIRED',
        errorMessage: 'lease expired before the attempt finished (consumer crashed or stalled)',
        retryable: true,
        finishedAt: r.now,
        durationMs: sql`${r.now}::bigint - ${jobAttempts.startedAt}`,
      })
      .where(and(eq(jobAttempts.jobId, r.jobId), eq(jobAttempts.state, 'running')))
      .returning({ id: jobAttempts.id });
    const prev = expired.length > 0 ? 'running' : 'pending';
    await tx.insert(transitions).values({
      id: newId(),
      jobId: r.jobId,
      fromState: prev,
      toState: 'running',
      reason: prev === 'running' ? 'reclaimed after lease expiry' : 'claimed',
      actor: r.workerId,
      // The worker's own step is done on behalf of whoever asked for the job.
      requestedBy: row.requestedBy,
      attemptNumber: row.attemptCount,
      at: r.now,
    });
    await tx.insert(jobAttempts).values({
      id: r.attemptId,
      jobId: r.jobId,
      attemptNumber: row.attemptCount,
      workerId: r.workerId,
      state: 'running',
      startedAt: r.now,
    });
    const job: ClaimedJob = toJob(row);
    if (r.withLatestPublication) {
      // In the claim's transaction, so the claim and the base it decides against are read in one round trip.
      const [latest] = await tx
        .select()
        .from(publishedResults)
        .where(and(eq(publishedResults.pipeline, row.pipeline), eq(publishedResults.scopeKey, row.scopeKey)))
        .orderBy(desc(publishedResults.sequence))
        .limit(1);
      job.latestPublication = latest ? toPublication(latest) : null;
    }
    return job;
  });
}

/** The finish and, only if it landed, the attempt's snapshot rows that had not been stored yet: one transaction. */
export function finishJob(db: Db, ref: ClaimRef, o: JobOutcome): Promise<boolean> {
  return db.transaction(async (tx) => {
    const finished = await finishIn(tx, ref, o);
    if (finished) await insertSnapshotsIn(tx, o.snapshots);
    return finished;
  });
}

/** The finish of an attempt inside a caller's transaction (also the publisher's, when the decision ends the job). */
export async function finishIn(tx: Tx, ref: ClaimRef, o: JobOutcome): Promise<boolean> {
  const fx = finishEffects(o.state, o.continuation === true);
  const retryable = o.error ? o.error.retryable : null;
  const updated = await tx
    .update(jobs)
    .set(shared.finishSet(jobs, ref, o, fx, retryable))
    .where(and(eq(jobs.id, ref.jobId), guardWhere(jobs, RULES.finish.guard, o.now, ref.claimToken)))
    .returning({ id: jobs.id, requestedBy: jobs.requestedBy });
  if (updated.length !== 1) return false;
  await tx.insert(transitions).values({
    id: newId(),
    jobId: ref.jobId,
    fromState: 'running',
    toState: o.state,
    reason: o.reason,
    actor: o.actor,
    requestedBy: updated[0]!.requestedBy,
    attemptNumber: ref.attemptNumber,
    at: o.now,
  });
  await tx
    .update(jobAttempts)
    .set(shared.attemptCloseSet(o, fx, retryable))
    .where(and(eq(jobAttempts.id, ref.attemptId), eq(jobAttempts.state, 'running')));
  return true;
}
