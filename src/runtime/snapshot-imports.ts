/**
 * The snapshot import ledger's moving parts: queue files as `snapshots.import` jobs (one run per trigger, one
 * import_files row per object version) and reconcile queued files from their jobs. The job rows stay the truth:
 * a file's outcome is read back from its finished file job and season follow-ups (failed with the problems the
 * job kept, duplicate when an earlier file with the same sha256 was imported, else imported with the publications
 * its season jobs wrote), so a crash anywhere loses nothing and a second reconcile changes nothing.
 */
import type { ImportFile, ImportRun, ImportStore, ImportTrigger } from '../core/imports';
import type { BlobStore, JobQueue, JobStore, Logger } from '../core/ports';
import type { FileObject } from '../core/source';
import { TERMINAL_STATES, type Job } from '../core/types';
import { IMPORT_PIPELINE } from '../pipelines/snapshots';
import { importFilePipeline } from '../pipelines/snapshots/import-file';
import { settledKey, type FileParams } from '../pipelines/snapshots/prefixes';
import type { Problem } from '../pipelines/snapshots/validate';
import { enqueueJob } from './enqueue';
import { fileIdempotencyKey } from './file-triggers';

export interface ImportDeps {
  store: JobStore;
  imports: ImportStore;
  queue: JobQueue;
  log: Logger;
  now: () => number;
  defaultMaxAttempts: number;
}

export async function queueSnapshotFiles(
  deps: ImportDeps,
  input: { trigger: ImportTrigger; prefix: string; objects: FileObject[]; requestedBy: string | null },
): Promise<{ run: ImportRun; files: Array<{ file: ImportFile; created: boolean }> }> {
  const runId = crypto.randomUUID();
  const now = deps.now();
  await deps.imports.createRun({
    id: runId,
    trigger: input.trigger,
    prefix: input.prefix,
    requestedBy: input.requestedBy,
    filesSeen: input.objects.length,
    now,
  });
  const out: Array<{ file: ImportFile; created: boolean }> = [];
  for (const obj of input.objects) {
    const params = importFilePipeline.fileTrigger!.params(obj, input.prefix);
    if (!params) continue;
    const etag = (obj.eTag ?? '').replace(/"/g, '');
    const { job } = await enqueueJob(deps, {
      pipeline: IMPORT_PIPELINE,
      params,
      // The file triggers' key: a notification, a scan and an upload of one object version meet on one job.
      idempotencyKey: fileIdempotencyKey(IMPORT_PIPELINE, obj),
      actor: input.requestedBy ?? input.trigger,
      requestedBy: input.requestedBy ?? input.trigger,
      reason: `snapshot file (${input.trigger})`,
    });
    out.push(await deps.imports.addFile({ id: crypto.randomUUID(), runId, key: obj.key, size: obj.size, etag, jobId: job.id, now }));
  }
  const run = (await deps.imports.refreshRun(runId, deps.now()))!;
  return { run, files: out };
}

/** The seed's `import_snapshots`: every snapshot file under the prefix, queued in one run. */
export async function scanIncoming(
  deps: ImportDeps & { files: BlobStore },
  input: { trigger: ImportTrigger; prefix: string; requestedBy: string | null; max?: number },
) {
  const objects: FileObject[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await deps.files.list(input.prefix, { cursor: cursor ?? undefined, limit: 1000 });
    for (const k of page.keys) objects.push({ key: k.key, size: k.size, eTag: k.etag });
    cursor = page.cursor;
  } while (cursor && objects.length < (input.max ?? 5000));
  return queueSnapshotFiles(deps, { ...input, objects: objects.slice(0, input.max ?? 5000) });
}

const finished = (j: Job | null) => !!j && TERMINAL_STATES.includes(j.state);

/**
 * Jobs the file triggers made (R2 notification, cron/API prefix scan) have no ledger row yet: give each one a run
 * of its own trigger and a queued file, found again by (key, eTag) so a second pass adds nothing.
 */
export async function adoptTriggeredJobs(deps: Pick<ImportDeps, 'store' | 'imports' | 'now'>, limit = 50): Promise<number> {
  let adopted = 0;
  for (const job of await deps.store.listJobs({ pipeline: IMPORT_PIPELINE, limit })) {
    if (job.requestedBy !== 'file-trigger') continue;
    const p = job.params as FileParams;
    const etag = p.etag ?? '';
    const known = (await deps.imports.listFiles({ keyPrefix: p.key, limit: 20 })).some((f) => f.key === p.key && f.etag === etag);
    if (known) continue;
    const [first] = await deps.store.listTransitions(job.id);
    const trigger: ImportTrigger = first?.actor === 'file-trigger:scan' ? 'scan' : 'notification';
    const runId = crypto.randomUUID();
    await deps.imports.createRun({
      id: runId,
      trigger,
      prefix: p.incoming_prefix,
      requestedBy: 'file-trigger',
      filesSeen: 1,
      now: job.createdAt,
    });
    const { created } = await deps.imports.addFile({
      id: crypto.randomUUID(),
      runId,
      key: p.key,
      size: 0,
      etag,
      jobId: job.id,
      now: job.createdAt,
    });
    await deps.imports.refreshRun(runId, deps.now());
    if (created) adopted++;
  }
  return adopted;
}

/** Settles the ledger rows of queued files whose jobs are done; returns how many changed. */
export async function reconcileImports(deps: Pick<ImportDeps, 'store' | 'imports' | 'now'>, limit = 100): Promise<number> {
  await adoptTriggeredJobs(deps);
  const queued = await deps.imports.listFiles({ status: 'queued', limit });
  const runs = new Set<string>();
  let changed = 0;
  for (const f of queued) {
    const job = f.jobId ? await deps.store.getJob(f.jobId) : null;
    if (!job || !finished(job)) continue;
    const params = job.params as FileParams;
    const result = (job.result ?? {}) as {
      child_job_ids?: string[];
      acceptance?: { records_seen?: number };
      validation?: { problems?: Problem[]; sha256?: string };
    };
    const [snap] = await deps.store.listSnapshots(job.id);
    const sha256 = snap?.sha256 && snap.status < 300 ? snap.sha256 : (result.validation?.sha256 ?? null);
    let outcome;
    if (job.state !== 'succeeded') {
      const problems = result.validation?.problems ?? [
        { pointer: '', rule: job.lastErrorCode ?? 'failed', message: job.lastErrorMessage ?? job.state },
      ];
      outcome = {
        status: 'failed' as const,
        sha256,
        recordCount: null,
        problems,
        publicationIds: [],
        settledKey: settledKey(params, 'failed'),
      };
    } else {
      const children = await Promise.all((result.child_job_ids ?? []).map((id) => deps.store.getJob(id)));
      if (!children.every(finished)) continue;
      const bad = children.find((c) => c!.state !== 'succeeded');
      // Only publications a season job wrote: a skipped one reports the scope's latest, which is not this file's.
      const wrote = (r: { outcome?: string; decision?: string; publication_id?: string | null } | null) =>
        r && r.outcome !== 'SKIPPED' && r.decision?.startsWith('PUBLISH') ? r.publication_id : null;
      const pubs = children.map((c) => wrote(c!.result as never)).filter((x): x is string => !!x);
      const earlier = sha256 ? await deps.imports.firstImportedWithSha(sha256, f.id) : null;
      const status = bad ? 'failed' : earlier && pubs.length === 0 ? 'duplicate' : 'imported';
      const problems = bad ? [{ pointer: '', rule: bad.lastErrorCode ?? 'failed', message: bad.lastErrorMessage ?? '' }] : [];
      outcome = {
        status: status as 'failed' | 'duplicate' | 'imported',
        sha256,
        recordCount: result.acceptance?.records_seen ?? null,
        problems,
        publicationIds: pubs,
        settledKey: settledKey(params, 'archive'),
      };
    }
    if (await deps.imports.finishFile(f.id, { ...outcome, now: deps.now() })) changed++;
    runs.add(f.runId);
  }
  for (const r of runs) await deps.imports.refreshRun(r, deps.now());
  return changed;
}
