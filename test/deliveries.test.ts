/**
 * Push delivery end to end, hand-driven: real D1, R2, signing and HTTP to the loopback receiver (which verifies
 * every request with `standardwebhooks`), with the delivery queue and the clock in the test's hands so outages,
 * retries, a consumer crash and the outbox relay happen deterministically.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { D1DeliveryStore } from '../src/db/d1/deliveries';
import { kickPublication, relayDeliveries } from '../src/runtime/deliveries/relay';
import { acceptedOnce, drain, manualDeliveryDeps, ManualDeliveryQueue, receiver, subscribeTo } from './delivery-helpers';
import { api, clock, fixtures, manualDeps, runOnce, withCleanState, expectErrorLogs } from './helpers';

const PIPELINE = 'liverc.event_catalog';
const SLUGS = ['dlvtrack0', 'dlvtrack1', 'dlvtrack2'];
const ROUNDS = 3;

const subscribe = (name: string, extra: Record<string, unknown> = {}) => subscribeTo(name, [PIPELINE], extra);

describe('push delivery: at least once, in scope order, signed', () => {
  withCleanState();
  beforeEach(() => receiver.reset());
  afterEach(() => receiver.reset());

  it('every publication of a run reaches each subscriber once after dedup, in scope order, through outages and a crash', async () => {
    const c = clock();
    const q = new ManualDeliveryQueue(c);
    const base = manualDeps({ clock: c });
    const dd = manualDeliveryDeps(base.store, c, q, { maxAttempts: 20 });
    const deps = { ...base, afterPublish: (id: string) => kickPublication(dd, id).then(() => undefined) };
    await fixtures.routes(SLUGS.map((s) => ({ key: `${s}.liverc.com/events/`, file: 'liverc/Track.events.listing.page.html' })));
    const subs = {
      all: await subscribe('all'),
      some: await subscribe('some', { scopes: [{ track_slug: 'DLVTRACK0' }, { track_slug: SLUGS[1] }] }),
      svc: await subscribe('svc'),
    };

    // The 2nd and 5th accepted sends crash after the receiver's 2xx, before the delivery is marked delivered.
    const crashed = new Set<string>();
    let accepted = 0;
    dd.afterSend = (d) => {
      accepted++;
      if (accepted === 2 || accepted === 5) {
        crashed.add(d.id);
        throw new Error('injected crash after send');
      }
    };
    let crashes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const slug of SLUGS) {
        const { out } = await runOnce(deps, PIPELINE, { track_slug: slug }, { force: round > 0 });
        expect(out).toBeDefined();
      }
      if (round === 0) {
        await receiver.behaviour('all', { fail: 5, status: 503 });
        await receiver.behaviour('some', { fail: 3, status: 429, retryAfter: 1 });
        await receiver.behaviour('svc', { fail: 2, status: 500 });
      }
      crashes += await drain(dd, q, c, { maxSteps: 6 });
    }
    crashes += await drain(dd, q, c);
    expect(crashes).toBe(2);

    const log = await receiver.log();
    expect(log.every((r) => r.verified)).toBe(true);
    const expected = { all: SLUGS.length * ROUNDS, some: 2 * ROUNDS, svc: SLUGS.length * ROUNDS };
    for (const name of Object.keys(expected) as Array<keyof typeof expected>) {
      const got = acceptedOnce(log, name);
      expect(got.size, name).toBe(expected[name]);
      // Per scope, every request (failed, accepted or repeated) carries a sequence no lower than the one before.
      const byScope = new Map<string, number[]>();
      for (const r of log.filter((x) => x.name === name)) {
        const e = JSON.parse(r.body) as { scope_key: string; publication: { sequence: number } };
        byScope.set(e.scope_key, [...(byScope.get(e.scope_key) ?? []), e.publication.sequence]);
      }
      for (const [scope, seqs] of byScope) expect(seqs, `${name} ${scope}`).toEqual([...seqs].sort((a, b) => a - b));
      // After dedup, each scope's publications arrived exactly once each, 1..ROUNDS in order.
      const firsts = new Map<string, number[]>();
      for (const e of got.values()) firsts.set(e.scope_key, [...(firsts.get(e.scope_key) ?? []), e.publication.sequence]);
      for (const seqs of firsts.values()) expect(seqs).toEqual([1, 2, 3]);
    }
    expect(acceptedOnce(log, 'some').size).toBe(6);
    expect([...acceptedOnce(log, 'some').values()].map((e) => e.scope_key).sort()).toEqual(
      ['track_slug=dlvtrack0', 'track_slug=dlvtrack1'].flatMap((k) => [k, k, k]),
    );
    // The crashed deliveries were sent twice with the same webhook-id (the receiver deduplicated them).
    for (const id of crashed) expect(log.filter((r) => r.webhookId === id && r.status < 300)).toHaveLength(2);
    // Failed attempts were counted and are visible per subscription and in /metrics.
    const viaApi = (await (await api(`/subscriptions/${subs.all}/deliveries?limit=200`)).json()) as {
      deliveries: Array<{ status: string; attempts: number; latency_ms: number }>;
    };
    expect(viaApi.deliveries).toHaveLength(9);
    expect(viaApi.deliveries.every((d) => d.status === 'delivered' && d.latency_ms >= 0)).toBe(true);
    expect(viaApi.deliveries.reduce((n, d) => n + d.attempts - 1, 0)).toBe(5);
    const metrics = await (await api('/metrics')).text();
    expect(metrics).toContain('ingestion_deliveries{status="delivered"} 24');
    expect(metrics).toContain('ingestion_deliveries{status="dead"} 0');
    expect(metrics).toContain('ingestion_delivery_failed_attempts_total 10');
    expect(metrics).toMatch(/ingestion_delivery_latency_seconds_count 24/);
  });

  it('dead-letters after the configured attempts, holds the scope back, and redelivers one by one and in bulk', async () => {
    expectErrorLogs('delivery dead-lettered; its scope stream waits until it is redelivered:');
    const c = clock();
    const q = new ManualDeliveryQueue(c);
    const base = manualDeps({ clock: c });
    const dd = manualDeliveryDeps(base.store, c, q); // DELIVERY_MAX_ATTEMPTS=4 (vitest.config.ts)
    const deps = { ...base, afterPublish: (id: string) => kickPublication(dd, id).then(() => undefined) };
    await fixtures.routes([{ key: 'dlvdead.liverc.com/events/', file: 'liverc/Track.events.listing.page.html' }]);
    const subId = await subscribe('down');
    await receiver.behaviour('down', { fail: 1000, status: 502 });
    const first = await runOnce(deps, PIPELINE, { track_slug: 'dlvdead' });
    const second = await runOnce(deps, PIPELINE, { track_slug: 'dlvdead' }, { force: true });
    await drain(dd, q, c, { maxSteps: 50 });
    const list = (await (await api(`/deliveries?subscription_id=${subId}`)).json()) as {
      deliveries: Array<{ id: string; status: string; attempts: number; sequence: number; last_status_code: number; last_error: string }>;
    };
    const [earlier, later] = [...list.deliveries].sort((a, b) => a.sequence - b.sequence);
    expect(earlier).toMatchObject({ sequence: 1, status: 'dead', attempts: 4, last_status_code: 502 });
    expect(earlier!.last_error).toMatch(/ATTEMPTS_EXHAUSTED/);
    // The later publication was never attempted: it waits behind the dead one.
    expect(later).toMatchObject({ sequence: 2, status: 'pending', attempts: 0 });
    expect((await receiver.log()).filter((r) => JSON.parse(r.body).publication.sequence === 2)).toHaveLength(0);
    expect(await (await api('/metrics')).text()).toContain('ingestion_deliveries{status="dead"} 1');
    const pubDeliveries = (await (
      await api(
        `/publications/${first.stored.result?.publication_id ?? (await new D1DeliveryStore(env.DB).getDelivery(earlier!.id))!.publicationId}/deliveries`,
      )
    ).json()) as { deliveries: Array<{ status: string }> };
    expect(pubDeliveries.deliveries.map((d) => d.status)).toEqual(['dead']);
    expect(second.stored.state).toBe('succeeded');

    // Redelivery needs the operator role, and a pending delivery is not redeliverable.
    expect((await api(`/deliveries/${earlier!.id}/redeliver`, { method: 'POST', token: 'reader-token-0123456789' })).status).toBe(403);
    expect((await api(`/deliveries/${later!.id}/redeliver`, { method: 'POST' })).status).toBe(409);
    // Still down: a redelivery dies again, after 4 more attempts.
    const again = await api(`/deliveries/${earlier!.id}/redeliver`, { method: 'POST' });
    expect(again.status).toBe(202);
    expect(((await again.json()) as { delivery: { status: string; attempts: number } }).delivery).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    // The API enqueued onto the real queue; this test drives its own, so enqueue by hand as the relay would.
    c.advance(61_000);
    await relayDeliveries(dd);
    await drain(dd, q, c, { maxSteps: 50 });
    expect((await new D1DeliveryStore(env.DB).getDelivery(earlier!.id))?.status).toBe('dead');

    // The receiver recovers; a bulk redelivery releases the stream, in order.
    await receiver.behaviour('down', { fail: 0 });
    const bulk = await api('/deliveries/redeliver', { method: 'POST', json: { subscription_id: subId } });
    expect(bulk.status).toBe(202);
    expect(await bulk.json()).toMatchObject({ redelivered: 1, delivery_ids: [earlier!.id] });
    c.advance(61_000);
    await relayDeliveries(dd);
    await drain(dd, q, c);
    const accepted = acceptedOnce(await receiver.log(), 'down');
    expect([...accepted.values()].map((e) => e.publication.sequence)).toEqual([1, 2]);
  });

  it('refuses a send to a host that is no longer allowed, and a subscription whose target is not allowed', async () => {
    expectErrorLogs('delivery dead-lettered; its scope stream waits until it is redelivered:');
    const c = clock();
    const q = new ManualDeliveryQueue(c);
    const base = manualDeps({ clock: c });
    const dd = manualDeliveryDeps(base.store, c, q, { allowedHosts: ['hooks.example.test'] });
    const deps = { ...base, afterPublish: (id: string) => kickPublication(dd, id).then(() => undefined) };
    await fixtures.routes([{ key: 'dlvhost.liverc.com/events/', file: 'liverc/Track.events.listing.page.html' }]);
    await subscribe('gone');
    await runOnce(deps, PIPELINE, { track_slug: 'dlvhost' });
    await drain(dd, q, c, { maxSteps: 10 });
    const [d] = await new D1DeliveryStore(env.DB).listDeliveries({ limit: 5 });
    expect(d).toMatchObject({ status: 'dead', attempts: 1 });
    expect(d!.lastError).toMatch(/TARGET_NOT_ALLOWED: host 127\.0\.0\.1:\d+ is not in DELIVERY_ALLOWED_HOSTS/);
    expect(await receiver.log()).toEqual([]);
  });
});
