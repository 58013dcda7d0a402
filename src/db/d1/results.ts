/** raw_snapshots, normalized_results and published_results in D1. */
import { and, asc, desc, eq, getTableColumns, lt, ne, sql } from 'drizzle-orm';
import type { ClaimCheck, NewNormalized, NewSnapshot } from '../../core/ports';
import type { NormalizedResult, Publication, RawSnapshot } from '../../core/types';
import { ingestionJobs, normalizedResults as normalized, publishedResults as published, rawSnapshots } from '../schema';
import { toNormalized, toPublication, toSnapshot } from './rows';

import { insertWhere, runBatchChanges, type Db } from './batch';
import { fanOutStatement } from './deliveries';

export async function insertSnapshot(db: Db, s: NewSnapshot): Promise<boolean> {
  const rows = await db.insert(rawSnapshots).values(s).onConflictDoNothing().returning({ id: rawSnapshots.id });
  return rows.length === 1;
}

export async function listSnapshots(db: Db, jobId: string): Promise<RawSnapshot[]> {
  const rows = await db
    .select()
    .from(rawSnapshots)
    .where(eq(rawSnapshots.jobId, jobId))
    .orderBy(rawSnapshots.attemptNumber, rawSnapshots.fetchedAt, rawSnapshots.resourceType, rawSnapshots.resourceKey);
  return rows.map(toSnapshot);
}

export async function getSnapshotBySha(db: Db, sha256: string): Promise<RawSnapshot | null> {
  const rows = await db.select().from(rawSnapshots).where(eq(rawSnapshots.sha256, sha256)).limit(1);
  return rows[0] ? toSnapshot(rows[0]) : null;
}

export async function firstPublishedWithContent(
  db: Db,
  pipeline: string,
  sha256: string,
  exceptJobId: string,
): Promise<{ jobId: string; publicationId: string } | null> {
  // raw_snapshots_sha_idx narrows to the jobs that read these bytes; published_results_job_uq joins each to its publication.
  const rows = await db
    .select({ jobId: published.jobId, publicationId: published.id })
    .from(rawSnapshots)
    .innerJoin(published, eq(published.jobId, rawSnapshots.jobId))
    .where(and(eq(rawSnapshots.sha256, sha256), eq(published.pipeline, pipeline), ne(rawSnapshots.jobId, exceptJobId)))
    .orderBy(asc(published.publishedAt), asc(published.id))
    .limit(1);
  return rows[0] ?? null;
}

/** A repeated execution of the same job overwrites its canonical record (decision fields included when given). */
function upsertStatement(db: Db, r: NewNormalized | NormalizedResult) {
  const { jobId: _id, createdAt: _c, ...changes } = r;
  return db.insert(normalized).values(r).onConflictDoUpdate({ target: normalized.jobId, set: changes });
}

export async function getNormalized(db: Db, jobId: string): Promise<NormalizedResult | null> {
  const rows = await db.select().from(normalized).where(eq(normalized.jobId, jobId)).limit(1);
  return rows[0] ? toNormalized(rows[0]) : null;
}

export async function latestFetchedNormalized(db: Db, pipeline: string, scopeKey: string): Promise<NormalizedResult | null> {
  const rows = await db
    .select({ n: normalized })
    .from(normalized)
    .innerJoin(ingestionJobs, eq(ingestionJobs.id, normalized.jobId))
    .where(
      and(
        eq(normalized.pipeline, pipeline),
        eq(normalized.scopeKey, scopeKey),
        eq(ingestionJobs.mode, 'fetch'),
        eq(ingestionJobs.state, 'succeeded'),
      ),
    )
    .orderBy(desc(normalized.createdAt))
    .limit(1);
  return rows[0] ? toNormalized(rows[0].n) : null;
}

/**
 * Saves the decision (and the publication) in one batch. With a claim, every statement is conditional on the job
 * still being claimed with that token: a consumer that lost its lease publishes nothing, and gets false.
 */
export async function recordDecision(db: Db, result: NormalizedResult, pub: Publication | null, claim?: ClaimCheck): Promise<boolean> {
  if (!claim) {
    // The deliveries of the publication ride in its batch (transactional outbox).
    if (pub) await runBatchChanges(db, [db.insert(published).values(pub), fanOutStatement(pub), upsertStatement(db, result)]);
    else await upsertStatement(db, result);
    return true;
  }
  const held = sql`EXISTS (SELECT 1 FROM ingestion_jobs WHERE id = ${claim.jobId} AND claim_token = ${claim.claimToken} AND state = 'running')`;
  const { jobId: _id, createdAt: _c, ...changes } = getTableColumns(normalized);
  const updateAll = sql.join(
    Object.values(changes).map((c) => sql`${sql.identifier(c.name)} = excluded.${sql.identifier(c.name)}`),
    sql`, `,
  );
  const statements = [
    ...(pub ? [insertWhere(published, pub as unknown as Record<string, unknown>, held), fanOutStatement(pub)] : []),
    insertWhere(normalized, result as unknown as Record<string, unknown>, held, sql`ON CONFLICT (job_id) DO UPDATE SET ${updateAll}`),
  ];
  const counts = await runBatchChanges(db, statements);
  return (counts[counts.length - 1] ?? 0) > 0;
}

export async function latestPublication(db: Db, pipeline: string, scopeKey?: string): Promise<Publication | null> {
  const rows = await db
    .select()
    .from(published)
    .where(
      scopeKey === undefined ? eq(published.pipeline, pipeline) : and(eq(published.pipeline, pipeline), eq(published.scopeKey, scopeKey)),
    )
    .orderBy(...(scopeKey === undefined ? [desc(published.publishedAt), desc(published.sequence)] : [desc(published.sequence)]))
    .limit(1);
  return rows[0] ? toPublication(rows[0]) : null;
}

export async function getPublication(db: Db, id: string): Promise<Publication | null> {
  const rows = await db.select().from(published).where(eq(published.id, id)).limit(1);
  return rows[0] ? toPublication(rows[0]) : null;
}

export async function listPublications(
  db: Db,
  pipeline: string,
  scopeKey: string,
  beforeSequence: number | null,
  limit: number,
): Promise<Publication[]> {
  const conds = [eq(published.pipeline, pipeline), eq(published.scopeKey, scopeKey)];
  if (beforeSequence !== null) conds.push(lt(published.sequence, beforeSequence));
  const rows = await db
    .select()
    .from(published)
    .where(and(...conds))
    .orderBy(desc(published.sequence))
    .limit(limit);
  return rows.map(toPublication);
}

/** Latest publication time of every scope of `pipeline` whose key starts with `prefix` (one grouped query). */
export async function latestPublishedUnder(db: Db, pipeline: string, prefix: string): Promise<{ scopeKey: string; publishedAt: number }[]> {
  const rows = await db
    .select({ scopeKey: published.scopeKey, publishedAt: sql<number>`max(${published.publishedAt})` })
    .from(published)
    .where(and(eq(published.pipeline, pipeline), sql`substr(${published.scopeKey}, 1, ${prefix.length}) = ${prefix}`))
    .groupBy(published.scopeKey);
  return rows
    .map((r) => ({ scopeKey: r.scopeKey, publishedAt: Number(r.publishedAt) }))
    .sort((a, b) => (a.scopeKey < b.scopeKey ? -1 : a.scopeKey > b.scopeKey ? 1 : 0));
}
