/**
 * raw_snapshots, normalized_results and published_results in D1: the reads are shared (src/db/shared/results.ts);
 * the guarded writes are D1's own, one batch in which every statement is conditional on the claim.
 */
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { ClaimCheck, DecisionCommit, DecisionWrite, NewNormalized, NewSnapshot } from '../../core/ports';
import type { NormalizedResult, Publication } from '../../core/types';
import { normalizedResults as normalized, publishedResults as published } from '../schema';
import { insertWhere, runBatchChanges, runBatchResults, type Db } from './batch';
import { finishStatements } from './jobs';
import { fanOutStatement } from './deliveries';
import { snapshotInserts } from './snapshot-writes';

/** The rows (in one batch) while the claim holds; the ids actually written. */
export async function insertSnapshots(db: Db, rows: NewSnapshot[], claim: ClaimCheck): Promise<string[]> {
  if (rows.length === 0) return [];
  const out = await runBatchResults(db, snapshotInserts(rows, heldBy(claim)));
  return rows.filter((_, i) => (out[i]?.changes ?? 0) > 0).map((r) => r.id);
}

/** A repeated execution of the same job overwrites its canonical record (decision fields included when given). */
function upsertStatement(db: Db, r: NewNormalized | NormalizedResult) {
  const { jobId: _id, createdAt: _c, ...changes } = r;
  return db.insert(normalized).values(r).onConflictDoUpdate({ target: normalized.jobId, set: changes });
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
