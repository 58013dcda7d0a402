/** Per-subscription delivery summary in Postgres: the D1 query (src/db/d1/delivery-summary.ts) with integer casts. */
import type { SubscriptionSummary } from '../../core/delivery-ports';
import { SUMMARY_SQL, toSummary, type SummaryRow } from '../d1/delivery-summary';
import type { Db } from './client';

export async function subscriptionSummaries(db: Db, subscriptionId?: string): Promise<SubscriptionSummary[]> {
  // sum() of integers is numeric in Postgres; ::int keeps it a plain number on the wire.
  const rows = (await db.execute(SUMMARY_SQL('::int', ' COLLATE "C"', subscriptionId))) as unknown as SummaryRow[];
  return [...rows].map(toSummary);
}
