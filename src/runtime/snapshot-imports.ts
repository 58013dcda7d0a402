/**
 * The snapshot import ledger's moving parts: queue files as `snapshots.import` jobs (one run per trigger, one
 * import_files row per object version) and settle ledger rows from their jobs. The job rows stay the truth: a
 * file's outcome is read back from its finished file job and season follow-ups (failed with the problems the job
 * kept; duplicate when the runtime skipped it as DUPLICATE_CONTENT, pointing at the original; else imported with
 * the publications its season jobs wrote), so a crash anywhere loses nothing and a second pass changes nothing.
 * It runs at settle of every snapshot job, on API reads and on the minute cron.
 */
import type { ImportFile, ImportFileOutcome, ImportRun, ImportStore, ImportTrigger } from '../core/imports';
import type { BlobStore, JobQueue, Store, Logger } from '../core/ports';
import type { FileObject } from '../core/source';
import { TERMINAL_STATES, type Job } from '../core/types';
import { IMPORT_PIPELINE, SEASON_PIPELINE } from '../pipelines/snapshots';
import { importFilePipeline } from '../pipelines/snapshots/import-file';
import { settledKey, type FileParams } from '../pipelines/snapshots/prefixes';
import type { Problem } from '../pipelines/snapshots/validate';
import { enqueueJob } from './enqueue';
import { fileIdempotencyKey } from './file-triggers';

export interface ImportDeps {
  store: Store;
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
type LedgerDeps = Pick<ImportDeps, 'store' | 'imports' | 'now'>;

/**
 * A job a file trigger made (R2 notification, cron/API prefix scan) has no ledger row yet: give it a run of its own
 * trigger and a queued file, found again by (key, eTag) so a second pass adds nothing. Returns whether it added one.
 */
const triggered = (job: Job) => job.pipeline === IMPORT_PIPELINE && job.requestedBy === 'file-trigger';

async function adoptJob(deps: LedgerDeps, job: Job, known?: boolean): Promise<boolean> {
  if (!triggered(job)) return false;
  const p = job.params as FileParams;
  const etag = p.etag ?? '';
  // Every path to one object version meets on one job (the file triggers' idempotency key): its row, if any.
  if (known ?? (await deps.imports.listFiles({ jobId: job.id, limit: 1 })).length > 0) return false;
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
  // Size 0 until the job has read the file: finishFile records the size of the bytes it read.
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
  return created;
}

export async function adoptTriggeredJobs(deps: LedgerDeps, limit = 50): Promise<number> {
  const jobs = (await deps.store.listJobs({ pipeline: IMPORT_PIPELINE, limit })).filter(triggered);
  if (jobs.length === 0) return 0;
  // One ledger read for the page of jobs (every API and console read of the ledger runs this), not one per job.
  const rows = await deps.imports.listFiles({ jobIds: jobs.map((j) => j.id), limit: jobs.length });
  const known = new Set(rows.map((f) => f.jobId));
  let adopted = 0;
  for (const job of jobs) if (await adoptJob(deps, job, known.has(job.id))) adopted++;
  return adopted;
}

type FileJobResult = {
  outcome?: string;
  skip_reason?: string;
  duplicate_of_job_id?: string;
  child_job_ids?: string[];
  acceptance?: { records_seen?: number };
  validation?: { problems?: Problem[]; sha256?: string; bytes?: number };
};

/** A queued file's outcome from its finished file job and season follow-ups; null while any of them is still running. */
async function outcomeOf(deps: LedgerDeps, f: ImportFile, job: Job): Promise<Omit<ImportFileOutcome, 'now'> | null> {
  const params = job.params as FileParams;
  const result = (job.result ?? {}) as FileJobResult;
  const [snap] = await deps.store.listSnapshots(job.id);
  const read = snap && snap.status < 300 ? snap : null;
  const sha256 = read?.sha256 ?? result.validation?.sha256 ?? null;
  const size = read?.sizeBytes ?? result.validation?.bytes ?? null;
  const base = { sha256, size, duplicateOf: null, publicationIds: [] as string[] };
  if (job.state !== 'succeeded') {
    const problems = result.validation?.problems ?? [
      { pointer: '', rule: job.lastErrorCode ?? 'failed', message: job.lastErrorMessage ?? job.state },
    ];
    return { ...base, status: 'failed', recordCount: null, problems, settledKey: settledKey(params, 'failed') };
  }
  const archived = settledKey(params, 'archive');
  if (result.outcome === 'SKIPPED' && result.skip_reason === 'DUPLICATE_CONTENT') {
    // The runtime found these bytes already published: point at the original's ledger row.
    const [byJob] = result.duplicate_of_job_id ? await deps.imports.listFiles({ jobId: result.duplicate_of_job_id, limit: 1 }) : [];
    const original = byJob ?? (sha256 ? await deps.imports.firstImportedWithSha(sha256, f.id) : null);
    return {
      ...base,
      status: 'duplicate',
      duplicateOf: original?.id ?? null,
      recordCount: original?.recordCount ?? null,
      problems: [],
      settledKey: archived,
    };
  }
  const children = await Promise.all((result.child_job_ids ?? []).map((id) => deps.store.getJob(id)));
  if (!children.every(finished)) return null;
  const bad = children.find((c) => c!.state !== 'succeeded');
  // Only publications a season job wrote: a skipped one reports the scope's latest, which is not this file's.
  const wrote = (r: { outcome?: string; decision?: string; publication_id?: string | null } | null) =>
    r && r.outcome !== 'SKIPPED' && r.decision?.startsWith('PUBLISH') ? r.publication_id : null;
  const pubs = children.map((c) => wrote(c!.result as never)).filter((x): x is string => !!x);
  // Two copies imported at the same moment both pass the runtime's check; the season scopes still publish once.
  const earlier = !bad && pubs.length === 0 && sha256 ? await deps.imports.firstImportedWithSha(sha256, f.id) : null;
  return {
    ...base,
    status: bad ? 'failed' : earlier ? 'duplicate' : 'imported',
    duplicateOf: earlier?.id ?? null,
    recordCount: result.acceptance?.records_seen ?? null,
    problems: bad ? [{ pointer: '', rule: bad.lastErrorCode ?? 'failed', message: bad.lastErrorMessage ?? '' }] : [],
    publicationIds: pubs,
    settledKey: archived,
  };
}

async function finishQueued(deps: LedgerDeps, files: ImportFile[]): Promise<number> {
  const runs = new Set<string>();
  let changed = 0;
  const queued = files.filter((f) => f.status === 'queued');
  const ids = queued.flatMap((f) => (f.jobId ? [f.jobId] : []));
  const jobs = new Map((ids.length ? await deps.store.getJobs(ids) : []).map((j) => [j.id, j]));
  for (const f of queued) {
    const job = f.jobId ? jobs.get(f.jobId) : undefined;
    if (!job || !finished(job)) continue;
    const outcome = await outcomeOf(deps, f, job);
    if (!outcome) continue;
    if (await deps.imports.finishFile(f.id, { ...outcome, now: deps.now() })) changed++;
    runs.add(f.runId);
  }
  for (const r of runs) await deps.imports.refreshRun(r, deps.now());
  return changed;
}

/** Settles the ledger rows of queued files whose jobs are done (API reads and the cron); returns how many changed. */
export async function reconcileImports(deps: LedgerDeps, limit = 100): Promise<number> {
  await adoptTriggeredJobs(deps);
  return finishQueued(deps, await deps.imports.listFiles({ status: 'queued', limit }));
}

/**
 * At settle of a snapshot job (the file job, or one of its season follow-ups): the file's ledger row and its run's
 * counts are brought up to date at once, so the ledger does not wait for a reader or the next cron.
 */
/** Whether a finished job of this pipeline moves the import ledger (a file import, or the season job it started). */
export const followsImportLedger = (pipeline: string): boolean => pipeline === IMPORT_PIPELINE || pipeline === SEASON_PIPELINE;

export async function settleImportLedger(deps: LedgerDeps, job: Job): Promise<number> {
  if (!followsImportLedger(job.pipeline)) return 0;
  const fileJob = job.pipeline === IMPORT_PIPELINE ? job : job.parentJobId ? await deps.store.getJob(job.parentJobId) : null;
  if (!fileJob || fileJob.pipeline !== IMPORT_PIPELINE) return 0;
  await adoptJob(deps, fileJob);
  return finishQueued(deps, await deps.imports.listFiles({ jobId: fileJob.id, limit: 5 }));
}
