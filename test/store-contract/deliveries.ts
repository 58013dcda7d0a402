/**
 * Part of the Store contract (test/store-contract.ts): push-delivery subscriptions and the delivery outbox on
 * the same database. Deliveries come into being only with their publication (recordDecision's transaction): one per
 * enabled matching subscription, none when the publication is refused (a lost claim) or rolled back (a race).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { DeliveryStore, NewSubscription } from '../../src/core/delivery-ports';
import type { Store } from '../../src/core/ports';
import { D1DeliveryStore } from '../../src/db/d1/deliveries';
import { PgDeliveryStore } from '../../src/db/pg/deliveries';
import { PgStore } from '../../src/db/pg/store';
import { T0, decided, isUniqueViolation, publication, uuid, withStore, type MakeStore } from './fixtures';

const deliveriesFor = (s: Store): DeliveryStore =>
  s instanceof PgStore ? new PgDeliveryStore(s.sql) : new D1DeliveryStore((env as unknown as { DB: D1Database }).DB);

const sub = (over: Partial<NewSubscription> = {}): NewSubscription => ({
  id: uuid(),
  url: 'https://hooks.example.test/in',
  description: null,
  pipelines: [],
  scopeFilter: [],
  secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAx',
  enabled: true,
  createdBy: 'tester',
  createdAt: T0,
  ...over,
});

export function describeDeliveries(makeStore: MakeStore): void {
  describe('push delivery outbox', () => {
    let store: Store;
    let del: DeliveryStore;
    const claimed = withStore(makeStore, (s) => {
      store = s;
      del = deliveriesFor(s);
    });

    /** Publishes sequence `seq` of scope track=a (pipeline test.pipeline) for a fresh claimed job. */
    async function publish(seq: number, over: { scopeKey?: string; pipeline?: string; lostClaim?: boolean } = {}) {
      const scopeKey = over.scopeKey ?? 'track=a';
      const pipeline = over.pipeline ?? 'test.pipeline';
      // The job's own scope is unique: a second job of one scope would be deduplicated onto the first (still running).
      const { job, req } = await claimed({ scopeKey: `job=${uuid()}`, pipeline });
      const pub = publication(job.id, seq, { scopeKey, pipeline, publishedAt: T0 + seq * 1000 });
      const result = decided(
        job.id,
        { decision: 'PUBLISH_CHANGED', reason: 'r', classification: 'CONTENT_CHANGED', publicationId: pub.id, now: T0 + seq },
        { scopeKey, pipeline },
      );
      const ok = await store.recordDecision(result, pub, { jobId: job.id, claimToken: over.lostClaim ? uuid() : req.claimToken });
      return { pub, ok };
    }

    it('stores subscriptions, patches them, and matches pipelines and scopes inside the publication transaction', async () => {
      const all = await del.createSubscription(sub());
      const onlyA = await del.createSubscription(
        sub({ pipelines: ['test.pipeline'], scopeFilter: ['test.pipeline track=a'], createdAt: T0 + 1 }),
      );
      const other = await del.createSubscription(sub({ pipelines: ['other.pipeline'], createdAt: T0 + 2 }));
      const off = await del.createSubscription(sub({ enabled: false, createdAt: T0 + 3 }));
      expect((await del.listSubscriptions()).map((s) => s.id)).toEqual([all.id, onlyA.id, other.id, off.id]);
      expect(await del.getSubscription(onlyA.id)).toMatchObject({
        pipelines: ['test.pipeline'],
        scopeFilter: ['test.pipeline track=a'],
        enabled: true,
        createdAt: T0 + 1,
        updatedAt: T0 + 1,
      });
      const patched = await del.updateSubscription(off.id, { enabled: true, url: 'https://hooks.example.test/v2' }, T0 + 9);
      expect(patched).toMatchObject({ enabled: true, url: 'https://hooks.example.test/v2', updatedAt: T0 + 9, secret: off.secret });
      await del.updateSubscription(off.id, { enabled: false }, T0 + 10);
      expect(await del.updateSubscription(uuid(), { enabled: false }, T0)).toBeNull();

      const { pub } = await publish(1);
      const { pub: pubB } = await publish(1, { scopeKey: 'track=b' });
      const forA = await del.listDeliveries({ publicationId: pub.id, limit: 10 });
      expect(forA.map((d) => d.subscriptionId).sort()).toEqual([all.id, onlyA.id].sort());
      expect(forA[0]).toMatchObject({
        status: 'pending',
        attempts: 0,
        sequence: 1,
        pipeline: 'test.pipeline',
        scopeKey: 'track=a',
        nextAttemptAt: pub.publishedAt,
        createdAt: pub.publishedAt,
      });
      expect(forA.every((d) => d.id === `msg_${pub.id}_${d.subscriptionId}`)).toBe(true);
      expect((await del.listDeliveries({ publicationId: pubB.id, limit: 10 })).map((d) => d.subscriptionId)).toEqual([all.id]);
    });

    it('writes no delivery when the publication is not written (lost claim) or rolled back (sequence race)', async () => {
      await del.createSubscription(sub());
      const lost = await publish(1, { lostClaim: true });
      expect(lost.ok).toBe(false);
      expect(await del.listDeliveries({ limit: 10 })).toEqual([]);
      await publish(1);
      const raced = await publish(1).catch((e: unknown) => e);
      expect(isUniqueViolation(raced)).toBe(true);
      expect(await del.listDeliveries({ limit: 10 })).toHaveLength(1);
    });

    it('keeps a stream in sequence order: only the oldest undelivered delivery is its head', async () => {
      const s = await del.createSubscription(sub());
      const p1 = (await publish(1)).pub;
      const p2 = (await publish(2)).pub;
      const b1 = (await publish(1, { scopeKey: 'track=b' })).pub;
      const id = (p: { id: string }) => `msg_${p.id}_${s.id}`;
      expect((await del.streamHead(s.id, 'test.pipeline', 'track=a'))?.id).toBe(id(p1));
      const due = await del.dueHeads(T0 + 10_000, T0, 10);
      expect(due.map((d) => d.id).sort()).toEqual([id(p1), id(b1)].sort());
      await del.markEnqueued([id(p1)], T0 + 5);
      expect((await del.dueHeads(T0 + 10_000, T0 + 5, 10)).map((d) => d.id)).toEqual([id(b1)]);
      expect(await del.markDelivered(id(p1), T0 + 4000, 204, 12)).toBe(true);
      expect(await del.markDelivered(id(p1), T0 + 4001, 204, 12)).toBe(false);
      expect(await del.getDelivery(id(p1))).toMatchObject({
        status: 'delivered',
        attempts: 1,
        lastStatusCode: 204,
        deliveredAt: T0 + 4000,
        latencyMs: 3000,
        durationMs: 12,
      });
      expect((await del.streamHead(s.id, 'test.pipeline', 'track=a'))?.id).toBe(id(p2));
      // A disabled subscription's heads are not the relay's work until it is enabled again.
      await del.updateSubscription(s.id, { enabled: false }, T0 + 5000);
      expect(await del.dueHeads(T0 + 10_000, T0 + 10_000, 10)).toEqual([]);
      await del.updateSubscription(s.id, { enabled: true }, T0 + 5001);
      expect((await del.dueHeads(T0 + 10_000, T0 + 10_000, 10)).map((d) => d.id).sort()).toEqual([id(p2), id(b1)].sort());
    });

    it('counts failures, ends dead, blocks the stream behind a dead head, and redelivers', async () => {
      const s = await del.createSubscription(sub());
      const p1 = (await publish(1)).pub;
      const p2 = (await publish(2)).pub;
      const d1 = `msg_${p1.id}_${s.id}`;
      const d2 = `msg_${p2.id}_${s.id}`;
      expect(await del.recordFailure(d1, { now: T0 + 5000, statusCode: 503, error: 'HTTP 503', nextAttemptAt: T0 + 9000 })).toMatchObject({
        status: 'pending',
        attempts: 1,
        nextAttemptAt: T0 + 9000,
        lastStatusCode: 503,
      });
      expect(await del.dueHeads(T0 + 8000, T0 + 8000, 10)).toEqual([]);
      expect((await del.recordFailure(d1, { now: T0 + 9000, statusCode: null, error: 'NO_RESPONSE', nextAttemptAt: null }))?.status).toBe(
        'dead',
      );
      expect(await del.recordFailure(d1, { now: T0 + 9001, statusCode: null, error: 'late', nextAttemptAt: null })).toBeNull();
      expect((await del.streamHead(s.id, 'test.pipeline', 'track=a'))?.id).toBe(d1);
      expect(await del.dueHeads(T0 + 99_000, T0 + 99_000, 10)).toEqual([]);
      expect(await del.listDeadIds({ subscriptionId: s.id }, 10)).toEqual([d1]);
      expect(await del.listDeadIds({ pipeline: 'other' }, 10)).toEqual([]);
      const m = await del.metrics();
      expect(m.byStatus).toEqual([
        { status: 'dead', count: 1 },
        { status: 'pending', count: 1 },
      ]);
      expect(m.failedAttempts).toBe(2);
      expect(m.oldestPendingCreatedAt).toBe(p2.publishedAt);
      expect(await del.redeliver([d1, d2], T0 + 100_000, false)).toEqual([d1]);
      expect(await del.getDelivery(d1)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: T0 + 100_000 });
      await del.markDelivered(d1, T0 + 100_001, 200, 3);
      expect(await del.redeliver([d1], T0 + 100_002, false)).toEqual([]);
      expect(await del.redeliver([d1], T0 + 100_002, true)).toEqual([d1]);
      const page1 = await del.listDeliveries({ subscriptionId: s.id, limit: 1 });
      const page2 = await del.listDeliveries({
        subscriptionId: s.id,
        limit: 5,
        cursor: { createdAt: page1[0]!.createdAt, id: page1[0]!.id },
      });
      expect([...page1, ...page2].map((d) => d.id)).toEqual([d2, d1]);
      expect(await del.listDeliveries({ status: 'delivered', limit: 5 })).toEqual([]);
    });

    it('deletes a subscription and cancels its pending and dead deliveries in the same transaction; canceled never return', async () => {
      const s = await del.createSubscription(sub());
      const other = await del.createSubscription(sub({ createdAt: T0 + 1 }));
      const [p1, p2, p3] = [(await publish(1)).pub, (await publish(2)).pub, (await publish(3)).pub];
      const id = (p: { id: string }, subId = s.id) => `msg_${p.id}_${subId}`;
      await del.markDelivered(id(p1), T0 + 4000, 200, 5);
      await del.recordFailure(id(p2), { now: T0 + 5000, statusCode: 500, error: 'HTTP 500', nextAttemptAt: null });
      expect(await del.deleteSubscription(s.id, T0 + 6000)).toEqual({ canceled: 2 });
      expect(await del.getSubscription(s.id)).toBeNull();
      expect(await del.deleteSubscription(s.id, T0 + 6001)).toBeNull();
      expect((await del.getDelivery(id(p1)))?.status).toBe('delivered');
      for (const p of [p2, p3])
        expect(await del.getDelivery(id(p))).toMatchObject({
          status: 'canceled',
          lastError: expect.stringMatching(/^SUBSCRIPTION_DELETED/),
        });
      // Canceled deliveries head no stream, are no relay work, and are not redeliverable (not even with delivered ones).
      expect(await del.streamHead(s.id, 'test.pipeline', 'track=a')).toBeNull();
      expect((await del.dueHeads(T0 + 99_000, T0 + 99_000, 10)).map((d) => d.subscriptionId)).toEqual([other.id]);
      expect(await del.redeliver([id(p2), id(p3)], T0 + 7000, true)).toEqual([]);
      expect(await del.listDeadIds({}, 10)).toEqual([]);
      expect(await del.recordFailure(id(p3), { now: T0 + 7001, statusCode: 503, error: 'late', nextAttemptAt: T0 + 9000 })).toBeNull();
      expect(await del.markDelivered(id(p3), T0 + 7002, 200, 1)).toBe(false);
      expect((await del.metrics()).byStatus).toEqual([
        { status: 'canceled', count: 2 },
        { status: 'delivered', count: 1 },
        { status: 'pending', count: 3 },
      ]);
      // The other subscription's streams are untouched; cancelDeliveries is the same cancel for one found orphaned.
      expect((await del.streamHead(other.id, 'test.pipeline', 'track=a'))?.id).toBe(id(p1, other.id));
      expect(await del.cancelDeliveries(other.id, T0 + 8000, 'SUBSCRIPTION_DELETED: test')).toBe(3);
      expect(await del.listDeliveries({ status: 'pending', limit: 10 })).toEqual([]);
      // A new publication fans out to the remaining subscription only.
      const p4 = (await publish(4)).pub;
      expect((await del.listDeliveries({ publicationId: p4.id, limit: 10 })).map((d) => d.subscriptionId)).toEqual([other.id]);
    });
  });
}
