/** raw_snapshots, normalized_results and published_results in Postgres. */
import { and, asc, desc, eq, gt, lt, ne, sql, type Column } from 'drizzle-orm';
import type { ClaimCheck, DecisionCommit, DecisionWrite, NewNormalized, NewSnapshot } from '../../core/ports';
import type { NormalizedResult, Publication, RawSnapshot } from '../../core/types';
import type { Conn, Db } from './client';
import { toNormalized, toPublication, toSnapshot } from './rows';
import { ingestionJobs, normalizedResults as normalized, publishedResults as published, rawSnapshots } from './schema';
import { fanOutStatement } from './deliveries';
import { finishIn } from './jobs';
import { insertSnapshotsIn } from './snapshot-writes';

/** Bytewise text order, as SQLite sorts: listings come back in the same order on both stores. */
const c = (col: Column) => sql`${col} COLLATE "C"`;

export async function insertSnapshot(db: Db, s: NewSnapshot): Promise<boolean> {
  const rows = await db.insert(rawSnapshots).values(s).onConflictDoNothing().returning({ id: rawSnapshots.id });
  return rows.length === 1;
}

/** The rows while the claim holds (the job row held until commit, as for a decision); the ids actually written. */
export function insertSnapshots(db: Db, rows: NewSnapshot[], claim: ClaimCheck): Promise<string[]> {
  if (rows.length === 0) return Promise.resolve([]);
  return db.transaction(async (tx) => {
    const held = await tx
      .select({ id: ingestionJobs.id })
      .from(ingestionJobs)
      .where(and(eq(ingestionJobs.id, claim.jobId), eq(ingestionJobs.claimToken, claim.claimToken), eq(ingestionJobs.state, 'running')))
      .for('share');
    return held.length ? insertSnapshotsIn(tx, rows) : [];
  });
}

export async function listSnapshots(db: Db, jobId: string): Promise<RawSnapshot[]> {
  const rows = await db
    .select()
    .from(rawSnapshots)
    .where(eq(rawSnapshots.jobId, jobId))
    .orderBy(
      asc(rawSnapshots.attemptNumber),
      asc(rawSnapshots.fetchedAt),
      asc(c(rawSnapshots.resourceType)),
      asc(c(rawSnapshots.resourceKey)),
    );
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
function upsertStatement(db: Conn, r: NewNormalized | NormalizedResult) {
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
 * The normalized result with its decision and the publication (if any) commit together: a unique violation on
 * the publication (job_id, or (pipeline, scope_key, sequence) when two publishers race) undoes both and throws.
 */
export async function recordDecision(db: Db, result: NormalizedResult, pub: Publication | null, claim?: ClaimCheck): Promise<boolean> {
  if (!pub && !claim) {
    await upsertStatement(db, result);
    return true;
  }
  return db.transaction(async (tx) => {
    if (claim) {
      // Holds the job row until commit, so a cancel or a reclaim cannot slip in between the check and the writes.
      const held = await tx
        .select({ id: ingestionJobs.id })
        .from(ingestionJobs)
        .where(and(eq(ingestionJobs.id, claim.jobId), eq(ingestionJobs.claimToken, claim.claimToken), eq(ingestionJobs.state, 'running')))
        .for('share');
      if (held.length === 0) return false;
    }
    if (pub) {
      await tx.insert(published).values(pub);
      // The publication's deliveries commit with it (transactional outbox).
      await tx.execute(fanOutStatement(pub));
    }
    await upsertStatement(tx, result);
    return true;
  });
}

/** DecisionWrite under the job's row lock: claim, freshness of the base, then the writes (the finish, the snapshot rows). */
export function commitDecision(db: Db, w: DecisionWrite): Promise<DecisionCommit> {
  const { result, publication: pub, claim } = w;
  return db.transaction(async (tx): Promise<DecisionCommit> => {
    if (claim) {
      const held = await tx
        .select({ id: ingestionJobs.id })
        .from(ingestionJobs)
        .where(and(eq(ingestionJobs.id, claim.jobId), eq(ingestionJobs.claimToken, claim.claimToken), eq(ingestionJobs.state, 'running')))
        .for('update');
      if (held.length === 0) return { kind: 'lease_lost' };
    }
    // Not serializable isolation: a publisher racing this one past the Durable Object still collides on the
    // (pipeline, scope_key, sequence) index, which throws and rolls this back.
    const newer = await tx
      .select({ id: published.id })
      .from(published)
      .where(
        and(
          eq(published.pipeline, result.pipeline),
          eq(published.scopeKey, result.scopeKey),
          gt(published.sequence, w.basedOnSequence),
          ne(published.jobId, result.jobId),
        ),
      )
      .limit(1);
    if (newer.length) return { kind: 'stale' };
    let deliveries = 0;
    if (pub) {
      await tx.insert(published).values(pub);
      deliveries = Number((await tx.execute(fanOutStatement(pub))).count ?? 0);
    }
    await upsertStatement(tx, result);
    const finished = w.finish ? await finishIn(tx, w.finish.ref, w.finish.outcome) : false;
    await insertSnapshotsIn(tx, w.snapshots);
    return { kind: 'saved', finished, deliveries };
  });
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
    .select({ scopeKey: published.scopeKey, publishedAt: sql<string>`max(${published.publishedAt})` })
    .from(published)
    .where(and(eq(published.pipeline, pipeline), sql`substr(${published.scopeKey}, 1, ${prefix.length}) = ${prefix}`))
    .groupBy(published.scopeKey);
  return rows
    .map((r) => ({ scopeKey: r.scopeKey, publishedAt: Number(r.publishedAt) }))
    .sort((a, b) => (a.scopeKey < b.scopeKey ? -1 : a.scopeKey > b.scopeKey ? 1 : 0));
}
