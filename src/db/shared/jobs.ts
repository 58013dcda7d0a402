/** ingestion_jobs and job_attempts in either store: the reads and the lease renewal (the writes: job-writes.ts). */
import { and, asc, desc, eq, gte, lt, or, type SQL } from 'drizzle-orm';
import type { ClaimRef, JobFilter } from '../../core/ports';
import type { Job, JobAttempt } from '../../core/types';
import type { Dialect } from './dialect';
import { toAttempt, toJob } from './rows';

export async function getJob({ q, t }: Dialect, id: string): Promise<Job | null> {
  const rows = await q.select().from(t.ingestionJobs).where(eq(t.ingestionJobs.id, id)).limit(1);
  return rows[0] ? toJob(rows[0]) : null;
}

export async function listJobs({ q, t, bytes }: Dialect, f: JobFilter): Promise<Job[]> {
  const jobs = t.ingestionJobs;
  const conds: SQL[] = [];
  if (f.state) conds.push(eq(jobs.state, f.state));
  if (f.pipeline) conds.push(eq(jobs.pipeline, f.pipeline));
  if (f.scopeKey) conds.push(eq(jobs.scopeKey, f.scopeKey));
  if (f.parentJobId) conds.push(eq(jobs.parentJobId, f.parentJobId));
  if (f.createdFrom !== undefined) conds.push(gte(jobs.createdAt, f.createdFrom));
  if (f.createdTo !== undefined) conds.push(lt(jobs.createdAt, f.createdTo));
  if (f.cursor) {
    const c = f.cursor;
    conds.push(or(lt(jobs.createdAt, c.createdAt), and(eq(jobs.createdAt, c.createdAt), lt(bytes(jobs.id), c.id))) as SQL);
  }
  const rows = await q
    .select()
    .from(jobs)
    .where(conds.length ? and(...conds) : undefined)
    // Ids compare byte by byte (here and in the cursor), as in SQLite, whatever the database's collation.
    .orderBy(desc(jobs.createdAt), desc(bytes(jobs.id)))
    .limit(f.limit);
  return rows.map(toJob);
}

export async function listAttempts({ q, t }: Dialect, jobId: string): Promise<JobAttempt[]> {
  const attempts = t.jobAttempts;
  const rows = await q.select().from(attempts).where(eq(attempts.jobId, jobId)).orderBy(asc(attempts.attemptNumber));
  return rows.map(toAttempt);
}

export async function renewLease(
  { q, t }: Dialect,
  ref: ClaimRef,
  now: number,
  leaseUntil: number,
  progress?: { done: number; total: number },
): Promise<boolean> {
  const jobs = t.ingestionJobs;
  const rows = await q
    .update(jobs)
    .set({
      leaseUntil,
      lastHeartbeatAt: now,
      updatedAt: now,
      ...(progress ? { progressDone: progress.done, progressTotal: progress.total } : {}),
    })
    .where(and(eq(jobs.id, ref.jobId), eq(jobs.claimToken, ref.claimToken), eq(jobs.state, 'running')))
    .returning({ id: jobs.id });
  return rows.length === 1;
}
