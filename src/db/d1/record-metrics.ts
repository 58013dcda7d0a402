/**
 * Record metrics for /metrics, read from finished jobs' stored results (JSON text): what pipelines reported as
 * seen/accepted/rejected (`result.acceptance`, also kept by a job failed on its rejection threshold) and the
 * provider requests each job made. SQLite's JSON1 functions (in D1) do the summing.
 */
import { sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { MetricsSnapshot } from '../../core/ports';

type Db = DrizzleD1Database<Record<string, never>>;

export async function recordMetrics(db: Db): Promise<Pick<MetricsSnapshot, 'recordsByPipeline' | 'rejectionsByRule'>> {
  const [records, rules] = await db.batch([
    db.all<{ pipeline: string; seen: number; accepted: number; rejected: number; providerRequests: number }>(sql`
      SELECT pipeline,
        coalesce(sum(json_extract(result, '$.acceptance.records_seen')), 0) AS seen,
        coalesce(sum(json_extract(result, '$.acceptance.accepted')), 0) AS accepted,
        coalesce(sum(json_extract(result, '$.acceptance.rejected')), 0) AS rejected,
        coalesce(sum(json_extract(result, '$.provider_requests')), 0) AS providerRequests
      FROM ingestion_jobs
      WHERE result IS NOT NULL AND json_valid(result)
        AND (json_type(result, '$.acceptance') = 'object' OR json_type(result, '$.provider_requests') IS NOT NULL)
      GROUP BY pipeline ORDER BY pipeline`),
    db.all<{ pipeline: string; rule: string; count: number }>(sql`
      SELECT j.pipeline AS pipeline, r.key AS rule, sum(r.value) AS count
      FROM ingestion_jobs j, json_each(j.result, '$.acceptance.rejected_by_rule') r
      WHERE j.result IS NOT NULL AND json_valid(j.result) AND json_type(j.result, '$.acceptance.rejected_by_rule') = 'object'
      GROUP BY j.pipeline, r.key ORDER BY j.pipeline, r.key`),
  ]);
  return {
    recordsByPipeline: records.map((r) => ({
      ...r,
      seen: Number(r.seen),
      accepted: Number(r.accepted),
      rejected: Number(r.rejected),
      providerRequests: Number(r.providerRequests),
    })),
    rejectionsByRule: rules.map((r) => ({ ...r, count: Number(r.count) })),
  };
}
