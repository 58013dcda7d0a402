/**
 * raw_snapshots, normalized_results and published_results in Postgres: the reads are shared
 * (src/db/shared/results.ts); the guarded writes are Postgres's own, a transaction that checks the claim on the
 * locked job row before it writes.
 */
import { and, eq, gt, ne } from 'drizzle-orm';
import type { ClaimCheck, DecisionCommit, DecisionWrite, NewNormalized, NewSnapshot } from '../../core/ports';
import type { NormalizedResult, Publication } from '../../core/types';
import type { Conn, Db, Tx } from './client';
import { ingestionJobs, normalizedResults as normalized, publishedResults as published } from './schema';
import { fanOutStatement } from './deliveries';
import { finishIn } from './jobs';
import { insertSnapshotsIn } from './snapshot-writes';

/** Whether the job is still running under this claim; its row stays locked (`lock`) until the transaction ends. */
async function claimHeld(tx: Tx, claim: ClaimCheck, lock: 'share' | 'update'): Promise<boolean> {
  const held = await tx
    .select({ id: ingestionJobs.id })
    .from(ingestionJobs)
    .where(and(eq(ingestionJobs.id, claim.jobId), eq(ingestionJobs.claimToken, claim.claimToken), eq(ingestionJobs.state, 'running')))
    .for(lock);
  return held.length > 0;
}

/** The rows while the claim holds (the job row held until commit, as for a decision); the ids actually written. */
export function insertSnapshots(db: Db, rows: NewSnapshot[], claim: ClaimCheck): Promise<string[]> {
  if (rows.length === 0) return Promise.resolve([]);
  return db.transaction(async (tx) => {
    return (await claimHeld(tx, claim, 'share')) ? insertSnapshotsIn(tx, rows) : [];
  });
}

/** A repeated execution of the same job overwrites its canonical record (decision fields included when given). */
function upsertStatement(db: Conn, r: NewNormalized | NormalizedResult) {
  const { jobId: _id, createdAt: _c, ...changes } = r;
  return db.insert(normalized).values(r).onConflictDoUpdate({ target: normalized.jobId, set: changes });
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
      if (!(await claimHeld(tx, claim, 'share'))) return false;
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
      if (!(await claimHeld(tx, claim, 'update'))) return { kind: 'lease_lost' };
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
