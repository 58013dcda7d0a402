/** Wire shapes of subscriptions and deliveries. The signing secret is never part of any response. */
import { DELIVERY_STATUSES, type Delivery, type Subscription } from '../../core/delivery';
import type { DeliveryMetrics } from '../../core/delivery-ports';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function subscriptionJson(s: Subscription) {
  return {
    id: s.id,
    url: s.url,
    description: s.description,
    pipelines: s.pipelines,
    // `<pipeline> <scope_key>` pairs, as matched against publications.
    scopes: s.scopeFilter.map((e) => ({ pipeline: e.slice(0, e.indexOf(' ')), scope_key: e.slice(e.indexOf(' ') + 1) })),
    enabled: s.enabled,
    secret_set: s.secret.length > 0,
    created_by: s.createdBy,
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
  };
}

export function deliveryJson(d: Delivery) {
  return {
    id: d.id,
    subscription_id: d.subscriptionId,
    publication_id: d.publicationId,
    pipeline: d.pipeline,
    scope_key: d.scopeKey,
    sequence: d.sequence,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    last_attempt_at: iso(d.lastAttemptAt),
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    delivered_at: iso(d.deliveredAt),
    latency_ms: d.latencyMs,
    duration_ms: d.durationMs,
    created_at: iso(d.createdAt),
  };
}

const HELP: Array<[string, string, string]> = [
  ['ingestion_deliveries', 'gauge', 'Push deliveries by status (pending, delivered, dead, canceled).'],
];

/** Prometheus lines appended to /metrics. */
export function renderDeliveryMetrics(m: DeliveryMetrics, now: number): string {
  const oldestPendingAge = m.oldestPendingCreatedAt === null ? 0 : Math.max(0, (now - m.oldestPendingCreatedAt) / 1000);
  const lines = [
    `# HELP ${HELP[0]![0]} ${HELP[0]![2]}`,
    `# TYPE ${HELP[0]![0]} ${HELP[0]![1]}`,
    ...DELIVERY_STATUSES.map((s) => `ingestion_deliveries{status="${s}"} ${m.byStatus.find((r) => r.status === s)?.count ?? 0}`),
    '# HELP ingestion_delivery_failed_attempts_total Delivery attempts that did not deliver (5xx, 429, timeouts, refusals).',
    '# TYPE ingestion_delivery_failed_attempts_total counter',
    `ingestion_delivery_failed_attempts_total ${m.failedAttempts}`,
    '# HELP ingestion_delivery_latency_seconds Publication to acknowledged delivery.',
    '# TYPE ingestion_delivery_latency_seconds summary',
    `ingestion_delivery_latency_seconds_sum ${m.latencySumMs / 1000}`,
    `ingestion_delivery_latency_seconds_count ${m.deliveredCount}`,
    '# HELP ingestion_delivery_oldest_pending_age_seconds Age of the oldest pending delivery.',
    '# TYPE ingestion_delivery_oldest_pending_age_seconds gauge',
    `ingestion_delivery_oldest_pending_age_seconds ${oldestPendingAge}`,
  ];
  return `${lines.join('\n')}\n`;
}
