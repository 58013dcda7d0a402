/**
 * Receiving the adapter's push deliveries: verify the Standard Webhooks signature with the same `standardwebhooks`
 * package the adapter signs with, then deduplicate by `webhook-id` (delivery is at least once).
 *
 *   const envelope = verifyDelivery(process.env.ADAPTER_WEBHOOK_SECRET!, rawBody, req.headers);
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { Envelope } from './adapter-client';

export { WebhookVerificationError };

export interface VerifiedDelivery<Payload = unknown> {
  /** `webhook-id`: stable across redeliveries of one delivery; the deduplication key. */
  id: string;
  envelope: Envelope<Payload>;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderSource, name: string): string {
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? '';
  const v =
    (h as Record<string, string | string[] | undefined>)[name] ?? (h as Record<string, string | string[] | undefined>)[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

/**
 * Verifies signature and timestamp (5-minute tolerance) over the raw body exactly as received, and parses it.
 * Throws WebhookVerificationError when the request was not signed with `secret` (`whsec_...`), or is stale.
 */
export function verifyDelivery<Payload = unknown>(secret: string, rawBody: string, headers: HeaderSource): VerifiedDelivery<Payload> {
  const h = {
    'webhook-id': header(headers, 'webhook-id'),
    'webhook-timestamp': header(headers, 'webhook-timestamp'),
    'webhook-signature': header(headers, 'webhook-signature'),
  };
  const envelope = new Webhook(secret).verify(rawBody, h) as Envelope<Payload>;
  return { id: h['webhook-id'], envelope };
}
