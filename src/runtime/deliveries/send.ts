/**
 * One delivery attempt, as the delivery queue's consumer runs it. At least once: the delivery is marked delivered
 * only after the receiver's 2xx, so a crash in between resends it with the same webhook-id (receivers deduplicate
 * by it). In order: only the head of its (subscription, scope) stream is sent; when it is delivered, the next one
 * is enqueued. Retries are scheduled here (capped backoff with jitter, Retry-After honoured), not by the queue.
 */
import { Webhook } from 'standardwebhooks';
import { checkTarget, classifyStatus, parseRetryAfter, retryDelaySec, type Delivery } from '../../core/delivery';
import { NonRetryableError } from '../../core/errors';
import { loadEnvelopeText } from '../lookups';
import type { DeliveryDeps } from './deps';

export type DeliveryOutcome =
  | 'delivered'
  | 'duplicate'
  | 'retry_scheduled'
  | 'dead'
  | 'canceled'
  | 'not_pending'
  | 'not_head'
  | 'not_due'
  | 'paused';

export async function deliverOne(deps: DeliveryDeps, deliveryId: string): Promise<DeliveryOutcome> {
  const d = await deps.deliveries.getDelivery(deliveryId);
  if (d?.status !== 'pending') return 'not_pending';
  const head = await deps.deliveries.streamHead(d.subscriptionId, d.pipeline, d.scopeKey);
  // An earlier publication of this scope is still undelivered (or dead): this one waits for it. Its own message
  // is dropped; the head's delivery (or redelivery) enqueues it again.
  if (head?.id !== d.id) return 'not_head';
  const now = deps.now();
  if (d.nextAttemptAt > now) {
    await deps.queue.send(d.id, Math.ceil((d.nextAttemptAt - now) / 1000));
    return 'not_due';
  }
  const sub = await deps.deliveries.getSubscription(d.subscriptionId);
  if (!sub) {
    // Deleted after this delivery was fanned out (a publication committing alongside the deletion): canceled, as
    // its deletion cancels every other open delivery of it.
    await deps.deliveries.cancelDeliveries(d.subscriptionId, deps.now(), 'SUBSCRIPTION_DELETED: the subscription no longer exists');
    return 'canceled';
  }
  // A disabled subscription keeps its open deliveries pending (paused, in order); re-enabling it resumes them. It gets
  // no deliveries for publications made while it is disabled (the fan-out skips it): disabled is off, not a buffer.
  if (!sub.enabled) return 'paused';
  const target = checkTarget(sub.url, deps.config.allowedHosts, deps.config.serviceBindings);
  if (!target.ok) return dead(deps, d, null, `TARGET_NOT_ALLOWED: ${target.reason}`);
  const pub = await deps.store.getPublication(d.publicationId);
  if (!pub) return dead(deps, d, null, 'PUBLICATION_MISSING: the publication row is gone');
  let body: string;
  try {
    body = await loadEnvelopeText(deps.blobs, pub);
  } catch (err) {
    // A missing envelope cannot heal by retrying; storage being down can (the consumer's error path retries it).
    if (err instanceof NonRetryableError) return dead(deps, d, null, `${err.code}: ${err.message}`);
    throw err;
  }
  // The receiver compares webhook-timestamp with its own clock: sign with the wall clock, not an injected one.
  const signedAt = new Date();
  const signature = new Webhook(sub.secret).sign(d.id, signedAt, body);
  const headers = {
    'content-type': 'application/json',
    'webhook-id': d.id,
    'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
    'webhook-signature': signature,
    'x-publication-id': pub.id,
    'x-delivery-attempt': String(d.attempts + 1),
  };
  const started = Date.now();
  let status: number | null = null;
  let retryAfter: string | null = null;
  let error: string;
  try {
    ({ status, retryAfter } = await deps.transport.send({ target: sub.url, headers, body, timeoutMs: deps.config.timeoutMs }));
    error = `HTTP ${status}`;
  } catch (err) {
    error = `NO_RESPONSE: ${String((err as Error)?.message ?? err).slice(0, 300)}`;
  }
  const kind = status === null ? 'retry' : classifyStatus(status);
  if (kind === 'delivered') {
    await deps.afterSend?.(d);
    const marked = await deps.deliveries.markDelivered(d.id, deps.now(), status!, Date.now() - started);
    if (marked) await enqueueNext(deps, d);
    return marked ? 'delivered' : 'duplicate';
  }
  if (kind === 'rejected') return dead(deps, d, status, `RECEIVER_REJECTED: ${error}`);
  if (d.attempts + 1 >= deps.config.maxAttempts) return dead(deps, d, status, `ATTEMPTS_EXHAUSTED: ${error}`);
  const delay = retryDelaySec(deps.config, d.attempts + 1, parseRetryAfter(retryAfter, now), deps.random ?? Math.random);
  const updated = await deps.deliveries.recordFailure(d.id, { now, statusCode: status, error, nextAttemptAt: now + delay * 1000 });
  if (updated) {
    await deps.queue.send(d.id, delay);
    await deps.deliveries.markEnqueued([d.id], now);
  }
  deps.log.info('delivery attempt failed; retry scheduled', {
    delivery_id: d.id,
    status,
    error,
    retry_in_sec: delay,
    attempts: d.attempts + 1,
  });
  return 'retry_scheduled';
}

async function dead(deps: DeliveryDeps, d: Delivery, status: number | null, error: string): Promise<DeliveryOutcome> {
  await deps.deliveries.recordFailure(d.id, { now: deps.now(), statusCode: status, error, nextAttemptAt: null });
  deps.log.error('delivery dead-lettered; its scope stream waits until it is redelivered', {
    delivery_id: d.id,
    subscription_id: d.subscriptionId,
    error,
  });
  return 'dead';
}

/** After a delivery lands, the next delivery of its stream (if any) becomes the head: send it now. */
async function enqueueNext(deps: DeliveryDeps, d: Delivery): Promise<void> {
  const next = await deps.deliveries.streamHead(d.subscriptionId, d.pipeline, d.scopeKey);
  if (next?.status !== 'pending') return;
  const now = deps.now();
  await deps.queue.send(next.id, next.nextAttemptAt > now ? Math.ceil((next.nextAttemptAt - now) / 1000) : undefined);
  await deps.deliveries.markEnqueued([next.id], now);
}
