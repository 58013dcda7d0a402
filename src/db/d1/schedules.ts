/** schedule_configs and the operational metrics queries in D1. */
import { and, asc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { MetricsSnapshot } from '../../core/ports';
import type { ScheduleConfig } from '../../core/types';
import { durationBuckets, toDurationRow } from '../golden-signals';
import { ingestionJobs, jobAttempts, normalizedResults, publishedResults, scheduleConfigs as schedules } from '../schema';
import { recordMetrics } from './record-metrics';
import { toSchedule } from './rows';

type Db = DrizzleD1Database<Record<string, never>>;

export async function upsertSchedule(db: Db, s: Omit<ScheduleConfig, 'lastEnqueuedSlot'>): Promise<void> {
  const values = { ...s, params: JSON.stringify(s.params), enabled: s.enabled ? 1 : 0 };
  await db
    .insert(schedules)
    .values(values)
    .onConflictDoUpdate({
      target: schedules.id,
      set: {
        pipeline: values.pipeline,
        params: values.params,
        cron: values.cron,
        enabled: values.enabled,
        nextDueAt: values.nextDueAt,
        updatedAt: values.updatedAt,
      },
    });
}

export async function listSchedules(db: Db): Promise<ScheduleConfig[]> {
  return (await db.select().from(schedules).orderBy(asc(schedules.id))).map(toSchedule);
}

export async function dueSchedules(db: Db, now: number, limit: number): Promise<ScheduleConfig[]> {
  const rows = await db
    .select()
    .from(schedules)
    .where(and(eq(schedules.enabled, 1), lte(schedules.nextDueAt, now)))
    .orderBy(asc(schedules.nextDueAt))
    .limit(limit);
  return rows.map(toSchedule);
}

export async function advanceSchedule(db: Db, id: string, slot: number, nextDueAt: number, now: number): Promise<boolean> {
  const rows = await db
    .update(schedules)
    .set({ nextDueAt, lastEnqueuedSlot: slot, updatedAt: now })
    .where(and(eq(schedules.id, id), eq(schedules.nextDueAt, slot)))
    .returning({ id: schedules.id });
  return rows.length === 1;
}

export async function metrics(db: Db): Promise<MetricsSnapshot> {
  const [byState, byAttempt, retries, oldest, pubs, byCode, retriesBy, durations, decisions, latest, due] = await db.batch([
    db
      .select({ state: ingestionJobs.state, pipeline: ingestionJobs.pipeline, count: sql<number>`count(*)` })
      .from(ingestionJobs)
      .groupBy(ingestionJobs.state, ingestionJobs.pipeline),
    db.select({ state: jobAttempts.state, count: sql<number>`count(*)` }).from(jobAttempts).groupBy(jobAttempts.state),
    db.select({ n: sql<number>`coalesce(sum(${ingestionJobs.retryCount}), 0)` }).from(ingestionJobs),
    db
      .select({ at: sql<number | null>`min(${ingestionJobs.createdAt})` })
      .from(ingestionJobs)
      .where(eq(ingestionJobs.state, 'pending')),
    db.select({ n: sql<number>`count(*)` }).from(publishedResults),
    db
      .select({ code: sql<string>`${jobAttempts.errorCode}`, count: sql<number>`count(*)` })
      .from(jobAttempts)
      .where(isNotNull(jobAttempts.errorCode))
      .groupBy(jobAttempts.errorCode)
      .orderBy(jobAttempts.errorCode),
    db
      .select({ pipeline: ingestionJobs.pipeline, count: sql<number>`coalesce(sum(${ingestionJobs.retryCount}), 0)` })
      .from(ingestionJobs)
      .groupBy(ingestionJobs.pipeline)
      .orderBy(ingestionJobs.pipeline),
    db
      .select({
        pipeline: ingestionJobs.pipeline,
        count: sql<number>`count(*)`,
        sumMs: sql<number>`coalesce(sum(${jobAttempts.durationMs}), 0)`,
        ...durationBuckets(jobAttempts.durationMs),
      })
      .from(jobAttempts)
      .innerJoin(ingestionJobs, eq(ingestionJobs.id, jobAttempts.jobId))
      .where(isNotNull(jobAttempts.durationMs))
      .groupBy(ingestionJobs.pipeline)
      .orderBy(ingestionJobs.pipeline),
    db
      .select({
        pipeline: normalizedResults.pipeline,
        decision: sql<string>`${normalizedResults.publicationDecision}`,
        count: sql<number>`count(*)`,
      })
      .from(normalizedResults)
      .where(isNotNull(normalizedResults.publicationDecision))
      .groupBy(normalizedResults.pipeline, normalizedResults.publicationDecision)
      .orderBy(normalizedResults.pipeline, normalizedResults.publicationDecision),
    db
      .select({ pipeline: publishedResults.pipeline, at: sql<number>`max(${publishedResults.publishedAt})` })
      .from(publishedResults)
      .groupBy(publishedResults.pipeline)
      .orderBy(publishedResults.pipeline),
    db
      .select({ at: sql<number | null>`min(${schedules.nextDueAt})` })
      .from(schedules)
      .where(eq(schedules.enabled, 1)),
  ]);
  return {
    jobsByStateAndPipeline: byState,
    attemptsByOutcome: byAttempt,
    attemptErrorsByCode: byCode,
    retriesTotal: retries[0]?.n ?? 0,
    oldestPendingCreatedAt: oldest[0]?.at ?? null,
    publicationsTotal: pubs[0]?.n ?? 0,
    retriesByPipeline: retriesBy,
    attemptDurations: durations.map(toDurationRow),
    decisionsByPipeline: decisions,
    latestPublicationByPipeline: latest,
    oldestDueScheduleAt: due[0]?.at ?? null,
    ...(await recordMetrics(db)),
  };
}
