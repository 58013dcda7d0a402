/**
 * What the minute cron does: enqueue due schedules exactly once per slot, and recover jobs whose queue message was
 * lost or whose consumer died mid-job. A job must never stay stuck because one message or one isolate was lost.
 */
import { nextCronTime } from '../core/cron';
import type { JobQueue, Store, Logger } from '../core/ports';
import type { ScheduleConfig } from '../core/types';
import { enqueueJob } from './enqueue';
import { scanFilePrefixes, type FileTriggerDeps } from './file-triggers';

export interface CronDeps {
  store: Store;
  queue: JobQueue;
  log: Logger;
  now: () => number;
  defaultMaxAttempts: number;
}

/** A pending job is "lost" when due this long ago with no consumer picking it up. */
const OVERDUE_MS = 30_000;
/** The sweeper does not re-send a job it (or enqueue) sent within this window. */
const RESEND_AFTER_MS = 60_000;

export async function runSchedules(deps: CronDeps): Promise<{ enqueued: string[]; deduplicated: number }> {
  const now = deps.now();
  const enqueued: string[] = [];
  let deduplicated = 0;
  for (const s of await deps.store.dueSchedules(now, 100)) {
    const slot = s.nextDueAt;
    try {
      const { job, created } = await enqueueJob(deps, {
        pipeline: s.pipeline,
        params: s.params,
        idempotencyKey: `schedule:${s.id}:${slot}`,
        requestId: `cron:${s.id}:${new Date(slot).toISOString()}`,
        actor: `scheduler:${s.id}`,
        requestedBy: 'scheduler',
        reason: `schedule ${s.cron} slot ${new Date(slot).toISOString()}`,
      });
      if (created) enqueued.push(job.id);
      else deduplicated++;
    } catch (err) {
      deps.log.error('scheduled enqueue failed', { schedule_id: s.id, pipeline: s.pipeline, error: String(err) });
    }
    // Missed slots are not replayed one by one: the next slot is the first one after now.
    await deps.store.advanceSchedule(s.id, slot, nextCronTime(s.cron, Math.max(now, slot)), now);
  }
  return { enqueued, deduplicated };
}

export async function sweepJobs(
  deps: Pick<CronDeps, 'store' | 'queue' | 'log' | 'now'>,
): Promise<{ resent: string[]; exhausted: string[]; completed: string[] }> {
  const now = deps.now();
  // Completed first: a dead final attempt whose decision is saved succeeded; only one without a decision exhausts.
  const completed = await deps.store.completeDecidedFinalAttempts(now, 'sweeper');
  const exhausted = await deps.store.exhaustExpiredFinalAttempts(now, 'sweeper');
  const stuck = await deps.store.findRecoverable(now, now - OVERDUE_MS, now - RESEND_AFTER_MS, 200);
  const ids = stuck.map((j) => j.id);
  if (ids.length) {
    await deps.queue.sendMany(ids);
    await deps.store.markEnqueued(ids, now);
    deps.log.warn('re-enqueued jobs whose message or consumer was lost', { job_ids: ids });
  }
  if (exhausted.length) deps.log.warn('jobs exhausted after their final attempt lost its lease', { job_ids: exhausted });
  if (completed.length) deps.log.warn('jobs completed: their final attempt died after its decision was saved', { job_ids: completed });
  return { resent: ids, exhausted, completed };
}

/**
 * The minute's file scan: every file trigger prefix, bounded per pipeline. The safety net under R2 event
 * notifications (a lost or never configured notification), and the only file path where none exist (local R2).
 * A failure is logged, not thrown: schedules and the sweep already ran and must not be retried for it.
 */
export async function runFileScan(deps: FileTriggerDeps): Promise<number> {
  if (!deps.files) return 0;
  try {
    const report = await scanFilePrefixes({ ...deps, files: deps.files }, { maxObjects: 200 });
    const created = report.pipelines.reduce((n, p) => n + p.created, 0);
    if (created) deps.log.info('file scan enqueued jobs', { created, pipelines: report.pipelines });
    return created;
  } catch (err) {
    deps.log.error('file scan failed', { error: String(err) });
    return 0;
  }
}

/** Seeds schedules the code ships (e.g. the daily LiveRC track catalogue) without overwriting operator changes. */
export async function seedSchedules(
  deps: Pick<CronDeps, 'store' | 'now'>,
  defaults: Array<Pick<ScheduleConfig, 'id' | 'pipeline' | 'params' | 'cron'>>,
): Promise<number> {
  const existing = new Set((await deps.store.listSchedules()).map((s) => s.id));
  const now = deps.now();
  let added = 0;
  for (const d of defaults) {
    if (existing.has(d.id)) continue;
    await deps.store.upsertSchedule({ ...d, enabled: true, nextDueAt: nextCronTime(d.cron, now), createdAt: now, updatedAt: now });
    added++;
  }
  return added;
}
