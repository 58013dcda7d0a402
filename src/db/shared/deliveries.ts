/** webhook_subscriptions and webhook_deliveries in either store (the outbox's rows; they are created in recordDecision). */
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { OPEN_DELIVERY_STATUSES, type Delivery, type DeliveryStatus, type Subscription } from '../../core/delivery';
import type {
  AttemptFailure,
  DeliveryFilter,
  DeliveryMetrics,
  DeliveryStore,
  NewSubscription,
  SubscriptionPatch,
} from '../../core/delivery-ports';
import { cancelOpen, hasEarlier, subscriptionEnabled } from './delivery-sql';
import { deliveryMetrics, subscriptionSummaries } from './delivery-summary';
import type { Dialect, Row, Schema } from './dialect';
import type { Values } from './query';
import { flag } from './rows';

const OPEN = [...OPEN_DELIVERY_STATUSES];
const DELETED = 'SUBSCRIPTION_DELETED: the subscription was deleted before this delivery was made';
/** Ids per UPDATE ... WHERE id IN (...). */
const CHUNK = 50;

const toSub = (r: Row<'webhookSubscriptions'>): Subscription => ({
  ...r,
  pipelines: JSON.parse(r.pipelines) as string[],
  scopeFilter: JSON.parse(r.scopeFilter) as string[],
  enabled: flag(r.enabled),
});
const toDel = (r: Row<'webhookDeliveries'>): Delivery => ({ ...r, status: r.status as DeliveryStatus });

export class SqlDeliveryStore implements DeliveryStore {
  private readonly subs: Schema['webhookSubscriptions'];
  private readonly del: Schema['webhookDeliveries'];
  constructor(private readonly d: Dialect) {
    this.subs = d.t.webhookSubscriptions;
    this.del = d.t.webhookDeliveries;
  }

  async createSubscription(s: NewSubscription): Promise<Subscription> {
    const row = {
      ...s,
      pipelines: JSON.stringify(s.pipelines),
      scopeFilter: JSON.stringify(s.scopeFilter),
      enabled: this.d.flag(s.enabled),
      updatedAt: s.createdAt,
    };
    const [saved] = await this.d.q.insert(this.subs).values(row).returning();
    return toSub(saved!);
  }

  async getSubscription(id: string): Promise<Subscription | null> {
    const [r] = await this.d.q.select().from(this.subs).where(eq(this.subs.id, id)).limit(1);
    return r ? toSub(r) : null;
  }

  async listSubscriptions(): Promise<Subscription[]> {
    const rows = await this.d.q
      .select()
      .from(this.subs)
      .orderBy(asc(this.subs.createdAt), asc(this.d.bytes(this.subs.id)));
    return rows.map(toSub);
  }

  async updateSubscription(id: string, p: SubscriptionPatch, now: number): Promise<Subscription | null> {
    const set: Values<Row<'webhookSubscriptions'>> = { updatedAt: now };
    if (p.url !== undefined) set.url = p.url;
    if (p.description !== undefined) set.description = p.description;
    if (p.pipelines !== undefined) set.pipelines = JSON.stringify(p.pipelines);
    if (p.scopeFilter !== undefined) set.scopeFilter = JSON.stringify(p.scopeFilter);
    if (p.secret !== undefined) set.secret = p.secret;
    if (p.enabled !== undefined) set.enabled = this.d.flag(p.enabled);
    const [r] = await this.d.q.update(this.subs).set(set).where(eq(this.subs.id, id)).returning();
    return r ? toSub(r) : null;
  }

  async deleteSubscription(id: string, now: number): Promise<{ canceled: number } | null> {
    // One transaction: the subscription never disappears with its open deliveries left pending.
    const remove = sql`DELETE FROM ${this.subs} WHERE ${eq(this.subs.id, id)}`;
    const [canceled, deleted] = await this.d.changes([cancelOpen(id, now, DELETED), remove]);
    return deleted ? { canceled: canceled ?? 0 } : null;
  }

  async cancelDeliveries(subscriptionId: string, now: number, reason: string): Promise<number> {
    const [n] = await this.d.changes([cancelOpen(subscriptionId, now, reason)]);
    return n ?? 0;
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    const [r] = await this.d.q.select().from(this.del).where(eq(this.del.id, id)).limit(1);
    return r ? toDel(r) : null;
  }

  async listDeliveries(f: DeliveryFilter): Promise<Delivery[]> {
    const { del, d } = this;
    const conds: Array<SQL | undefined> = [];
    if (f.subscriptionId) conds.push(eq(del.subscriptionId, f.subscriptionId));
    if (f.publicationId) conds.push(eq(del.publicationId, f.publicationId));
    if (f.status) conds.push(eq(del.status, f.status));
    const { cursor } = f;
    if (cursor)
      conds.push(or(lt(del.createdAt, cursor.createdAt), and(eq(del.createdAt, cursor.createdAt), lt(d.bytes(del.id), cursor.id))));
    const rows = await d.q
      .select()
      .from(del)
      .where(and(...conds))
      .orderBy(desc(del.createdAt), desc(d.bytes(del.id)))
      .limit(f.limit);
    return rows.map(toDel);
  }

  async streamHead(subscriptionId: string, pipeline: string, scopeKey: string): Promise<Delivery | null> {
    const { del } = this;
    const stream = and(eq(del.subscriptionId, subscriptionId), eq(del.pipeline, pipeline), eq(del.scopeKey, scopeKey));
    const [r] = await this.d.q
      .select()
      .from(del)
      .where(and(stream, inArray(del.status, OPEN)))
      .orderBy(asc(del.sequence))
      .limit(1);
    return r ? toDel(r) : null;
  }

  async dueHeads(now: number, resentBefore: number, limit: number, subscriptionId?: string): Promise<Delivery[]> {
    const { del, d } = this;
    const rows = await d.q
      .select()
      .from(del)
      .where(
        and(
          eq(del.status, 'pending'),
          lte(del.nextAttemptAt, now),
          or(isNull(del.lastEnqueuedAt), lt(del.lastEnqueuedAt, resentBefore)),
          sql`NOT ${hasEarlier(d)}`,
          subscriptionEnabled(d),
          subscriptionId === undefined ? undefined : eq(del.subscriptionId, subscriptionId),
        ),
      )
      .orderBy(asc(del.nextAttemptAt), asc(d.bytes(del.id)))
      .limit(limit);
    return rows.map(toDel);
  }

  async markEnqueued(ids: string[], now: number): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK)
      await this.d.q
        .update(this.del)
        .set({ lastEnqueuedAt: now })
        .where(inArray(this.del.id, ids.slice(i, i + CHUNK)));
  }

  async markDelivered(id: string, now: number, statusCode: number, durationMs: number): Promise<boolean> {
    const { del, d } = this;
    const rows = await d.q
      .update(del)
      .set({
        status: 'delivered',
        deliveredAt: now,
        lastAttemptAt: now,
        lastStatusCode: statusCode,
        lastError: null,
        durationMs,
        attempts: sql`${del.attempts} + 1`,
        latencyMs: sql`${d.typed(now, 'bigint')} - ${del.createdAt}`,
      })
      .where(and(eq(del.id, id), eq(del.status, 'pending')))
      .returning({ id: del.id });
    return rows.length === 1;
  }

  async recordFailure(id: string, f: AttemptFailure): Promise<Delivery | null> {
    const { del } = this;
    const [r] = await this.d.q
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
    const { del } = this;
    const out: string[] = [];
    const from = includeDelivered ? ['dead', 'delivered'] : ['dead'];
    const reset = {
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastEnqueuedAt: null,
      deliveredAt: null,
      latencyMs: null,
      durationMs: null,
    };
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.d.q
        .update(del)
        .set(reset)
        .where(and(inArray(del.id, ids.slice(i, i + CHUNK)), inArray(del.status, from)))
        .returning({ id: del.id });
      out.push(...rows.map((r) => r.id));
    }
    return out;
  }

  async listDeadIds(f: { subscriptionId?: string; pipeline?: string; createdFrom?: number }, limit: number): Promise<string[]> {
    const { del } = this;
    const conds = [eq(del.status, 'dead')];
    if (f.subscriptionId) conds.push(eq(del.subscriptionId, f.subscriptionId));
    if (f.pipeline) conds.push(eq(del.pipeline, f.pipeline));
    if (f.createdFrom !== undefined) conds.push(gte(del.createdAt, f.createdFrom));
    const rows = await this.d.q
      .select({ id: del.id })
      .from(del)
      .where(and(...conds))
      .orderBy(asc(del.createdAt), asc(this.d.bytes(del.id)))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  metrics(): Promise<DeliveryMetrics> {
    return deliveryMetrics(this.d);
  }

  subscriptionSummaries(subscriptionId?: string): ReturnType<DeliveryStore['subscriptionSummaries']> {
    return subscriptionSummaries(this.d, subscriptionId);
  }
}
