/** The client's push-delivery side: subscription management against the real Worker, and signature verification. */
import { exports } from 'cloudflare:workers';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newSecret, receiver } from '../../test/delivery-helpers';
import { READER_TOKEN, TOKEN, withCleanState } from '../../test/helpers';
import { AdapterApiError, AdapterClient, verifyDelivery, WebhookVerificationError } from './adapter-client';

const client = (token = TOKEN) => new AdapterClient({ baseUrl: 'http://adapter.local', token, fetch: (req) => exports.default.fetch(req) });

describe('AdapterClient push delivery', () => {
  withCleanState();

  it('manages subscriptions and reads delivery state', async () => {
    const c = client();
    const sub = await c.createSubscription({
      url: receiver.url('client'),
      secret: newSecret(),
      pipelines: ['liverc.event_catalog'],
      scopes: [{ track_slug: 'BBRCC' }],
    });
    expect(sub).toMatchObject({
      enabled: true,
      secret_set: true,
      scopes: [{ pipeline: 'liverc.event_catalog', scope_key: 'track_slug=bbrcc' }],
    });
    expect((await c.subscriptions()).map((s) => s.id)).toEqual([sub.id]);
    expect((await c.updateSubscription(sub.id, { enabled: false })).enabled).toBe(false);
    expect(await c.deliveries({ subscriptionId: sub.id })).toEqual({ deliveries: [], next_cursor: null });
    expect(await c.redeliverDead({ subscriptionId: sub.id })).toEqual({ redelivered: 0, delivery_ids: [] });
    const refused = await client(READER_TOKEN)
      .createSubscription({ url: receiver.url('client'), secret: newSecret() })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(AdapterApiError);
    expect(refused.code).toBe('ROLE_FORBIDDEN');
    const badHost = await c.createSubscription({ url: 'https://elsewhere.example.org/h', secret: newSecret() }).catch((e) => e);
    expect(badHost.code).toBe('TARGET_NOT_ALLOWED');
    expect(badHost.details.fields.url).toBeDefined();
    expect(await c.deleteSubscription(sub.id)).toEqual({ deleted: sub.id, canceled_deliveries: 0 });
    expect(await c.subscriptions()).toEqual([]);
    expect(((await c.deleteSubscription(sub.id).catch((e) => e)) as AdapterApiError).code).toBe('SUBSCRIPTION_NOT_FOUND');
  });

  it('verifies a Standard Webhooks delivery and refuses a tampered, foreign or stale one', () => {
    const secret = newSecret();
    const body = JSON.stringify({ contract: 'x', publication: { id: 'p1', sequence: 1 }, payload: { a: 1 } });
    const now = new Date();
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_1', now, body),
    };
    const ok = verifyDelivery<{ a: number }>(secret, body, new Headers(headers));
    expect(ok.id).toBe('msg_1');
    expect(ok.envelope.payload.a).toBe(1);
    expect(verifyDelivery(secret, body, headers).id).toBe('msg_1');
    expect(() => verifyDelivery(secret, body.replace('"a":1', '"a":2'), headers)).toThrow(WebhookVerificationError);
    expect(() => verifyDelivery(newSecret(), body, headers)).toThrow(WebhookVerificationError);
    const old = new Date(now.getTime() - 10 * 60_000);
    const stale = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_1', old, body),
    };
    expect(() => verifyDelivery(secret, body, stale)).toThrow(WebhookVerificationError);
  });
});
