/**
 * Push delivery through the Worker itself: subscription management over the API (operator role, write-only secret,
 * 400s naming the field), and a job enqueued over the API whose publication reaches the loopback receiver through
 * the real delivery queue and consumer. The cron's outbox relay re-enqueues a delivery whose message was lost.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../src/worker/index';
import { acceptedOnce, newSecret, receiver } from './delivery-helpers';
import { api, fixtures, READER_TOKEN, waitForJob, withCleanState } from './helpers';

const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string; details?: Record<string, any> } }).error;

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

describe('subscriptions API', () => {
  withCleanState();
  beforeEach(() => receiver.reset());

  it('creates, lists, patches; never returns the secret; needs the operator role', async () => {
    const secret = newSecret();
    const body = {
      url: receiver.url('api'),
      secret,
      pipelines: ['liverc.event_deep'],
      scopes: [{ event_id: 14675, track_slug: 'CanberraOffroad' }],
      description: 'nest backend',
    };
    expect((await api('/subscriptions', { method: 'POST', json: body, token: READER_TOKEN })).status).toBe(403);
    const res = await api('/subscriptions', { method: 'POST', json: body });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain(secret.slice(6));
    const { subscription } = JSON.parse(text) as { subscription: Record<string, any> };
    expect(subscription).toMatchObject({
      url: body.url,
      pipelines: ['liverc.event_deep'],
      enabled: true,
      secret_set: true,
      created_by: 'default',
      description: 'nest backend',
    });
    expect(subscription.scopes).toEqual([{ pipeline: 'liverc.event_deep', scope_key: expect.stringContaining('event_id=14675') }]);
    expect(subscription.scopes[0].scope_key).toContain('canberraoffroad');
    expect(subscription).not.toHaveProperty('secret');
    for (const path of ['/subscriptions', `/subscriptions/${subscription.id}`]) {
      const r = await api(path, { token: READER_TOKEN });
      expect(r.status).toBe(200);
      expect(await r.text()).not.toContain(secret.slice(6));
    }
    const patched = await api(`/subscriptions/${subscription.id}`, { method: 'PATCH', json: { enabled: false, secret: newSecret() } });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as any).subscription).toMatchObject({ enabled: false, secret_set: true });
    expect((await api(`/subscriptions/${subscription.id}`, { method: 'PATCH', json: { enabled: true }, token: READER_TOKEN })).status).toBe(
      403,
    );
    expect((await api(`/subscriptions/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('refuses bad subscriptions with a 400 naming the field: host not allowed, bad secret, unknown pipeline, scope, field', async () => {
    const ok = { url: receiver.url('api'), secret: newSecret(), pipelines: ['liverc.event_catalog'] };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...ok, url: 'https://evil.example.com/hook' }, 'TARGET_NOT_ALLOWED', 'url'],
      [{ ...ok, url: 'http://169.254.169.254/latest/meta-data' }, 'TARGET_NOT_ALLOWED', 'url'],
      [{ ...ok, url: 'ftp://127.0.0.1/x' }, 'TARGET_NOT_ALLOWED', 'url'],
      [{ ...ok, url: 'http://user:pw@127.0.0.1/x' }, 'TARGET_NOT_ALLOWED', 'url'],
      [{ ...ok, url: 'service:NOT_BOUND' }, 'TARGET_NOT_ALLOWED', 'url'],
      [{ ...ok, secret: 'not-a-standard-webhooks-secret-at-all' }, 'INVALID_SECRET', 'secret'],
      [{ ...ok, secret: `whsec_${btoa('short')}${'A'.repeat(24)}!` }, 'INVALID_SECRET', 'secret'],
      [{ ...ok, pipelines: ['liverc.nope'] }, 'UNKNOWN_PIPELINE', 'pipelines.0'],
      [{ ...ok, scopes: [{ country: 'us' }] }, 'INVALID_SCOPE', 'scopes.0.country'],
      [{ ...ok, pipelines: [], scopes: [{ track_slug: 'x' }] }, 'PIPELINES_REQUIRED', 'pipelines'],
      [{ ...ok, colour: 'red' }, 'INVALID_REQUEST', 'colour'],
      [{ ...ok, url: undefined }, 'INVALID_REQUEST', 'url'],
    ];
    for (const [json, code, field] of cases) {
      const res = await api('/subscriptions', { method: 'POST', json });
      expect(res.status, `${code} ${field}`).toBe(400);
      const err = await errorOf(res);
      expect(err.code, JSON.stringify(json)).toBe(code);
      expect(Object.keys(err.details?.fields ?? {}), code).toContain(field);
    }
    expect(((await (await api('/subscriptions')).json()) as any).subscriptions).toEqual([]);
  });
});

describe('push delivery through the real queue and the cron relay', () => {
  withCleanState();
  beforeEach(() => receiver.reset());

  it('a job enqueued over the API is delivered, signed, by the delivery queue consumer; state visible per publication and in /metrics', async () => {
    await fixtures.routes([{ key: 'dlvqueue.liverc.com/events/', file: 'liverc/Track.events.listing.page.html' }]);
    const secret = newSecret();
    await receiver.secret('queue', secret);
    const sub = await api('/subscriptions', {
      method: 'POST',
      json: { url: receiver.url('queue'), secret, pipelines: ['liverc.event_catalog'] },
    });
    const subId = ((await sub.json()) as any).subscription.id as string;
    await receiver.behaviour('queue', { fail: 1, status: 503, retryAfter: 1 });
    const job = await api('/jobs', { method: 'POST', json: { pipeline: 'liverc.event_catalog', params: { track_slug: 'dlvqueue' } } });
    const jobId = ((await job.json()) as any).job.id as string;
    const done = await waitForJob(jobId);
    const pubId = done.job.result.publication_id as string;
    expect(pubId).toBeTruthy();
    const delivered = await waitFor(async () => {
      const r = (await (await api(`/publications/${pubId}/deliveries`)).json()) as { deliveries: Array<Record<string, any>> };
      return r.deliveries[0]?.status === 'delivered' ? r.deliveries[0] : null;
    });
    expect(delivered).toMatchObject({ subscription_id: subId, publication_id: pubId, attempts: 2, last_status_code: 204, sequence: 1 });
    const log = await receiver.log();
    expect(log.map((r) => [r.status, r.verified])).toEqual([
      [503, true],
      [204, true],
    ]);
    expect(new Set(log.map((r) => r.webhookId))).toEqual(new Set([delivered.id]));
    const envelope = [...acceptedOnce(log, 'queue').values()][0]!;
    expect(envelope.publication.id).toBe(pubId);
    // The body is the stored envelope, byte for byte as the API serves it.
    expect(log[1]!.body).toBe(await (await api(`/publications/${pubId}`)).text());
    const one = (await (await api(`/deliveries/${delivered.id}`)).json()) as any;
    expect(one.delivery.status).toBe('delivered');
    expect(await (await api('/metrics')).text()).toContain('ingestion_deliveries{status="delivered"} 1');
  });

  it('the cron relay re-enqueues a delivery whose queue message was lost', async () => {
    const secret = newSecret();
    await receiver.secret('relay', secret);
    const sub = await api('/subscriptions', {
      method: 'POST',
      json: { url: receiver.url('relay'), secret, pipelines: ['liverc.event_catalog'] },
    });
    const subId = ((await sub.json()) as any).subscription.id as string;
    // A committed delivery whose message never reached the queue: written as recordDecision would, with no kick.
    const pubId = crypto.randomUUID();
    await env.RAW.put(`envelopes/${pubId}.json`, JSON.stringify({ publication: { id: pubId, sequence: 1 }, scope_key: 'track_slug=lost' }));
    await env.DB.prepare(
      `INSERT INTO published_results (id, pipeline, scope_key, job_id, sequence, source_snapshot_hash, normalized_hash, envelope_hash, publication_decision, change_classification, publication_reason, parser_version, normalizer_version, entity_count, added_count, removed_count, changed_count, payload_key, envelope_key, published_at)
       VALUES (?, 'liverc.event_catalog', 'track_slug=lost', ?, 1, 's', 'n', 'e', 'PUBLISH_FIRST', 'FIRST_PUBLICATION', 'r', 'p', 'n', 0, 0, 0, 0, 'k', ?, ?)`,
    )
      .bind(pubId, crypto.randomUUID(), `envelopes/${pubId}.json`, Date.now() - 120_000)
      .run();
    const id = `msg_${pubId}_${subId}`;
    await env.DB.prepare(
      `INSERT INTO webhook_deliveries (id, subscription_id, publication_id, pipeline, scope_key, sequence, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 'liverc.event_catalog', 'track_slug=lost', 1, 'pending', 0, ?, ?)`,
    )
      .bind(id, subId, pubId, Date.now() - 120_000, Date.now() - 120_000)
      .run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    await waitFor(async () => ((await (await api(`/deliveries/${id}`)).json()) as any).delivery.status === 'delivered');
    expect((await receiver.log()).map((r) => [r.webhookId, r.status])).toEqual([[id, 204]]);
  });
});
