/**
 * raw_snapshots rows written inside another transaction (the decision, a finish, a flush) once that transaction has
 * checked its guard; a row whose identity exists already is skipped, not an error. The ids written.
 */
import type { NewSnapshot } from '../../core/ports';
import type { Tx } from './client';
import { rawSnapshots } from './schema';

export async function insertSnapshotsIn(tx: Tx, rows: readonly NewSnapshot[] | undefined): Promise<string[]> {
  if (!rows?.length) return [];
  const written = await tx.insert(rawSnapshots).values(rows.slice()).onConflictDoNothing().returning({ id: rawSnapshots.id });
  return written.map((r) => r.id);
}
