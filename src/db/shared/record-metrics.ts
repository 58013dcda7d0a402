/**
 * Record metrics for /metrics, read from finished jobs' stored results (JSON text on both stores): what pipelines
 * reported as seen/accepted/rejected (`result.acceptance`, also kept by a job failed on its rejection threshold) and
 * the provider requests each job made. The database's JSON functions do the summing (the dialect's JsonSql); a
 * result that is not a JSON object is skipped.
 */
import { sql } from 'drizzle-orm';
import type { MetricsSnapshot } from '../../core/ports';
import type { JsonSql, Reader } from './dialect';

type RecordRow = { pipeline: string; seen: unknown; accepted: unknown; rejected: unknown; provider_requests: unknown };
type RuleRow = { pipeline: string; rule: string; count: unknown };
export type RecordMetrics = Pick<MetricsSnapshot, 'recordsByPipeline' | 'rejectionsByRule'>;

const RULES = ['acceptance', 'rejected_by_rule'];

/** The two statements, not yet run: the caller runs them in its metrics snapshot. */
export function recordQueries(r: Reader, j: JsonSql): [PromiseLike<RecordRow[]>, PromiseLike<RuleRow[]>] {
  const sum = (...path: string[]) => sql`coalesce(sum(${j.num(path)}), 0)`;
  return [
    r.rows<RecordRow>(sql`
      SELECT j.pipeline AS pipeline, ${sum('acceptance', 'records_seen')} AS seen, ${sum('acceptance', 'accepted')} AS accepted,
        ${sum('acceptance', 'rejected')} AS rejected, ${sum('provider_requests')} AS provider_requests
      FROM ${j.results} j
      WHERE ${j.isObject(['acceptance'])} OR ${j.has('provider_requests')}
      GROUP BY j.pipeline ORDER BY j.pipeline`),
    r.rows<RuleRow>(sql`
      SELECT j.pipeline AS pipeline, e.key AS rule, sum(${j.entryValue}) AS count
      FROM ${j.results} j, ${j.entries(RULES)}
      WHERE ${j.isObject(RULES)}
      GROUP BY j.pipeline, e.key ORDER BY j.pipeline, e.key`),
  ];
}

/** Sums come back as numbers (D1) or numeric strings (Postgres): both read as numbers. */
export function toRecordMetrics(records: RecordRow[], rules: RuleRow[]): RecordMetrics {
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
