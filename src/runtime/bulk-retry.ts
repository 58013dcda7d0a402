/**
 * Bulk retry: failed or exhausted jobs chosen by filter (pipeline, state, creation time range, last error code)
 * get a fresh attempt budget, in bounded batches, under one operation id that every transition's reason carries.
 * A dry run selects exactly what a real run would, and changes nothing.
 */
import { AdapterError } from '../core/errors';
import type { JobQueue, Store, Logger } from '../core/ports';
import type { Job } from '../core/types';

export interface BulkRetryFilter {
  pipeline?: string;
  states: Array<'failed' | 'exhausted'>;
  createdFrom?: number;
  createdTo?: number;
  errorCode?: string;
}

export interface BulkRetryOptions {
  dryRun: boolean;
  /** Jobs retried per batch (one queue send per batch). */
  batchSize: number;
  /** The most jobs one operation touches; more matches are reported as `truncated`. */
  maxJobs: number;
  operationId: string;
  actor: string;
}

export interface BulkRetryReport {
  operation_id: string;
  dry_run: boolean;
  matched: number;
  truncated: boolean;
  retried: number;
  batches: number;
  job_ids: string[];
  skipped: Array<{ job_id: string; reason: string }>;
}

/** Every job the filter selects, oldest state first, newest first within a state, up to `max` (+1 to see truncation). */
export async function selectJobs(store: Store, f: BulkRetryFilter, max: number, pageSize: number): Promise<Job[]> {
  const out: Job[] = [];
  for (const state of f.states) {
    let cursor: { createdAt: number; id: string } | undefined;
    for (;;) {
      const page = await store.listJobs({
        state,
        pipeline: f.pipeline,
        createdFrom: f.createdFrom,
        createdTo: f.createdTo,
        cursor,
        limit: pageSize,
      });
      out.push(...page.filter((j) => f.errorCode === undefined || j.lastErrorCode === f.errorCode));
      if (out.length > max || page.length < pageSize) break;
      const last = page[page.length - 1]!;
      cursor = { createdAt: last.createdAt, id: last.id };
    }
    if (out.length > max) break;
  }
  return out;
}

export async function bulkRetry(
  deps: { store: Store; queue: JobQueue; log: Logger; now: () => number },
  f: BulkRetryFilter,
  o: BulkRetryOptions,
): Promise<BulkRetryReport> {
  const selected = await selectJobs(deps.store, f, o.maxJobs, Math.max(o.batchSize, 50));
  const jobs = selected.slice(0, o.maxJobs);
  const report: BulkRetryReport = {
    operation_id: o.operationId,
    dry_run: o.dryRun,
    matched: jobs.length,
    truncated: selected.length > o.maxJobs,
    retried: 0,
    batches: 0,
    job_ids: [],
    skipped: [],
  };
  if (o.dryRun) {
    report.job_ids = jobs.map((j) => j.id);
    return report;
  }
  for (let i = 0; i < jobs.length; i += o.batchSize) {
    const batch = jobs.slice(i, i + o.batchSize);
    const sent: string[] = [];
    for (const j of batch) {
      try {
        const job = await deps.store.retryJob(j.id, deps.now(), o.actor, `bulk retry ${o.operationId}`);
        if (job) sent.push(job.id);
        else report.skipped.push({ job_id: j.id, reason: 'NO_LONGER_RETRYABLE' }); // moved since it was selected
      } catch (err) {
        if (!(err instanceof AdapterError) || err.code !== 'ACTIVE_JOB_EXISTS') throw err;
        report.skipped.push({ job_id: j.id, reason: err.code });
      }
    }
    if (sent.length) await deps.queue.sendMany(sent);
    report.retried += sent.length;
    report.job_ids.push(...sent);
    report.batches++;
    deps.log.info('bulk retry batch', { operation_id: o.operationId, batch: report.batches, retried: report.retried, of: jobs.length });
  }
  return report;
}
