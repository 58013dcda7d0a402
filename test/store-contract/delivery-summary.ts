/**
 * Part of the Store contract (test/store-contract.ts): DeliveryStore.subscriptionSummaries, the per-subscription
 * counts and times the console's deliveries page shows, on D1 and Postgres alike.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { DeliveryStore } from '../../src/core/delivery-ports';
import type { Store } from '../../src/core/ports';
import { D1DeliveryStore } from '../../src/db/d1/deliveries';
import { PgDeliveryStore } from '../../src/db/pg/deliveries';
import { PgStore } from '../../src/db/pg/store';
import { T0, decided, publication, uuid, withStore, type MakeStore } from './fixtures';

const deliveriesFor = (s: Store): DeliveryStore =>
  s instanceof PgStore ? new PgDeliveryStore(s.sql) : new D1DeliveryStore((env as unknown as { DB: D1Database }).DB);

export function describeDeliverySummary(makeStore: MakeStore): void {
  describe('delivery summary per subscription', () => {
    let store: Store;
    let del: DeliveryStore;
    const claimed = withStore(makeStore, (s) => {
      store = s;
      del = deliveriesFor(s);
    });

    const subscribe = (createdAt: number, pipelines: string[] = []) =>
      del.createSubscription({
        id: uuid(),
        url: 'https://hooks.example.test/in',
        description: null,
        pipelines,
        scopeFilter: [],
        secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAx',
        enabled: true,
        createdBy: 'tester',
        createdAt,
      });

    /** Publishes sequence `seq` of one scope; every enabled matching subscription gets a pending delivery. */
    async function publish(seq: number, scopeKey: string, pipeline = 'test.pipeline') {
      const { job, req } = await claimed({ scopeKey: `job=${uuid()}`, pipeline });
      const pub = publication(job.id, seq, { scopeKey, pipeline, publishedAt: T0 + seq * 1000 });
      const result = decided(
        job.id,
        { decision: 'PUBLISH_CHANGED', reason: 'r', classification: 'CONTENT_CHANGED', publicationId: pub.id, now: T0 + seq },
        { scopeKey, pipeline },
      );
      expect(await store.recordDecision(result, pub, { jobId: job.id, claimToken: req.claimToken })).toBeTruthy();
      return pub;
    }
    const idOf = (pubId: string, subId: string) => `msg_${pubId}_${subId}`;

    it('counts pending, delivered, dead and dead-blocked deliveries per subscription, with their latest times', async () => {
      expect(await del.subscriptionSummaries()).toEqual([]);
      const all = await subscribe(T0);
      const other = await subscribe(T0 + 1, ['other.pipeline']);
      const p1 = await publish(1, 'track=a');
      const p2 = await publish(2, 'track=a');
      const p3 = await publish(3, 'track=b');
      await publish(4, 'x=1', 'other.pipeline');
      // Stream track=a: its head dies, so sequence 2 waits behind it (blocked); track=b is delivered.
      await del.recordFailure(idOf(p1.id, all.id), { now: T0 + 10_000, statusCode: 500, error: 'HTTP 500', nextAttemptAt: null });
      expect(await del.markDelivered(idOf(p3.id, all.id), T0 + 12_000, 204, 8)).toBe(true);
      const rows = await del.subscriptionSummaries();
      const byId = new Map(rows.map((r) => [r.subscriptionId, r]));
      expect(rows.map((r) => r.subscriptionId)).toEqual([all.id, other.id].sort());
      expect(byId.get(all.id)).toEqual({
        subscriptionId: all.id,
        pending: 2,
        delivered: 1,
        dead: 1,
        blocked: 1,
        oldestPendingCreatedAt: p2.publishedAt,
        lastAttemptAt: T0 + 12_000,
        lastDeliveredAt: T0 + 12_000,
      });
      expect(byId.get(other.id)).toEqual({
        subscriptionId: other.id,
        pending: 1,
        delivered: 0,
        dead: 0,
        blocked: 0,
        oldestPendingCreatedAt: T0 + 4000,
        lastAttemptAt: null,
        lastDeliveredAt: null,
      });
      expect(await del.subscriptionSummaries(other.id)).toEqual([byId.get(other.id)]);
      expect(await del.subscriptionSummaries(uuid())).toEqual([]);
      // A redelivery of the dead head releases the stream: nothing is blocked any more.
      expect(await del.redeliver([idOf(p1.id, all.id)], T0 + 20_000, false)).toEqual([idOf(p1.id, all.id)]);
      expect((await del.subscriptionSummaries()).find((r) => r.subscriptionId === all.id)).toMatchObject({
        pending: 3,
        dead: 0,
        blocked: 0,
        oldestPendingCreatedAt: p1.publishedAt,
      });
    });
  });
}
