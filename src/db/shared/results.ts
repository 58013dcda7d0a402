/**
 * Reads of raw_snapshots, normalized_results and published_results, and the unguarded snapshot insert, in either
 * store. The guarded writes (a decision, snapshot rows under a claim) stay per dialect: D1 makes every statement of
 * one batch conditional, Postgres checks the claim on the locked job row in a transaction (src/db/{d1,pg}/results.ts).
 */
import { and, asc, desc, eq, lt, ne } from 'drizzle-orm';
import type { NewSnapshot } from '../../core/ports';
import type { NormalizedResult, Publication, RawSnapshot } from '../../core/types';
import type { Dialect } from './dialect';
import type { Fields, Picked, Select } from './query';
import { toNormalized, toPublication, toSnapshot } from './rows';

export async function insertSnapshot({ q, t }: Dialect, s: NewSnapshot): Promise<boolean> {
  const rows = await q.insert(t.rawSnapshots).values(s).onConflictDoNothing().returning({ id: t.rawSnapshots.id });
  return rows.length === 1;
}

export async function listSnapshots({ q, t, bytes }: Dialect, jobId: string): Promise<RawSnapshot[]> {
  const snapshots = t.rawSnapshots;
  const rows = await q
    .select()
    .from(snapshots)
    .where(eq(snapshots.jobId, jobId))
    .orderBy(asc(snapshots.attemptNumber), asc(snapshots.fetchedAt), asc(bytes(snapshots.resourceType)), asc(bytes(snapshots.resourceKey)));
  return rows.map(toSnapshot);
}

export async function getSnapshotBySha({ q, t }: Dialect, sha256: string): Promise<RawSnapshot | null> {
  const rows = await q.select().from(t.rawSnapshots).where(eq(t.rawSnapshots.sha256, sha256)).limit(1);
  return rows[0] ? toSnapshot(rows[0]) : null;
}

export async function firstPublishedWithContent(
  { q, t }: Dialect,
  pipeline: string,
  sha256: string,
  exceptJobId: string,
): Promise<{ jobId: string; publicationId: string } | null> {
  const { rawSnapshots: snapshots, publishedResults: published } = t;
  // raw_snapshots_sha_idx narrows to the jobs that read these bytes; published_results_job_uq joins each to its publication.
  const rows = await q
    .select({ jobId: published.jobId, publicationId: published.id })
    .from(snapshots)
    .innerJoin(published, eq(published.jobId, snapshots.jobId))
    .where(and(eq(snapshots.sha256, sha256), eq(published.pipeline, pipeline), ne(snapshots.jobId, exceptJobId)))
    .orderBy(asc(published.publishedAt), asc(published.id))
    .limit(1);
  return rows[0] ?? null;
}

export async function getNormalized({ q, t }: Dialect, jobId: string): Promise<NormalizedResult | null> {
  const rows = await q.select().from(t.normalizedResults).where(eq(t.normalizedResults.jobId, jobId)).limit(1);
  return rows[0] ? toNormalized(rows[0]) : null;
}

/**
 * The scope's most recent normalized result of a succeeded fetch job, selecting `fields`: one definition for
 * latestFetchedNormalized and the carryOver read (src/db/shared/carry-reads.ts), which takes it as a subquery.
 */
export function latestFetched<F extends Fields>({ q, t }: Dialect, pipeline: string, scopeKey: string, fields: F): Select<Picked<F>> {
  const { normalizedResults: normalized, ingestionJobs: jobs } = t;
  return q
    .select(fields)
    .from(normalized)
    .innerJoin(jobs, eq(jobs.id, normalized.jobId))
    .where(and(eq(normalized.pipeline, pipeline), eq(normalized.scopeKey, scopeKey), eq(jobs.mode, 'fetch'), eq(jobs.state, 'succeeded')))
    .orderBy(desc(normalized.createdAt))
    .limit(1);
}

export async function latestFetchedNormalized(d: Dialect, pipeline: string, scopeKey: string): Promise<NormalizedResult | null> {
  const rows = await latestFetched(d, pipeline, scopeKey, { n: d.t.normalizedResults });
  return rows[0] ? toNormalized(rows[0].n) : null;
}

export async function latestPublication({ q, t }: Dialect, pipeline: string, scopeKey?: string): Promise<Publication | null> {
  const published = t.publishedResults;
  const rows = await q
    .select()
    .from(published)
    .where(
      scopeKey === undefined ? eq(published.pipeline, pipeline) : and(eq(published.pipeline, pipeline), eq(published.scopeKey, scopeKey)),
    )
    .orderBy(...(scopeKey === undefined ? [desc(published.publishedAt), desc(published.sequence)] : [desc(published.sequence)]))
    .limit(1);
  return rows[0] ? toPublication(rows[0]) : null;
}

export async function getPublication({ q, t }: Dialect, id: string): Promise<Publication | null> {
  const rows = await q.select().from(t.publishedResults).where(eq(t.publishedResults.id, id)).limit(1);
  return rows[0] ? toPublication(rows[0]) : null;
}

export async function listPublications(
  { q, t }: Dialect,
  pipeline: string,
  scopeKey: string,
  beforeSequence: number | null,
  limit: number,
): Promise<Publication[]> {
  const published = t.publishedResults;
  const conds = [eq(published.pipeline, pipeline), eq(published.scopeKey, scopeKey)];
  if (beforeSequence !== null) conds.push(lt(published.sequence, beforeSequence));
  const rows = await q
    .select()
    .from(published)
    .where(and(...conds))
    .orderBy(desc(published.sequence))
    .limit(limit);
  return rows.map(toPublication);
}
