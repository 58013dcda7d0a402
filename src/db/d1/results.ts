/** raw_snapshots, normalized_results and published_results in D1. */
import { and, asc, desc, eq, getTableColumns, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { ClaimCheck, DecisionCommit, DecisionWrite, NewNormalized, NewSnapshot } from '../../core/ports';
import type { NormalizedResult, Publication, RawSnapshot } from '../../core/types';
import { ingestionJobs, normalizedResults as normalized, publishedResults as published, rawSnapshots } from '../schema';
import { toNormalized, toPublication, toSnapshot } from './rows';

import { insertWhere, runBatchChanges, runBatchResults, type Db } from './batch';
import { finishStatements } from './jobs';
import { fanOutStatement } from './deliveries';
import { snapshotInserts } from './snapshot-writes';

export async function insertSnapshot(db: Db, s: NewSnapshot): Promise<boolean> {
  const rows = await db.insert(rawSnapshots).values(s).onConflictDoNothing().returning({ id: rawSnapshots.id });
  return rows.length === 1;
}

/** The rows (in one batch) while the claim holds; the ids actually written. */
export async function insertSnapshots(db: Db, rows: NewSnapshot[], claim: ClaimCheck): Promise<string[]> {
  if (rows.length === 0) return [];
  const out = await runBatchResults(db, snapshotInserts(rows, heldBy(claim)));
  return rows.filter((_, i) => (out[i]?.changes ?? 0) > 0).map((r) => r.id);
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
  const held = heldBy(claim);
  const statements = [
    ...(pub ? [insertWhere(published, pub as unknown as Record<string, unknown>, held), fanOutStatement(pub)] : []),
    upsertWhere(result, held),
  ];
  const counts = await runBatchChanges(db, statements);
  return (counts[counts.length - 1] ?? 0) > 0;
}

const heldBy = (claim: ClaimCheck) =>
  sql`EXISTS (SELECT 1 FROM ingestion_jobs WHERE id = ${claim.jobId} AND claim_token = ${claim.claimToken} AND state = 'running')`;

function upsertWhere(result: NormalizedResult, condition: SQL) {
  const { jobId: _id, createdAt: _c, ...changes } = getTableColumns(normalized);
  const updateAll = sql.join(
    Object.values(changes).map((c) => sql`${sql.identifier(c.name)} = excluded.${sql.identifier(c.name)}`),
    sql`, `,
  );
  return insertWhere(
    normalized,
    result as unknown as Record<string, unknown>,
    condition,
    sql`ON CONFLICT (job_id) DO UPDATE SET ${updateAll}`,
  );
}

/**
 * DecisionWrite as one batch (one transaction, one round trip): a first SELECT says why nothing was written (its
 * answer is taken before the writes), then every write is conditional on the claim and on no other job's
 * publication above the base; the attempt's snapshot rows, then the finish statements, ride last.
 */
export async function commitDecision(db: Db, w: DecisionWrite): Promise<DecisionCommit> {
  const { result, publication: pub, claim } = w;
  const held = claim ? heldBy(claim) : sql`1`;
  const fresh = sql`NOT EXISTS (SELECT 1 FROM published_results WHERE pipeline = ${result.pipeline} AND scope_key = ${result.scopeKey}
    AND sequence > ${w.basedOnSequence} AND job_id <> ${result.jobId})`;
  const both = sql`${held} AND ${fresh}`;
  const statements = [
    sql`SELECT ${held} AS held, ${fresh} AS fresh`,
    ...(pub ? [insertWhere(published, pub as unknown as Record<string, unknown>, both), fanOutStatement(pub)] : []),
    upsertWhere(result, both),
    // Before the finish: it ends the claim the guard checks.
    ...snapshotInserts(w.snapshots, both),
    ...(w.finish ? finishStatements(db, w.finish.ref, w.finish.outcome, both) : []),
  ];
  const out = await runBatchResults(db, statements);
  const check = out[0]?.rows[0] ?? {};
  const decisionAt = pub ? 3 : 1;
  if ((out[decisionAt]?.changes ?? 0) === 0) return Number(check.held) ? { kind: 'stale' } : { kind: 'lease_lost' };
  return {
    kind: 'saved',
    finished: w.finish ? (out[decisionAt + 1 + (w.snapshots?.length ?? 0)]?.rows.length ?? 0) === 1 : false,
    deliveries: pub ? (out[2]?.changes ?? 0) : 0,
  };
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
