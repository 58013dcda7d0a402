/** The outbox's raw statements and conditions (webhook_subscriptions, webhook_deliveries), in either dialect. */
import { sql } from 'drizzle-orm';
import type { Publication } from '../../core/types';
import type { SqlDialect } from './dialect';

/**
 * The fan-out statement: one pending delivery per enabled, matching subscription, only if the publication row is
 * there (inside the same batch it was inserted by a statement before this one, or not at all when the claim was
 * lost). Run in the publication's batch, so a publication never exists without its deliveries, nor the reverse.
 */
export function fanOutStatement(d: SqlDialect, pub: Publication) {
  const text = (v: string) => d.typed(v, 'text');
  const at = d.typed(pub.publishedAt, 'bigint');
  const columns = sql.raw(
    'id, subscription_id, publication_id, pipeline, scope_key, sequence, status, attempts, next_attempt_at, created_at',
  );
  return sql`INSERT INTO webhook_deliveries (${columns})
    SELECT 'msg_' || ${text(pub.id)} || '_' || s.id, s.id, ${text(pub.id)}, ${text(pub.pipeline)}, ${text(pub.scopeKey)},
      ${d.typed(pub.sequence, 'int')}, 'pending', 0, ${at}, ${at}
    FROM webhook_subscriptions s
    WHERE s.enabled = ${d.TRUE}
      AND (s.pipelines = '[]' OR ${d.json.arrayHas(sql.raw('s.pipelines'), text(pub.pipeline))})
      AND (s.scope_filter = '[]' OR ${d.json.arrayHas(sql.raw('s.scope_filter'), text(`${pub.pipeline} ${pub.scopeKey}`))})
      AND EXISTS (SELECT 1 FROM published_results WHERE id = ${text(pub.id)})`;
}

/** An earlier (lower sequence) open (pending or dead) delivery exists in the same stream. */
export function hasEarlier({ t }: SqlDialect) {
  const del = t.webhookDeliveries;
  return sql`EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = ${del.subscriptionId} AND e.pipeline = ${del.pipeline}
    AND e.scope_key = ${del.scopeKey} AND e.status IN ('pending', 'dead') AND e.sequence < ${del.sequence})`;
}

/** A disabled subscription's deliveries wait (pending) without being re-enqueued every minute. */
export function subscriptionEnabled({ t, TRUE }: SqlDialect) {
  return sql`EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = ${t.webhookDeliveries.subscriptionId} AND s.enabled = ${TRUE})`;
}

/** The open deliveries of a subscription become canceled (its deletion, or an orphan found at send time). */
export const cancelOpen = (subscriptionId: string, now: number, reason: string) =>
  sql`UPDATE webhook_deliveries SET status = 'canceled', next_attempt_at = ${now}, last_error = ${reason.slice(0, 1000)}
    WHERE subscription_id = ${subscriptionId} AND status IN ('pending', 'dead')`;
