/**
 * The console overview's aggregates (src/core/console-reads.ts), one definition over both dialects' tables: plain
 * SQL both read alike, every count done by the database, each query answered from an index (jobs by state and
 * pipeline from a covering one, pressure from a partial one, publications per hour by time). A dialect runs the
 * four queries in one snapshot: a D1 batch, a read-only Postgres transaction.
 */
import { sql, type SQL } from 'drizzle-orm';
import { PRESSURE_WINDOW_MS, PUBLICATIONS_WINDOW_MS, type OverviewFigures } from '../../core/console-reads';
import type { Schema } from './dialect';
import { pressureCodesSql } from './pressure-sql';

const HOUR_MS = 3600_000;
type Row = Record<string, unknown>;

export function overviewQueries({ ingestionJobs: j, publishedResults: p }: Schema, now: number): SQL[] {
  return [
    sql`SELECT ${j.state} AS state, ${j.pipeline} AS pipeline, count(*) AS count, sum(${j.retryCount}) AS retries,
        min(${j.createdAt}) AS oldest
      FROM ${j} GROUP BY ${j.state}, ${j.pipeline} ORDER BY ${j.state}, ${j.pipeline}`,
    // The partial index's own predicate, to the letter, so SQLite reads that index.
    sql`SELECT ${j.pipeline} AS pipeline, ${j.lastErrorCode} AS code, count(*) AS jobs, max(${j.updatedAt}) AS last
      FROM ${j} WHERE ${pressureCodesSql()} AND ${j.updatedAt} >= ${now - PRESSURE_WINDOW_MS}
      GROUP BY ${j.pipeline}, ${j.lastErrorCode} ORDER BY ${j.pipeline}, ${j.lastErrorCode}`,
    sql`SELECT (${p.publishedAt} / ${sql.raw(String(HOUR_MS))}) * ${sql.raw(String(HOUR_MS))} AS hour, count(*) AS count
      FROM ${p} WHERE ${p.publishedAt} >= ${now - PUBLICATIONS_WINDOW_MS} GROUP BY 1 ORDER BY 1 DESC`,
    sql`SELECT count(*) AS n FROM ${p}`,
  ];
}

export function toOverview([counts = [], pressure = [], perHour = [], total = []]: Row[][]): OverviewFigures {
  const pending = counts.filter((r) => r.state === 'pending' && r.oldest !== null).map((r) => Number(r.oldest));
  return {
    jobsByStateAndPipeline: counts.map((r) => ({ state: String(r.state), pipeline: String(r.pipeline), count: Number(r.count) })),
    oldestPendingCreatedAt: pending.length ? Math.min(...pending) : null,
    retriesTotal: counts.reduce((n, r) => n + Number(r.retries ?? 0), 0),
    publicationsTotal: Number(total[0]?.n ?? 0),
    pressure: pressure.map((r) => ({ pipeline: String(r.pipeline), code: String(r.code), jobs: Number(r.jobs), last: Number(r.last) })),
    publicationsPerHour: perHour.map((r) => ({ hour: Number(r.hour), count: Number(r.count) })),
  };
}
