/** The outbox's summaries in either store: per subscription (one grouped scan) and the totals for /metrics. */
import { sql } from 'drizzle-orm';
import type { DeliveryMetrics, SubscriptionSummary } from '../../core/delivery-ports';
import type { Dialect } from './dialect';

type Row = {
  subscription_id: string;
  pending: number;
  delivered: number;
  dead: number;
  blocked: number;
  oldest_pending: number | null;
  last_attempt: number | null;
  last_delivered: number | null;
};

const toSummary = (r: Row): SubscriptionSummary => ({
  subscriptionId: r.subscription_id,
  pending: Number(r.pending),
  delivered: Number(r.delivered),
  dead: Number(r.dead),
  blocked: Number(r.blocked),
  oldestPendingCreatedAt: r.oldest_pending === null ? null : Number(r.oldest_pending),
  lastAttemptAt: r.last_attempt === null ? null : Number(r.last_attempt),
  lastDeliveredAt: r.last_delivered === null ? null : Number(r.last_delivered),
});

export async function subscriptionSummaries(d: Dialect, subscriptionId?: string): Promise<SubscriptionSummary[]> {
  const n = d.int;
  const where = subscriptionId === undefined ? sql`` : sql`WHERE d.subscription_id = ${subscriptionId}`;
  const blocked = sql`EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = d.subscription_id
    AND e.pipeline = d.pipeline AND e.scope_key = d.scope_key AND e.status = 'dead' AND e.sequence < d.sequence)`;
  const rows = await d.rows<Row>(sql`SELECT d.subscription_id,
    sum(CASE WHEN d.status = 'pending' THEN 1 ELSE 0 END)${n} AS pending,
    sum(CASE WHEN d.status = 'delivered' THEN 1 ELSE 0 END)${n} AS delivered,
    sum(CASE WHEN d.status = 'dead' THEN 1 ELSE 0 END)${n} AS dead,
    sum(CASE WHEN d.status = 'pending' AND ${blocked} THEN 1 ELSE 0 END)${n} AS blocked,
    min(CASE WHEN d.status = 'pending' THEN d.created_at END) AS oldest_pending,
    max(d.last_attempt_at) AS last_attempt,
    max(d.delivered_at) AS last_delivered
  FROM webhook_deliveries d ${where} GROUP BY d.subscription_id ORDER BY ${d.bytes(sql.raw('d.subscription_id'))}`);
  return rows.map(toSummary);
}

/** The outbox's totals for /metrics: deliveries by status, failed attempts, latency, the oldest pending one. */
export async function deliveryMetrics(d: Dialect): Promise<DeliveryMetrics> {
  const del = d.t.webhookDeliveries;
  const byStatus = await d.q
    .select({ status: del.status, count: sql<number>`count(*)${d.int}` })
    .from(del)
    .groupBy(del.status)
    .orderBy(d.bytes(del.status));
  const [agg] = await d.q
    .select({
      failed: sql<number>`coalesce(sum(CASE WHEN ${del.status} = 'delivered' THEN ${del.attempts} - 1 ELSE ${del.attempts} END), 0)`,
      latency: sql<number>`coalesce(sum(${del.latencyMs}), 0)`,
      delivered: sql<number>`count(${del.deliveredAt})`,
      oldest: sql<number | null>`min(CASE WHEN ${del.status} = 'pending' THEN ${del.createdAt} END)`,
    })
    .from(del);
  return {
    byStatus,
    failedAttempts: Number(agg?.failed ?? 0),
    latencySumMs: Number(agg?.latency ?? 0),
    deliveredCount: Number(agg?.delivered ?? 0),
    oldestPendingCreatedAt: agg?.oldest == null ? null : Number(agg.oldest),
  };
}
