/** schedule_configs in either store. */
import { and, asc, eq, lte } from 'drizzle-orm';
import type { ScheduleConfig } from '../../core/types';
import type { Dialect } from './dialect';
import { toSchedule } from './rows';

export async function upsertSchedule(d: Dialect, s: Omit<ScheduleConfig, 'lastEnqueuedSlot'>): Promise<void> {
  const schedules = d.t.scheduleConfigs;
  const values = { ...s, params: JSON.stringify(s.params), enabled: d.flag(s.enabled) };
  const { pipeline, params, cron, enabled, nextDueAt, updatedAt } = values;
  await d.q
    .insert(schedules)
    .values(values)
    .onConflictDoUpdate({ target: schedules.id, set: { pipeline, params, cron, enabled, nextDueAt, updatedAt } });
}

export async function listSchedules(d: Dialect): Promise<ScheduleConfig[]> {
  const schedules = d.t.scheduleConfigs;
  return (
    await d.q
      .select()
      .from(schedules)
      .orderBy(asc(d.bytes(schedules.id)))
  ).map(toSchedule);
}

export async function dueSchedules(d: Dialect, now: number, limit: number): Promise<ScheduleConfig[]> {
  const schedules = d.t.scheduleConfigs;
  const rows = await d.q
    .select()
    .from(schedules)
    .where(and(eq(schedules.enabled, d.flag(true)), lte(schedules.nextDueAt, now)))
    .orderBy(asc(schedules.nextDueAt))
    .limit(limit);
  return rows.map(toSchedule);
}

export async function advanceSchedule(d: Dialect, id: string, slot: number, nextDueAt: number, now: number): Promise<boolean> {
  const schedules = d.t.scheduleConfigs;
  const rows = await d.q
    .update(schedules)
    .set({ nextDueAt, lastEnqueuedSlot: slot, updatedAt: now })
    .where(and(eq(schedules.id, id), eq(schedules.nextDueAt, slot)))
    .returning({ id: schedules.id });
  return rows.length === 1;
}
