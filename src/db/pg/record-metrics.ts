/**
 * Record metrics for /metrics on PostgreSQL (the D1 twin is src/db/d1/record-metrics.ts): finished jobs' results
 * are text columns (byte-for-byte as on D1), cast to jsonb here; a result that is not JSON is skipped, as on D1.
 */
import { sql } from 'drizzle-orm';
import type { MetricsSnapshot } from '../../core/ports';
import type { Tx } from './client';

const asJson = sql.raw(`(CASE WHEN result IS NOT NULL AND result ~ '^\\s*\\{' THEN result::jsonb END)`);

export async function recordMetrics(db: Pick<Tx, 'execute'>): Promise<Pick<MetricsSnapshot, 'recordsByPipeline' | 'rejectionsByRule'>> {
  const records = (await db.execute(sql`
    SELECT pipeline,
      coalesce(sum((r->'acceptance'->>'records_seen')::numeric), 0) AS seen,
      coalesce(sum((r->'acceptance'->>'accepted')::numeric), 0) AS accepted,
      coalesce(sum((r->'acceptance'->>'rejected')::numeric), 0) AS rejected,
      coalesce(sum((r->>'provider_requests')::numeric), 0) AS provider_requests
    FROM (SELECT pipeline, ${asJson} AS r FROM ingestion_jobs) j
    WHERE jsonb_typeof(r->'acceptance') = 'object' OR r ? 'provider_requests'
    GROUP BY pipeline ORDER BY pipeline`)) as unknown as Array<Record<string, unknown>>;
  const rules = (await db.execute(sql`
    SELECT pipeline, e.key AS rule, sum(e.value::numeric) AS count
    FROM (SELECT pipeline, ${asJson} AS r FROM ingestion_jobs) j, jsonb_each_text(r->'acceptance'->'rejected_by_rule') e
    WHERE jsonb_typeof(r->'acceptance'->'rejected_by_rule') = 'object'
    GROUP BY pipeline, e.key ORDER BY pipeline, e.key`)) as unknown as Array<Record<string, unknown>>;
  return {
    recordsByPipeline: records.map((r) => ({
      pipeline: String(r.pipeline),
      seen: Number(r.seen),
      accepted: Number(r.accepted),
      rejected: Number(r.rejected),
      providerRequests: Number(r.provider_requests),
    })),
    rejectionsByRule: rules.map((r) => ({ pipeline: String(r.pipeline), rule: String(r.rule), count: Number(r.count) })),
  };
}
