/**
 * Ports of push delivery. Deliveries are created only inside Store.recordDecision (the publication's own
 * transaction); everything else about them goes through DeliveryStore, implemented for D1 and Postgres.
 */
import type { Delivery, DeliveryStatus, Subscription } from './delivery';

export type NewSubscription = Omit<Subscription, 'updatedAt'>;

export interface SubscriptionPatch {
  url?: string;
  description?: string | null;
  pipelines?: string[];
  scopeFilter?: string[];
  secret?: string;
  enabled?: boolean;
}

export interface DeliveryFilter {
  subscriptionId?: string;
  publicationId?: string;
  status?: DeliveryStatus;
  /** Newest first; the cursor is the last row's (createdAt, id). */
  cursor?: { createdAt: number; id: string };
  limit: number;
}

export interface AttemptFailure {
  now: number;
  statusCode: number | null;
  error: string;
  /** Next attempt time; null ends the delivery dead. */
  nextAttemptAt: number | null;
}

export interface DeliveryMetrics {
  byStatus: Array<{ status: string; count: number }>;
  /** Sum of attempts that did not deliver (failed tries of delivered, pending and dead deliveries). */
  failedAttempts: number;
  /** Sum and count of delivered latencies (publication to acknowledgement), ms. */
  latencySumMs: number;
  deliveredCount: number;
  oldestPendingCreatedAt: number | null;
}

/** One subscription's deliveries at a glance (the console's deliveries page): counts by status and the latest times. */
export interface SubscriptionSummary {
  subscriptionId: string;
  pending: number;
  delivered: number;
  dead: number;
  /** Pending deliveries whose stream is held back by a dead head (a redelivery releases them). */
  blocked: number;
  oldestPendingCreatedAt: number | null;
  lastAttemptAt: number | null;
  lastDeliveredAt: number | null;
}

export interface DeliveryStore {
  createSubscription(s: NewSubscription): Promise<Subscription>;
  getSubscription(id: string): Promise<Subscription | null>;
  listSubscriptions(): Promise<Subscription[]>;
  updateSubscription(id: string, patch: SubscriptionPatch, now: number): Promise<Subscription | null>;
  /**
   * Deletes the subscription and, in the same transaction, cancels its pending and dead deliveries (delivered ones
   * stay as they are). Null when there was no such subscription.
   */
  deleteSubscription(id: string, now: number): Promise<{ canceled: number } | null>;
  /** Cancels the pending and dead deliveries of a subscription (one deleted under a delivery in flight). */
  cancelDeliveries(subscriptionId: string, now: number, reason: string): Promise<number>;

  getDelivery(id: string): Promise<Delivery | null>;
  listDeliveries(filter: DeliveryFilter): Promise<Delivery[]>;
  /** The stream's head: its oldest delivery that is still open (pending or dead), or null. */
  streamHead(subscriptionId: string, pipeline: string, scopeKey: string): Promise<Delivery | null>;
  /** Stream heads that are pending, due and not enqueued since `resentBefore` (the outbox relay's work); of one subscription if given. */
  dueHeads(now: number, resentBefore: number, limit: number, subscriptionId?: string): Promise<Delivery[]>;
  markEnqueued(ids: string[], now: number): Promise<void>;
  /** Only a pending delivery becomes delivered; false when it was not pending (a duplicate message). */
  markDelivered(id: string, now: number, statusCode: number, durationMs: number): Promise<boolean>;
  /** Counts one failed attempt of a pending delivery and reschedules it, or ends it dead. */
  recordFailure(id: string, failure: AttemptFailure): Promise<Delivery | null>;
  /** Dead (or, with `includeDelivered`, delivered) deliveries back to pending with a fresh attempt budget; never canceled ones. */
  redeliver(ids: string[], now: number, includeDelivered: boolean): Promise<string[]>;
  /** Ids of dead deliveries matching a filter, oldest first (bulk redelivery). */
  listDeadIds(filter: { subscriptionId?: string; pipeline?: string; createdFrom?: number }, limit: number): Promise<string[]>;
  metrics(): Promise<DeliveryMetrics>;
  /**
   * One row per subscription that has deliveries (one grouped query), or only the given subscription's; a
   * subscription without deliveries has no row.
   */
  subscriptionSummaries(subscriptionId?: string): Promise<SubscriptionSummary[]>;
}

export interface DeliveryQueue {
  send(deliveryId: string, delaySec?: number): Promise<void>;
  sendMany(deliveryIds: string[]): Promise<void>;
}

export interface OutboundRequest {
  target: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** Sends one signed request: HTTP fetch or a service binding. Throws on no answer (timeout, network). */
export interface DeliveryTransport {
  send(req: OutboundRequest): Promise<{ status: number; retryAfter: string | null }>;
}
