/**
 * Re-normalization of a pipeline's scopes from stored snapshots after a normalizer change: one `replay` job per
 * scope that has a succeeded fetch job (no provider request; the scope publisher decides NORMALIZATION_CHANGED or
 * SKIP_NO_CHANGE), enqueued in bounded batches under one operation id. A dry run counts the scopes.
 */
import type { JobQueue, Store, Logger } from '../core/ports';
import type { Job } from '../core/types';
import { enqueueJob } from './enqueue';

export interface RenormalizeOptions {
  pipeline: string;
  dryRun: boolean;
  batchSize: number;
  maxScopes: number;
  operationId: string;
  actor: string;
}

export interface RenormalizeReport {
  operation_id: string;
  dry_run: boolean;
  pipeline: string;
  scopes: number;
  truncated: boolean;
  enqueued: number;
  deduplicated: number;
  batches: number;
  job_ids: string[];
}

/** The newest succeeded fetch job of every scope of the pipeline (its params are the scope's replay params). */
async function scopesOf(store: Store, pipeline: string, max: number): Promise<Job[]> {
  const byScope = new Map<string, Job>();
  let cursor: { createdAt: number; id: string } | undefined;
  for (;;) {
    const page = await store.listJobs({ state: 'succeeded', pipeline, cursor, limit: 100 });
    for (const j of page) if (j.mode === 'fetch' && !byScope.has(j.scopeKey)) byScope.set(j.scopeKey, j);
    if (byScope.size > max || page.length < 100) break;
    const last = page[page.length - 1]!;
    cursor = { createdAt: last.createdAt, id: last.id };
  }
  return [...byScope.values()];
}

export async function renormalize(
  deps: { store: Store; queue: JobQueue; log: Logger; now: () => number; defaultMaxAttempts: number },
  o: RenormalizeOptions,
): Promise<RenormalizeReport> {
  const found = await scopesOf(deps.store, o.pipeline, o.maxScopes);
  const scopes = found.slice(0, o.maxScopes);
  const report: RenormalizeReport = {
    operation_id: o.operationId,
    dry_run: o.dryRun,
    pipeline: o.pipeline,
    scopes: scopes.length,
    truncated: found.length > o.maxScopes,
    enqueued: 0,
    deduplicated: 0,
    batches: 0,
    job_ids: [],
  };
  if (o.dryRun) return report;
  for (let i = 0; i < scopes.length; i += o.batchSize) {
    for (const source of scopes.slice(i, i + o.batchSize)) {
      // A scope with a job already pending or running is deduplicated by the store, never doubled.
      const { job, created } = await enqueueJob(deps, {
        pipeline: o.pipeline,
        params: source.params,
        mode: 'replay',
        idempotencyKey: `renormalize:${o.operationId}:${source.scopeKey}`,
        requestId: o.operationId,
        actor: o.actor,
        requestedBy: o.actor,
        reason: `re-normalize ${o.operationId}`,
      });
      if (created) report.enqueued++;
      else report.deduplicated++;
      report.job_ids.push(job.id);
    }
    report.batches++;
    deps.log.info('re-normalize batch', {
      operation_id: o.operationId,
      batch: report.batches,
      enqueued: report.enqueued,
      of: scopes.length,
    });
  }
  return report;
}
