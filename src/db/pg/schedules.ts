/** schedule_configs and the operational metrics queries in Postgres. */
import { and, asc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { MetricsSnapshot } from '../../core/ports';
import type { ScheduleConfig } from '../../core/types';
import type { Db } from './client';
import { recordMetrics } from './record-metrics';
import { toSchedule } from './rows';
import { durationBuckets, toDurationRow } from '../golden-signals';
import { ingestionJobs, jobAttempts, normalizedResults, publishedResults, scheduleConfigs as schedules } from './schema';

export async function upsertSchedule(db: Db, s: Omit<ScheduleConfig, 'lastEnqueuedSlot'>): Promise<void> {
  const values = { ...s, params: JSON.stringify(s.params) };
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
  return (
    await db
      .select()
      .from(schedules)
      .orderBy(asc(sql`${schedules.id} COLLATE "C"`))
  ).map(toSchedule);
}

export async function dueSchedules(db: Db, now: number, limit: number): Promise<ScheduleConfig[]> {
  const rows = await db
    .select()
    .from(schedules)
    .where(and(eq(schedules.enabled, true), lte(schedules.nextDueAt, now)))
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

/** One consistent snapshot (repeatable read, read only) across the five aggregates. */
export async function metrics(db: Db): Promise<MetricsSnapshot> {
  return db.transaction(
    async (tx) => {
      const byState = await tx
        .select({ state: ingestionJobs.state, pipeline: ingestionJobs.pipeline, count: sql<number>`count(*)::int` })
        .from(ingestionJobs)
        .groupBy(ingestionJobs.state, ingestionJobs.pipeline)
        .orderBy(ingestionJobs.state, ingestionJobs.pipeline);
      const byAttempt = await tx
        .select({ state: jobAttempts.state, count: sql<number>`count(*)::int` })
        .from(jobAttempts)
        .groupBy(jobAttempts.state)
        .orderBy(jobAttempts.state);
      const [retries] = await tx.select({ n: sql<number>`coalesce(sum(${ingestionJobs.retryCount}), 0)::int` }).from(ingestionJobs);
      const [oldest] = await tx
        .select({ at: sql<number | null>`min(${ingestionJobs.createdAt})` })
        .from(ingestionJobs)
        .where(eq(ingestionJobs.state, 'pending'));
      const [pubs] = await tx.select({ n: sql<number>`count(*)::int` }).from(publishedResults);
      const byCode = await tx
        .select({ code: sql<string>`${jobAttempts.errorCode}`, count: sql<number>`count(*)::int` })
        .from(jobAttempts)
        .where(isNotNull(jobAttempts.errorCode))
        .groupBy(jobAttempts.errorCode)
        .orderBy(jobAttempts.errorCode);
      const retriesBy = await tx
        .select({ pipeline: ingestionJobs.pipeline, count: sql<number>`coalesce(sum(${ingestionJobs.retryCount}), 0)::int` })
        .from(ingestionJobs)
        .groupBy(ingestionJobs.pipeline)
        .orderBy(ingestionJobs.pipeline);
      const durations = await tx
        .select({
          pipeline: ingestionJobs.pipeline,
          count: sql<number>`count(*)::int`,
          sumMs: sql<number>`coalesce(sum(${jobAttempts.durationMs}), 0)::bigint`,
          ...durationBuckets(jobAttempts.durationMs),
        })
        .from(jobAttempts)
        .innerJoin(ingestionJobs, eq(ingestionJobs.id, jobAttempts.jobId))
        .where(isNotNull(jobAttempts.durationMs))
        .groupBy(ingestionJobs.pipeline)
        .orderBy(ingestionJobs.pipeline);
      const decisions = await tx
        .select({
          pipeline: normalizedResults.pipeline,
          decision: sql<string>`${normalizedResults.publicationDecision}`,
          count: sql<number>`count(*)::int`,
        })
        .from(normalizedResults)
        .where(isNotNull(normalizedResults.publicationDecision))
        .groupBy(normalizedResults.pipeline, normalizedResults.publicationDecision)
        .orderBy(normalizedResults.pipeline, normalizedResults.publicationDecision);
      const latest = await tx
        .select({ pipeline: publishedResults.pipeline, at: sql<number>`max(${publishedResults.publishedAt})` })
        .from(publishedResults)
        .groupBy(publishedResults.pipeline)
        .orderBy(publishedResults.pipeline);
      const [due] = await tx
        .select({ at: sql<number | null>`min(${schedules.nextDueAt})` })
        .from(schedules)
        .where(eq(schedules.enabled, true));
      return {
        jobsByStateAndPipeline: byState,
        attemptsByOutcome: byAttempt,
        attemptErrorsByCode: byCode,
        retriesTotal: retries?.n ?? 0,
        oldestPendingCreatedAt: oldest?.at == null ? null : Number(oldest.at),
        publicationsTotal: pubs?.n ?? 0,
        retriesByPipeline: retriesBy,
        attemptDurations: durations.map(toDurationRow),
        decisionsByPipeline: decisions,
        latestPublicationByPipeline: latest.map((r) => ({ pipeline: r.pipeline, at: Number(r.at) })),
        oldestDueScheduleAt: due?.at == null ? null : Number(due.at),
        ...(await recordMetrics(tx)),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
