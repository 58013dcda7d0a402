/** Cron edge: seed shipped schedules, enqueue due ones (once per slot), sweep lost and stalled jobs, scan and reconcile file imports. */
import { runFileScan, runSchedules, seedSchedules, sweepJobs } from '../runtime/cron-tasks';
import { listDefaultSchedules } from '../pipelines/registry';
import { relayDeliveries } from '../runtime/deliveries/relay';
import type { ImportStore } from '../core/imports';
import { reconcileImports } from '../runtime/snapshot-imports';
import { buildDeliveryDeps, buildDeps, makeStore } from '../wiring/env-ports';

export async function handleScheduled(env: Env, scheduledTime: number): Promise<Record<string, unknown>> {
  const store = makeStore(env);
  try {
    return await runCron(env, scheduledTime, store);
  } finally {
    await store.close?.().catch(() => undefined);
  }
}

async function runCron(env: Env, scheduledTime: number, store: ReturnType<typeof makeStore>): Promise<Record<string, unknown>> {
  const deps = buildDeps(env, { trigger: 'cron', scheduled_time: new Date(scheduledTime).toISOString() }, store);
  const cron = { ...deps, defaultMaxAttempts: deps.config.maxAttempts };
  // A shipped schedule that needs secrets this deployment lacks (a provider login) is not seeded.
  const defaults = listDefaultSchedules()
    .filter((s) => (s.requires ?? []).every((name) => Boolean((env as unknown as Record<string, unknown>)[name])))
    .map(({ requires: _r, ...s }) => s);
  const seeded = await seedSchedules(cron, defaults);
  const schedules = await runSchedules(cron);
  const sweep = await sweepJobs(cron);
  const filesCreated = await runFileScan(deps);
  // The snapshot import ledger: files whose settle-time update was lost (or not yet adopted) are reconciled here.
  const imports = (store as { imports?: ImportStore }).imports;
  const reconciled = imports
    ? await reconcileImports({ store, imports, now: Date.now }).catch((err) => {
        deps.log.error('import ledger reconcile failed', { error: String(err) });
        return 0;
      })
    : 0;
  // The outbox relay: deliveries whose queue message was lost are enqueued again.
  const relayed = env.DELIVERIES_QUEUE ? (await relayDeliveries(buildDeliveryDeps(env, store))).length : 0;
  const summary = {
    seeded,
    enqueued: schedules.enqueued.length,
    deduplicated: schedules.deduplicated,
    resent: sweep.resent.length,
    exhausted: sweep.exhausted.length,
    file_jobs: filesCreated,
    import_files_reconciled: reconciled,
    relayed,
  };
  deps.log.info('cron run', summary);
  return summary;
}
