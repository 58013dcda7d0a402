/** The operational metrics (/metrics) of either store, read in one consistent snapshot (Dialect.snapshot). */
import { eq, isNotNull, sql } from 'drizzle-orm';
import type { MetricsSnapshot } from '../../core/ports';
import { durationBuckets, toDurationRow } from '../golden-signals';
import type { Dialect } from './dialect';
import { recordQueries, toRecordMetrics } from './record-metrics';

const num = (v: number | null | undefined): number | null => (v == null ? null : Number(v));

export async function metrics(d: Dialect): Promise<MetricsSnapshot> {
  const { ingestionJobs: jobs, jobAttempts: attempts, normalizedResults: normalized, publishedResults: published } = d.t;
  const count = sql<number>`count(*)${d.int}`;
  const retrySum = sql<number>`coalesce(sum(${jobs.retryCount}), 0)${d.int}`;
  const [byState, byAttempt, retries, oldest, pubs, byCode, retriesBy, durations, decisions, latest, due, records, rules] =
    await d.snapshot(({ q, rows }) => [
      q
        .select({ state: jobs.state, pipeline: jobs.pipeline, count })
        .from(jobs)
        .groupBy(jobs.state, jobs.pipeline)
        .orderBy(jobs.state, jobs.pipeline),
      q.select({ state: attempts.state, count }).from(attempts).groupBy(attempts.state).orderBy(attempts.state),
      q.select({ n: retrySum }).from(jobs),
      q
        .select({ at: sql<number | null>`min(${jobs.createdAt})` })
        .from(jobs)
        .where(eq(jobs.state, 'pending')),
      q.select({ n: count }).from(published),
      q
        .select({ code: sql<string>`${attempts.errorCode}`, count })
        .from(attempts)
        .where(isNotNull(attempts.errorCode))
        .groupBy(attempts.errorCode)
        .orderBy(attempts.errorCode),
      q.select({ pipeline: jobs.pipeline, count: retrySum }).from(jobs).groupBy(jobs.pipeline).orderBy(jobs.pipeline),
      q
        .select({
          pipeline: jobs.pipeline,
          count,
          sumMs: sql<number>`coalesce(sum(${attempts.durationMs}), 0)${d.int8}`,
          ...durationBuckets(attempts.durationMs),
        })
        .from(attempts)
        .innerJoin(jobs, eq(jobs.id, attempts.jobId))
        .where(isNotNull(attempts.durationMs))
        .groupBy(jobs.pipeline)
        .orderBy(jobs.pipeline),
      q
        .select({ pipeline: normalized.pipeline, decision: sql<string>`${normalized.publicationDecision}`, count })
        .from(normalized)
        .where(isNotNull(normalized.publicationDecision))
        .groupBy(normalized.pipeline, normalized.publicationDecision)
        .orderBy(normalized.pipeline, normalized.publicationDecision),
      q
        .select({ pipeline: published.pipeline, at: sql<number>`max(${published.publishedAt})` })
        .from(published)
        .groupBy(published.pipeline)
        .orderBy(published.pipeline),
      q
        .select({ at: sql<number | null>`min(${d.t.scheduleConfigs.nextDueAt})` })
        .from(d.t.scheduleConfigs)
        .where(eq(d.t.scheduleConfigs.enabled, d.flag(true))),
      ...recordQueries({ q, rows }, d.json),
    ]);
  return {
    jobsByStateAndPipeline: byState,
    attemptsByOutcome: byAttempt,
    attemptErrorsByCode: byCode,
    retriesTotal: retries[0]?.n ?? 0,
    oldestPendingCreatedAt: num(oldest[0]?.at),
    publicationsTotal: pubs[0]?.n ?? 0,
    retriesByPipeline: retriesBy,
    attemptDurations: durations.map(toDurationRow),
    decisionsByPipeline: decisions,
    latestPublicationByPipeline: latest.map((r) => ({ pipeline: r.pipeline, at: Number(r.at) })),
    oldestDueScheduleAt: num(due[0]?.at),
    ...toRecordMetrics(records, rules),
  };
}
