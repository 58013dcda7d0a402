/**
 * raw_snapshots rows written inside another batch (the decision, a finish, a flush): each row only while `condition`
 * holds in that batch's transaction, and a row whose identity exists already is skipped, not an error.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { NewSnapshot } from '../../core/ports';
import { rawSnapshots } from '../schema';
import { insertWhere } from './batch';

export function snapshotInserts(rows: readonly NewSnapshot[] | undefined, condition: SQL): SQL[] {
  return (rows ?? []).map((r) =>
    insertWhere(rawSnapshots, r as unknown as Record<string, unknown>, condition, sql`ON CONFLICT DO NOTHING`),
  );
}
