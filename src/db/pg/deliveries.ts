/** webhook_subscriptions and webhook_deliveries in Postgres: the D1 module's twin (src/db/d1/deliveries.ts). */
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { OPEN_DELIVERY_STATUSES, type Delivery, type DeliveryStatus, type Subscription } from '../../core/delivery';
import type {
  AttemptFailure,
  DeliveryFilter,
  DeliveryMetrics,
  DeliveryStore,
  NewSubscription,
  SubscriptionPatch,
} from '../../core/delivery-ports';
import type { Publication } from '../../core/types';
import { createDb, type Db, type Sql } from './client';
import { subscriptionSummaries } from './delivery-summary';
import { webhookDeliveries as del, webhookSubscriptions as subs } from './schema';

const OPEN = [...OPEN_DELIVERY_STATUSES];
const DELETED = 'SUBSCRIPTION_DELETED: the subscription was deleted before this delivery was made';

type SubRow = typeof subs.$inferSelect;
type DelRow = typeof del.$inferSelect;

const toSub = (r: SubRow): Subscription => ({
  ...r,
  pipelines: JSON.parse(r.pipelines) as string[],
  scopeFilter: JSON.parse(r.scopeFilter) as string[],
});
const toDel = (r: DelRow): Delivery => ({ ...r, status: r.status as DeliveryStatus });

/**
 * The fan-out statement: one pending delivery per enabled, matching subscription, only if the publication row is
 * there (inside the same batch it was inserted by a statement before this one, or not at all when the claim was
 * lost). Run in the publication's batch, so a publication never exists without its deliveries, nor the reverse.
 */
export function fanOutStatement(pub: Publication) {
  const entry = `${pub.pipeline} ${pub.scopeKey}`;
  return sql`INSERT INTO webhook_deliveries (id, subscription_id, publication_id, pipeline, scope_key, sequence, status, attempts, next_attempt_at, created_at)
    SELECT 'msg_' || ${pub.id}::text || '_' || s.id, s.id, ${pub.id}::text, ${pub.pipeline}::text, ${pub.scopeKey}::text, ${pub.sequence}::int, 'pending', 0, ${pub.publishedAt}::bigint, ${pub.publishedAt}::bigint
    FROM webhook_subscriptions s
    WHERE s.enabled
      AND (s.pipelines = '[]' OR s.pipelines::jsonb @> jsonb_build_array(${pub.pipeline}::text))
      AND (s.scope_filter = '[]' OR s.scope_filter::jsonb @> jsonb_build_array(${entry}::text))
      AND EXISTS (SELECT 1 FROM published_results WHERE id = ${pub.id}::text)`;
}

/** An earlier (lower sequence) open (pending or dead) delivery exists in the same stream. */
const hasEarlier = sql`EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = ${del.subscriptionId} AND e.pipeline = ${del.pipeline}
  AND e.scope_key = ${del.scopeKey} AND e.status IN ('pending', 'dead') AND e.sequence < ${del.sequence})`;

/** The open deliveries of a subscription become canceled (its deletion, or an orphan found at send time). */
const cancelOpen = (subscriptionId: string, now: number, reason: string) =>
  sql`UPDATE webhook_deliveries SET status = 'canceled', next_attempt_at = ${now}, last_error = ${reason.slice(0, 1000)}
    WHERE subscription_id = ${subscriptionId} AND status IN ('pending', 'dead')`;

/** A disabled subscription's deliveries wait (pending) without being re-enqueued every minute. */
const subscriptionEnabled = sql`EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = ${del.subscriptionId} AND s.enabled)`;

export class PgDeliveryStore implements DeliveryStore {
  private readonly db: Db;
  constructor(sql: Sql) {
    this.db = createDb(sql);
  }

  async createSubscription(s: NewSubscription): Promise<Subscription> {
    const row = { ...s, pipelines: JSON.stringify(s.pipelines), scopeFilter: JSON.stringify(s.scopeFilter), updatedAt: s.createdAt };
    const [saved] = await this.db.insert(subs).values(row).returning();
    return toSub(saved!);
  }

  async getSubscription(id: string): Promise<Subscription | null> {
    const [r] = await this.db.select().from(subs).where(eq(subs.id, id)).limit(1);
    return r ? toSub(r) : null;
  }

  async listSubscriptions(): Promise<Subscription[]> {
    return (
      await this.db
        .select()
        .from(subs)
        .orderBy(asc(subs.createdAt), asc(sql`${subs.id} COLLATE "C"`))
    ).map(toSub);
  }

  async updateSubscription(id: string, p: SubscriptionPatch, now: number): Promise<Subscription | null> {
    const set: Partial<SubRow> = { updatedAt: now };
    if (p.url !== undefined) set.url = p.url;
    if (p.description !== undefined) set.description = p.description;
    if (p.pipelines !== undefined) set.pipelines = JSON.stringify(p.pipelines);
    if (p.scopeFilter !== undefined) set.scopeFilter = JSON.stringify(p.scopeFilter);
    if (p.secret !== undefined) set.secret = p.secret;
    if (p.enabled !== undefined) set.enabled = p.enabled;
    const [r] = await this.db.update(subs).set(set).where(eq(subs.id, id)).returning();
    return r ? toSub(r) : null;
  }

  async deleteSubscription(id: string, now: number): Promise<{ canceled: number } | null> {
    // One transaction: the subscription never disappears with its open deliveries left pending.
    return this.db.transaction(async (tx) => {
      const canceled = await tx.execute(cancelOpen(id, now, DELETED));
      const gone = await tx.delete(subs).where(eq(subs.id, id)).returning({ id: subs.id });
      return gone.length ? { canceled: canceled.count ?? 0 } : null;
    });
  }

  async cancelDeliveries(subscriptionId: string, now: number, reason: string): Promise<number> {
    return (await this.db.execute(cancelOpen(subscriptionId, now, reason))).count ?? 0;
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    const [r] = await this.db.select().from(del).where(eq(del.id, id)).limit(1);
    return r ? toDel(r) : null;
  }

  async listDeliveries(f: DeliveryFilter): Promise<Delivery[]> {
    const conds = [];
    if (f.subscriptionId) conds.push(eq(del.subscriptionId, f.subscriptionId));
    if (f.publicationId) conds.push(eq(del.publicationId, f.publicationId));
    if (f.status) conds.push(eq(del.status, f.status));
    if (f.cursor)
      conds.push(
        or(lt(del.createdAt, f.cursor.createdAt), and(eq(del.createdAt, f.cursor.createdAt), sql`${del.id} COLLATE "C" < ${f.cursor.id}`)),
      );
    const rows = await this.db
      .select()
      .from(del)
      .where(and(...conds))
      .orderBy(desc(del.createdAt), desc(sql`${del.id} COLLATE "C"`))
      .limit(f.limit);
    return rows.map(toDel);
  }

  async streamHead(subscriptionId: string, pipeline: string, scopeKey: string): Promise<Delivery | null> {
    const [r] = await this.db
      .select()
      .from(del)
      .where(and(eq(del.subscriptionId, subscriptionId), eq(del.pipeline, pipeline), eq(del.scopeKey, scopeKey), inArray(del.status, OPEN)))
      .orderBy(asc(del.sequence))
      .limit(1);
    return r ? toDel(r) : null;
  }

  async dueHeads(now: number, resentBefore: number, limit: number, subscriptionId?: string): Promise<Delivery[]> {
    const rows = await this.db
      .select()
      .from(del)
      .where(
        and(
          eq(del.status, 'pending'),
          lte(del.nextAttemptAt, now),
          or(isNull(del.lastEnqueuedAt), lt(del.lastEnqueuedAt, resentBefore)),
          sql`NOT ${hasEarlier}`,
          subscriptionEnabled,
          subscriptionId === undefined ? undefined : eq(del.subscriptionId, subscriptionId),
        ),
      )
      .orderBy(asc(del.nextAttemptAt), asc(sql`${del.id} COLLATE "C"`))
      .limit(limit);
    return rows.map(toDel);
  }

  async markEnqueued(ids: string[], now: number): Promise<void> {
    for (let i = 0; i < ids.length; i += 50)
      await this.db
        .update(del)
        .set({ lastEnqueuedAt: now })
        .where(inArray(del.id, ids.slice(i, i + 50)));
  }

  async markDelivered(id: string, now: number, statusCode: number, durationMs: number): Promise<boolean> {
    const rows = await this.db
      .update(del)
      .set({
        status: 'delivered',
        deliveredAt: now,
        lastAttemptAt: now,
        lastStatusCode: statusCode,
        lastError: null,
        durationMs,
        attempts: sql`${del.attempts} + 1`,
        latencyMs: sql`${now}::bigint - ${del.createdAt}`,
      })
      .where(and(eq(del.id, id), eq(del.status, 'pending')))
      .returning({ id: del.id });
    return rows.length === 1;
  }

  async recordFailure(id: string, f: AttemptFailure): Promise<Delivery | null> {
    const [r] = await this.db
      .update(del)
      .set({
        status: f.nextAttemptAt === null ? 'dead' : 'pending',
        attempts: sql`${del.attempts} + 1`,
        nextAttemptAt: f.nextAttemptAt ?? f.now,
        lastAttemptAt: f.now,
        lastStatusCode: f.statusCode,
        lastError: f.error.slice(0, 1000),
      })
      .where(and(eq(del.id, id), eq(del.status, 'pending')))
      .returning();
    return r ? toDel(r) : null;
  }

  async redeliver(ids: string[], now: number, includeDelivered: boolean): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i += 50) {
      const rows = await this.db
        .update(del)
        .set({
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          lastEnqueuedAt: null,
          deliveredAt: null,
          latencyMs: null,
          durationMs: null,
        })
        .where(and(inArray(del.id, ids.slice(i, i + 50)), inArray(del.status, includeDelivered ? ['dead', 'delivered'] : ['dead'])))
        .returning({ id: del.id });
      out.push(...rows.map((r) => r.id));
    }
    return out;
  }

  async listDeadIds(f: { subscriptionId?: string; pipeline?: string; createdFrom?: number }, limit: number): Promise<string[]> {
    const conds = [eq(del.status, 'dead')];
    if (f.subscriptionId) conds.push(eq(del.subscriptionId, f.subscriptionId));
    if (f.pipeline) conds.push(eq(del.pipeline, f.pipeline));
    if (f.createdFrom !== undefined) conds.push(gte(del.createdAt, f.createdFrom));
    const rows = await this.db
      .select({ id: del.id })
      .from(del)
      .where(and(...conds))
      .orderBy(asc(del.createdAt), asc(sql`${del.id} COLLATE "C"`))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  async metrics(): Promise<DeliveryMetrics> {
    const byStatus = await this.db
      .select({ status: del.status, count: sql<number>`count(*)::int` })
      .from(del)
      .groupBy(del.status)
      .orderBy(sql`${del.status} COLLATE "C"`);
    const [agg] = await this.db
      .select({
        failed: sql<number>`coalesce(sum(CASE WHEN ${del.status} = 'delivered' THEN ${del.attempts} - 1 ELSE ${del.attempts} END), 0)`,
        latency: sql<number>`coalesce(sum(${del.latencyMs}), 0)`,
        delivered: sql<number>`count(${del.deliveredAt})`,
        oldest: sql<number | null>`min(CASE WHEN ${del.status} = 'pending' THEN ${del.createdAt} END)::float8`,
      })
      .from(del);
    return {
      byStatus,
      failedAttempts: Number(agg?.failed ?? 0),
      latencySumMs: Number(agg?.latency ?? 0),
      deliveredCount: Number(agg?.delivered ?? 0),
      oldestPendingCreatedAt: agg?.oldest ?? null,
    };
  }

  subscriptionSummaries(subscriptionId?: string): ReturnType<DeliveryStore['subscriptionSummaries']> {
    return subscriptionSummaries(this.db, subscriptionId);
  }
}
