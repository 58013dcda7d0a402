/**
 * Part of the Store contract (test/store-contract.ts): the delivery guarantees proven on each store, not only
 * described. Publications of three scopes are written through recordDecision (fanning out to two subscriptions,
 * one filtered) while the real sender (deliverOne) works off a hand-driven queue under a seeded storm: the receiver
 * answers 503, 429 with Retry-After, or no answer at all; a consumer crashes after the receiver's 2xx and before
 * the delivery is marked (its message lost, so only the outbox relay brings it back); messages are duplicated and
 * taken out of order. The receiver verifies each signature with `standardwebhooks`. Proven at the end, for each
 * (subscription, scope): every publication arrived (at least once), the first arrivals are exactly 1..N in
 * order, and no request for sequence s was ever sent before s-1 had been acknowledged. The transport is the seam
 * here (the HTTP path to a loopback receiver is test/deliveries.test.ts): this file is about the stores' ordering.
 */
import { env } from 'cloudflare:workers';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { jsonLogger } from '../../src/core/logger';
import type { DeliveryQueue, DeliveryStore, DeliveryTransport, NewSubscription } from '../../src/core/delivery-ports';
import type { Store } from '../../src/core/ports';
import { D1DeliveryStore } from '../../src/db/d1/deliveries';
import { PgDeliveryStore } from '../../src/db/pg/deliveries';
import { PgStore } from '../../src/db/pg/store';
import { relayDeliveries } from '../../src/runtime/deliveries/relay';
import { deliverOne } from '../../src/runtime/deliveries/send';
import type { DeliveryDeps } from '../../src/runtime/deliveries/deps';
import { R2BlobStore } from '../../src/wiring/r2-blob-store';
import { T0, decided, publication, uuid, withStore, type MakeStore } from './fixtures';

const SECRET = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAx';
const SCOPES = ['track=a', 'track=b', 'track=c'];
const ROUNDS = 6;

/** A small seeded PRNG (mulberry32): the storm is the same on every run and every store. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Receipt {
  sub: string;
  scope: string;
  seq: number;
  id: string;
  status: number | null;
  /** Sequences of this stream acknowledged (2xx) before this request was made. */
  ackedBefore: Set<number>;
}

export function describeDeliveryOrder(makeStore: MakeStore): void {
  describe('push delivery guarantees under a fault storm', () => {
    let store: Store;
    let del: DeliveryStore;
    const claimed = withStore(makeStore, (s) => {
      store = s;
      del = s instanceof PgStore ? new PgDeliveryStore(s.sql) : new D1DeliveryStore((env as unknown as { DB: D1Database }).DB);
    });

    it('delivers each publication at least once per subscription, first arrivals in order, never ahead of an unacked one', async () => {
      const random = prng(13);
      const clock = { t: T0 };
      const blobs = new R2BlobStore((env as unknown as { RAW: R2Bucket }).RAW);
      const messages: Array<{ id: string; due: number }> = [];
      const queue: DeliveryQueue = {
        async send(id, delaySec) {
          messages.push({ id, due: clock.t + (delaySec ?? 0) * 1000 });
          if (random() < 0.15) messages.push({ id, due: clock.t }); // a duplicate message, due at once
        },
        async sendMany(ids) {
          for (const id of ids) await this.send(id);
        },
      };
      const receipts: Receipt[] = [];
      const acked = new Map<string, Set<number>>();
      const counts = { s503: 0, s429: 0, timeouts: 0, crashes: 0 };
      const transport: DeliveryTransport = {
        async send(req) {
          // The receiver's side: verify as Nest would, then answer from the storm.
          const envelope = new Webhook(SECRET).verify(req.body, req.headers) as { scope_key: string; publication: { sequence: number } };
          const sub = req.target.slice(req.target.lastIndexOf('/') + 1);
          const key = `${sub} ${envelope.scope_key}`;
          const base = { sub, scope: envelope.scope_key, seq: envelope.publication.sequence, id: req.headers['webhook-id']! };
          const ackedBefore = new Set(acked.get(key) ?? []);
          const roll = random();
          if (roll < 0.15) {
            counts.timeouts++;
            receipts.push({ ...base, status: null, ackedBefore });
            throw new Error('timeout');
          }
          const status = roll < 0.3 ? 503 : roll < 0.4 ? 429 : 204;
          if (status === 503) counts.s503++;
          if (status === 429) counts.s429++;
          receipts.push({ ...base, status, ackedBefore });
          if (status === 204) acked.set(key, (acked.get(key) ?? new Set()).add(base.seq));
          return { status, retryAfter: status === 429 ? String(1 + Math.floor(random() * 3)) : null };
        },
      };
      const deps: DeliveryDeps = {
        deliveries: del,
        store,
        blobs,
        queue,
        transport,
        config: {
          maxAttempts: 100,
          baseRetrySec: 1,
          maxRetrySec: 8,
          timeoutMs: 1000,
          allowedHosts: ['hooks.example.test'],
          serviceBindings: [],
        },
        log: jsonLogger({}, () => {}),
        now: () => clock.t,
        random,
        afterSend: () => {
          if (random() < 0.1) {
            counts.crashes++;
            throw new Error('consumer crashed after the 2xx');
          }
        },
      };
      const mk = (name: string, scopeFilter: string[]): NewSubscription => ({
        id: uuid(),
        url: `https://hooks.example.test/${name}`,
        description: null,
        pipelines: ['test.pipeline'],
        scopeFilter,
        secret: SECRET,
        enabled: true,
        createdBy: 'tester',
        createdAt: T0,
      });
      const all = await del.createSubscription(mk('all', []));
      const onlyB = await del.createSubscription(mk('onlyb', ['test.pipeline track=b']));

      const publish = async (scopeKey: string, seq: number) => {
        const { job, req } = await claimed({ scopeKey: `job=${uuid()}` }, clock.t);
        const pub = publication(job.id, seq, { scopeKey, publishedAt: clock.t, envelopeKey: `envelopes/order-${uuid()}.json` });
        await blobs.put(
          pub.envelopeKey,
          JSON.stringify({ publication: { id: pub.id, sequence: seq }, scope_key: scopeKey }),
          'application/json',
        );
        const result = decided(
          job.id,
          { decision: 'PUBLISH_CHANGED', reason: 'r', classification: 'CONTENT_CHANGED', publicationId: pub.id, now: clock.t },
          { scopeKey },
        );
        expect(await store.recordDecision(result, pub, { jobId: job.id, claimToken: req.claimToken })).toBe(true);
        // The post-commit kick, as the job runner does it.
        await queue.sendMany((await del.listDeliveries({ publicationId: pub.id, limit: 10 })).map((d) => d.id));
      };
      /** Takes a random due message (out of order); with none due, moves the clock to the next or runs the relay. */
      const step = async (): Promise<boolean> => {
        const due = messages.map((m, i) => [m, i] as const).filter(([m]) => m.due <= clock.t);
        if (due.length) {
          const [m, i] = due[Math.floor(random() * due.length)]!;
          messages.splice(i, 1);
          await deliverOne(deps, m.id).catch(() => undefined); // a crash: the message is gone
          return true;
        }
        if ((await del.listDeliveries({ status: 'pending', limit: 1 })).length === 0) return false;
        if (messages.length) clock.t = Math.min(...messages.map((m) => m.due));
        else {
          clock.t += 61_000;
          await relayDeliveries({ deliveries: del, queue, log: deps.log, now: deps.now });
        }
        return true;
      };

      for (let round = 1; round <= ROUNDS; round++) {
        for (const scope of SCOPES) await publish(scope, round);
        for (let i = 0; i < 8; i++) await step();
        clock.t += 500;
      }
      let steps = 0;
      while (await step()) if (++steps > 5000) throw new Error('deliveries did not drain');

      // The storm really happened.
      expect(counts.s503).toBeGreaterThan(0);
      expect(counts.s429).toBeGreaterThan(0);
      expect(counts.timeouts).toBeGreaterThan(0);
      expect(counts.crashes).toBeGreaterThan(0);
      const expected: Record<string, string[]> = { all: SCOPES, onlyb: ['track=b'] };
      for (const [name, scopes] of Object.entries(expected)) {
        const mine = receipts.filter((r) => r.sub === name);
        expect(new Set(mine.map((r) => r.scope))).toEqual(new Set(scopes));
        for (const scope of scopes) {
          const stream = mine.filter((r) => r.scope === scope);
          // Never ahead: every request for sequence s came after 1..s-1 were acknowledged.
          for (const r of stream)
            expect([...r.ackedBefore].filter((s) => s < r.seq).length, `${name} ${scope} seq ${r.seq} sent early`).toBe(r.seq - 1);
          // First acknowledgements are exactly 1..ROUNDS in order; repeats (at least once) keep the webhook-id.
          const firsts: number[] = [];
          for (const r of stream) if (r.status === 204 && !firsts.includes(r.seq)) firsts.push(r.seq);
          expect(firsts, `${name} ${scope}`).toEqual(Array.from({ length: ROUNDS }, (_, i) => i + 1));
        }
      }
      // A crash after the 2xx re-sends the same delivery: somewhere a webhook-id was acknowledged twice.
      const ackIds = receipts.filter((r) => r.status === 204).map((r) => r.id);
      expect(ackIds.length).toBeGreaterThan(new Set(ackIds).size);
      const final = await del.listDeliveries({ limit: 200 });
      expect(final).toHaveLength(SCOPES.length * ROUNDS + ROUNDS);
      expect(final.every((d) => d.status === 'delivered')).toBe(true);
      expect(final.filter((d) => d.subscriptionId === onlyB.id).every((d) => d.scopeKey === 'track=b')).toBe(true);
      expect(final.filter((d) => d.subscriptionId === all.id)).toHaveLength(SCOPES.length * ROUNDS);
    });
  });
}
