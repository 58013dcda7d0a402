/**
 * A subscription's life after creation: deleting it cancels its open deliveries (never sent, never redelivered,
 * still visible), and disabling it holds them (paused, in order) while publications made meanwhile are not
 * delivered to it; enabling it again resumes the held ones through the real delivery queue. A receiver that does not
 * answer within DELIVERY_TIMEOUT_MS is retried like a 5xx.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { D1DeliveryStore } from '../src/db/d1/deliveries';
import { kickPublication } from '../src/runtime/deliveries/relay';
import { deliverOne } from '../src/runtime/deliveries/send';
import { acceptedOnce, drain, manualDeliveryDeps, ManualDeliveryQueue, receiver, subscribeTo } from './delivery-helpers';
import { api, clock, fixtures, manualDeps, READER_TOKEN, runOnce, withCleanState, expectErrorLogs } from './helpers';

const PIPELINE = 'liverc.event_catalog';
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; details?: Record<string, any> } }).error;
type Row = { id: string; status: string; sequence: number; last_error: string | null };
const deliveriesOf = async (subId: string) =>
  (((await (await api(`/subscriptions/${subId}/deliveries`)).json()) as { deliveries: Row[] }).deliveries as Row[]).sort(
    (a, b) => a.sequence - b.sequence,
  );

function setup(slug: string) {
  const c = clock();
  const q = new ManualDeliveryQueue(c);
  const base = manualDeps({ clock: c });
  const dd = manualDeliveryDeps(base.store, c, q);
  const deps = { ...base, afterPublish: (id: string) => kickPublication(dd, id).then(() => undefined) };
  const publish = async (force = true) => {
    const run = await runOnce(deps, PIPELINE, { track_slug: slug }, { force });
    expect(run.stored.state).toBe('succeeded');
    return run.stored.result!.publication_id as string;
  };
  return { c, q, dd, publish };
}

describe('subscription deletion and disabling', () => {
  withCleanState();
  beforeEach(() => receiver.reset());
  afterEach(() => receiver.reset());

  it('deleting a subscription cancels its pending and dead deliveries in one step; canceled ones are never sent or redelivered', async () => {
    expectErrorLogs('delivery dead-lettered; its scope stream waits until it is redelivered:');
    await fixtures.routes([{ key: 'dlvdel.liverc.com/events/', file: 'liverc/Track.events.listing.page.html' }]);
    const { c, q, dd, publish } = setup('dlvdel');
    const keep = await subscribeTo('keep', [PIPELINE]);
    const drop = await subscribeTo('drop', [PIPELINE]);
    await publish(false);
    await drain(dd, q, c);
    // The receiver of `drop` goes down: sequence 2 ends dead (DELIVERY_MAX_ATTEMPTS=4), 3 waits behind it.
    await receiver.behaviour('drop', { fail: 1000, status: 502 });
    await publish();
    await publish();
    await drain(dd, q, c, { maxSteps: 40 });
    expect((await deliveriesOf(drop)).map((d) => [d.sequence, d.status])).toEqual([
      [1, 'delivered'],
      [2, 'dead'],
      [3, 'pending'],
    ]);

    expect((await api(`/subscriptions/${drop}`, { method: 'DELETE', token: READER_TOKEN })).status).toBe(403);
    expect((await errorOf(await api('/subscriptions/not-a-uuid', { method: 'DELETE' }))).code).toBe('INVALID_SUBSCRIPTION_ID');
    const del = await api(`/subscriptions/${drop}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ deleted: drop, canceled_deliveries: 2 });
    expect((await errorOf(await api(`/subscriptions/${drop}`))).code).toBe('SUBSCRIPTION_NOT_FOUND');
    expect((await errorOf(await api(`/subscriptions/${drop}`, { method: 'DELETE' }))).code).toBe('SUBSCRIPTION_NOT_FOUND');
    // The record stays: delivered stays delivered, the open ones are canceled with the reason.
    const rows = await deliveriesOf(drop);
    expect(rows.map((d) => [d.sequence, d.status])).toEqual([
      [1, 'delivered'],
      [2, 'canceled'],
      [3, 'canceled'],
    ]);
    expect(rows[1]!.last_error).toMatch(/^SUBSCRIPTION_DELETED/);
    const canceled = (await (await api('/deliveries?status=canceled')).json()) as { deliveries: Row[] };
    expect(canceled.deliveries.map((d) => d.id).sort()).toEqual([rows[1]!.id, rows[2]!.id].sort());

    // Never redelivered: one by one (409 DELIVERY_CANCELED) nor in bulk; a stale message sends nothing.
    for (const d of rows.slice(1)) {
      const r = await api(`/deliveries/${d.id}/redeliver`, { method: 'POST' });
      expect(r.status).toBe(409);
      expect((await errorOf(r)).code).toBe('DELIVERY_CANCELED');
      expect(await deliverOne(dd, d.id)).toBe('not_pending');
    }
    expect(await (await api('/deliveries/redeliver', { method: 'POST', json: { subscription_id: drop } })).json()).toMatchObject({
      redelivered: 0,
    });
    await receiver.behaviour('drop', { fail: 0 });
    await drain(dd, q, c);
    const log = await receiver.log();
    expect([...acceptedOnce(log, 'drop').values()].map((e) => e.publication.sequence)).toEqual([1]);
    // The other subscription is untouched: all three, in order.
    expect([...acceptedOnce(log, 'keep').values()].map((e) => e.publication.sequence)).toEqual([1, 2, 3]);
    expect((await deliveriesOf(keep)).map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(await (await api('/metrics')).text()).toContain('ingestion_deliveries{status="canceled"} 2');
  });

  it('a delivery whose subscription was deleted under it is canceled at send time, not dead-lettered', async () => {
    await fixtures.routes([{ key: 'dlvorphan.liverc.com/events/', file: 'liverc/Track.events.listing.page.html' }]);
    const { dd, publish } = setup('dlvorphan');
    const sub = await subscribeTo('orphan', [PIPELINE]);
    const pubId = await publish(false);
    // The race: the subscription row goes after the fan-out copied it, before the consumer runs.
    await env.DB.prepare('DELETE FROM webhook_subscriptions WHERE id = ?').bind(sub).run();
    const id = `msg_${pubId}_${sub}`;
    expect(await deliverOne(dd, id)).toBe('canceled');
    expect(await new D1DeliveryStore(env.DB).getDelivery(id)).toMatchObject({ status: 'canceled', attempts: 0 });
    expect(await receiver.log()).toEqual([]);
  });

  it('a disabled subscription holds its open deliveries and gets none for publications made meanwhile; enabling resumes them', async () => {
    await fixtures.routes([{ key: 'dlvpause.liverc.com/events/', file: 'liverc/Track.events.listing.page.html' }]);
    const { c, q, dd, publish } = setup('dlvpause');
    const sub = await subscribeTo('pause', [PIPELINE]);
    const first = await publish(false); // kicked onto the (manual) queue, not yet consumed
    expect((await api(`/subscriptions/${sub}`, { method: 'PATCH', json: { enabled: false } })).status).toBe(200);
    await drain(dd, q, c, { maxSteps: 10 }); // its message is taken and answered 'paused'; the relay skips it
    const whileDisabled = await publish();
    expect((await deliveriesOf(sub)).map((d) => [d.sequence, d.status])).toEqual([[1, 'pending']]);
    expect(((await (await api(`/publications/${whileDisabled}/deliveries`)).json()) as { deliveries: Row[] }).deliveries).toEqual([]);
    expect(await receiver.log()).toEqual([]);

    // Enabled again: the held delivery is enqueued at once onto the real delivery queue, whose consumer sends it.
    expect((await api(`/subscriptions/${sub}`, { method: 'PATCH', json: { enabled: true } })).status).toBe(200);
    const until = Date.now() + 20_000;
    while ((await deliveriesOf(sub))[0]?.status !== 'delivered') {
      if (Date.now() > until) throw new Error('held delivery not resumed');
      await new Promise((ok) => setTimeout(ok, 100));
    }
    const got = acceptedOnce(await receiver.log(), 'pause');
    expect([...got.values()].map((e) => e.publication.id)).toEqual([first]);
    // Publications after enabling are delivered again.
    const after = await publish();
    await drain(dd, q, c);
    expect([...acceptedOnce(await receiver.log(), 'pause').values()].map((e) => e.publication.id)).toEqual([first, after]);
  });
});

describe('a receiver that does not answer in time', () => {
  withCleanState();
  beforeEach(() => receiver.reset());

  it('is retried (NO_RESPONSE after DELIVERY_TIMEOUT_MS), then delivered with the same webhook-id', async () => {
    await fixtures.routes([{ key: 'dlvslow.liverc.com/events/', file: 'liverc/Track.events.listing.page.html' }]);
    const { c, q, dd, publish } = setup('dlvslow');
    const sub = await subscribeTo('slow', [PIPELINE]);
    // DELIVERY_TIMEOUT_MS=1000 (vitest.config.ts): the first request hangs 1.5 s and is abandoned.
    await receiver.behaviour('slow', { fail: 1, hangMs: 1500 });
    const pubId = await publish(false);
    const id = `msg_${pubId}_${sub}`;
    const first = q.take()!;
    expect(await deliverOne(dd, first)).toBe('retry_scheduled');
    expect(await new D1DeliveryStore(env.DB).getDelivery(id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: null,
      lastError: expect.stringMatching(/^NO_RESPONSE/),
    });
    await drain(dd, q, c);
    expect(await new D1DeliveryStore(env.DB).getDelivery(id)).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 204 });
    await new Promise((ok) => setTimeout(ok, 600)); // the abandoned request's late entry in the receiver's log
    expect((await receiver.log()).map((r) => r.webhookId)).toEqual([id, id]);
  });
});
