/** webhook_subscriptions and webhook_deliveries in D1 (the outbox's rows; they are created in recordDecision). */
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
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
import { webhookDeliveries as del, webhookSubscriptions as subs } from '../schema';
import { runBatchChanges, type Db } from './batch';
import { subscriptionSummaries } from './delivery-summary';

const OPEN = [...OPEN_DELIVERY_STATUSES];
const DELETED = 'SUBSCRIPTION_DELETED: the subscription was deleted before this delivery was made';

type SubRow = typeof subs.$inferSelect;
type DelRow = typeof del.$inferSelect;

const toSub = (r: SubRow): Subscription => ({
  ...r,
  pipelines: JSON.parse(r.pipelines) as string[],
  scopeFilter: JSON.parse(r.scopeFilter) as string[],
  enabled: r.enabled === 1,
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
    SELECT 'msg_' || ${pub.id} || '_' || s.id, s.id, ${pub.id}, ${pub.pipeline}, ${pub.scopeKey}, ${pub.sequence}, 'pending', 0, ${pub.publishedAt}, ${pub.publishedAt}
    FROM webhook_subscriptions s
    WHERE s.enabled = 1
      AND (s.pipelines = '[]' OR EXISTS (SELECT 1 FROM json_each(s.pipelines) WHERE json_each.value = ${pub.pipeline}))
      AND (s.scope_filter = '[]' OR EXISTS (SELECT 1 FROM json_each(s.scope_filter) WHERE json_each.value = ${entry}))
      AND EXISTS (SELECT 1 FROM published_results WHERE id = ${pub.id})`;
}

/** An earlier (lower sequence) open (pending or dead) delivery exists in the same stream. */
const hasEarlier = sql`EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = ${del.subscriptionId} AND e.pipeline = ${del.pipeline}
  AND e.scope_key = ${del.scopeKey} AND e.status IN ('pending', 'dead') AND e.sequence < ${del.sequence})`;

/** The open deliveries of a subscription become canceled (its deletion, or an orphan found at send time). */
const cancelOpen = (subscriptionId: string, now: number, reason: string) =>
  sql`UPDATE webhook_deliveries SET status = 'canceled', next_attempt_at = ${now}, last_error = ${reason.slice(0, 1000)}
    WHERE subscription_id = ${subscriptionId} AND status IN ('pending', 'dead')`;

/** A disabled subscription's deliveries wait (pending) without being re-enqueued every minute. */
const subscriptionEnabled = sql`EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = ${del.subscriptionId} AND s.enabled = 1)`;

export class D1DeliveryStore implements DeliveryStore {
  private readonly db: Db;
  constructor(d1: D1Database) {
    this.db = drizzle(d1) as Db;
  }

  async createSubscription(s: NewSubscription): Promise<Subscription> {
    const row = {
      ...s,
      pipelines: JSON.stringify(s.pipelines),
      scopeFilter: JSON.stringify(s.scopeFilter),
      enabled: s.enabled ? 1 : 0,
      updatedAt: s.createdAt,
    };
    const [saved] = await this.db.insert(subs).values(row).returning();
    return toSub(saved!);
  }

  async getSubscription(id: string): Promise<Subscription | null> {
    const [r] = await this.db.select().from(subs).where(eq(subs.id, id)).limit(1);
    return r ? toSub(r) : null;
  }

  async listSubscriptions(): Promise<Subscription[]> {
    return (await this.db.select().from(subs).orderBy(asc(subs.createdAt), asc(subs.id))).map(toSub);
  }

  async updateSubscription(id: string, p: SubscriptionPatch, now: number): Promise<Subscription | null> {
    const set: Partial<SubRow> = { updatedAt: now };
    if (p.url !== undefined) set.url = p.url;
    if (p.description !== undefined) set.description = p.description;
    if (p.pipelines !== undefined) set.pipelines = JSON.stringify(p.pipelines);
    if (p.scopeFilter !== undefined) set.scopeFilter = JSON.stringify(p.scopeFilter);
    if (p.secret !== undefined) set.secret = p.secret;
    if (p.enabled !== undefined) set.enabled = p.enabled ? 1 : 0;
    const [r] = await this.db.update(subs).set(set).where(eq(subs.id, id)).returning();
    return r ? toSub(r) : null;
  }

  async deleteSubscription(id: string, now: number): Promise<{ canceled: number } | null> {
    // One D1 batch (one transaction): the subscription never disappears with its open deliveries left pending.
    const [canceled, deleted] = await runBatchChanges(this.db, [cancelOpen(id, now, DELETED), this.db.delete(subs).where(eq(subs.id, id))]);
    return deleted ? { canceled: canceled ?? 0 } : null;
  }

  async cancelDeliveries(subscriptionId: string, now: number, reason: string): Promise<number> {
    const [n] = await runBatchChanges(this.db, [cancelOpen(subscriptionId, now, reason)]);
    return n ?? 0;
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
      conds.push(or(lt(del.createdAt, f.cursor.createdAt), and(eq(del.createdAt, f.cursor.createdAt), lt(del.id, f.cursor.id))));
    const rows = await this.db
      .select()
      .from(del)
      .where(and(...conds))
      .orderBy(desc(del.createdAt), desc(del.id))
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
      .orderBy(asc(del.nextAttemptAt), asc(del.id))
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
        latencyMs: sql`${now} - ${del.createdAt}`,
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
      .orderBy(asc(del.createdAt), asc(del.id))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  async metrics(): Promise<DeliveryMetrics> {
    const byStatus = await this.db
      .select({ status: del.status, count: sql<number>`count(*)` })
      .from(del)
      .groupBy(del.status)
      .orderBy(del.status);
    const [agg] = await this.db
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
      oldestPendingCreatedAt: agg?.oldest ?? null,
    };
  }

  subscriptionSummaries(subscriptionId?: string): ReturnType<DeliveryStore['subscriptionSummaries']> {
    return subscriptionSummaries(this.db, subscriptionId);
  }
}
