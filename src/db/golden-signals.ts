/**
 * Column expressions of the golden-signal metrics queries, shared by the D1 and Postgres stores (plain SQL that
 * both dialects read the same way). Each store runs them in its own snapshot (a D1 batch, a read-only Postgres
 * transaction).
 */
import { sql, type SQL } from 'drizzle-orm';
import { ATTEMPT_DURATION_BUCKETS_MS } from '../core/ports';

type Col = Parameters<typeof sql>[1];

/** sum(...) of attempts at or under each bucket bound, as b0..bN. */
export function durationBuckets(durationMs: Col): Record<string, SQL<number>> {
  const out: Record<string, SQL<number>> = {};
  ATTEMPT_DURATION_BUCKETS_MS.forEach((le, i) => {
    out[`b${i}`] = sql<number>`sum(case when ${durationMs} <= ${sql.raw(String(le))} then 1 else 0 end)`;
  });
  return out;
}

export function toDurationRow(r: Record<string, unknown>): { pipeline: string; count: number; sumMs: number; buckets: number[] } {
  return {
    pipeline: String(r.pipeline),
    count: Number(r.count ?? 0),
    sumMs: Number(r.sumMs ?? 0),
    buckets: ATTEMPT_DURATION_BUCKETS_MS.map((_, i) => Number(r[`b${i}`] ?? 0)),
  };
}
