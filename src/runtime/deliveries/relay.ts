/**
 * The outbox relay and the kicks that start deliveries. A queue message can be lost (a send that failed after the
 * publication committed, a consumer that crashed): the minute cron re-enqueues every due stream head that was not
 * enqueued recently, so a delivery row, once committed, is always sent eventually.
 */
import type { DeliveryQueue, DeliveryStore } from '../../core/delivery-ports';
import type { Logger } from '../../core/ports';

/** The relay does not re-send a delivery enqueued within this window (its message is probably still in flight). */
export const RESEND_AFTER_MS = 60_000;

export interface RelayDeps {
  deliveries: DeliveryStore;
  queue: DeliveryQueue;
  log: Logger;
  now: () => number;
}

export async function relayDeliveries(deps: RelayDeps, limit = 200): Promise<string[]> {
  const now = deps.now();
  const heads = await deps.deliveries.dueHeads(now, now - RESEND_AFTER_MS, limit);
  const ids = heads.map((d) => d.id);
  if (ids.length === 0) return ids;
  await deps.queue.sendMany(ids);
  await deps.deliveries.markEnqueued(ids, now);
  deps.log.info('outbox relay enqueued deliveries', { count: ids.length });
  return ids;
}

/**
 * Right after a publication commits: enqueue its deliveries. Best effort by design (the relay covers a failure),
 * and the consumer drops those that are not the head of their stream.
 */
export async function kickPublication(deps: RelayDeps, publicationId: string): Promise<number> {
  const rows = await deps.deliveries.listDeliveries({ publicationId, status: 'pending', limit: 1000 });
  const ids = rows.map((d) => d.id);
  if (ids.length === 0) return 0;
  await deps.queue.sendMany(ids);
  await deps.deliveries.markEnqueued(ids, deps.now());
  return ids.length;
}

/**
 * A subscription enabled again: its held stream heads are enqueued now, whenever they were last enqueued (their
 * messages were acknowledged as paused while it was disabled, so none is in flight).
 */
export async function resumeSubscription(deps: RelayDeps, subscriptionId: string, limit = 1000): Promise<number> {
  const now = deps.now();
  const heads = await deps.deliveries.dueHeads(now, Number.MAX_SAFE_INTEGER, limit, subscriptionId);
  const ids = heads.map((d) => d.id);
  if (ids.length === 0) return 0;
  await deps.queue.sendMany(ids);
  await deps.deliveries.markEnqueued(ids, now);
  deps.log.info('subscription resumed; its held deliveries enqueued', { subscription_id: subscriptionId, count: ids.length });
  return ids.length;
}

/** Redelivery from the API: dead (or delivered, when asked) deliveries back to pending, and enqueued. */
export async function redeliver(deps: RelayDeps, ids: string[], includeDelivered: boolean): Promise<string[]> {
  const now = deps.now();
  const reset = await deps.deliveries.redeliver(ids, now, includeDelivered);
  if (reset.length) {
    await deps.queue.sendMany(reset);
    await deps.deliveries.markEnqueued(reset, now);
  }
  return reset;
}

export type { DeliveryQueue };
