/**
 * Settling a file source's object after its job's final state: move it (e.g. `incoming/x` to `archive/x`) by copy
 * then delete. Idempotent under redelivery: a second run finds the source gone and the target present and does
 * nothing; a run that died between copy and delete copies again (same bytes) and deletes.
 */
import { NonRetryableError } from '../core/errors';
import type { BlobStore, Store, Logger } from '../core/ports';
import type { SettleAction, SettleOutcome } from '../core/source';
import { TERMINAL_STATES, type Job } from '../core/types';
import { getPipeline } from '../pipelines/registry';

export type SettleResult = 'moved' | 'already_moved' | 'missing';

export async function moveObject(blobs: BlobStore, from: string, to: string): Promise<SettleResult> {
  if (from === to) return 'already_moved';
  const copied = await blobs.copy(from, to);
  if (!copied) return (await blobs.getBytes(to)) ? 'already_moved' : 'missing';
  await blobs.delete(from);
  return 'moved';
}

export interface SettleDeps {
  store: Pick<Store, 'getJob'>;
  files?: BlobStore;
  log: Logger;
}

/** The job's final state as the pipeline's settle hook sees it; null while the job is not final. */
export function settleOutcomeOf(job: Job): SettleOutcome | null {
  if (!TERMINAL_STATES.includes(job.state)) return null;
  const r = (job.result ?? {}) as { decision?: unknown; publication_id?: unknown; acceptance?: unknown; validation?: unknown };
  const details = r.acceptance ?? r.validation;
  const state = job.state === 'succeeded' ? 'succeeded' : job.state === 'cancelled' ? 'cancelled' : 'failed';
  return {
    state,
    decision: state === 'succeeded' && typeof r.decision === 'string' ? r.decision : null,
    publicationId: typeof r.publication_id === 'string' ? r.publication_id : null,
    error:
      job.lastErrorCode && state !== 'succeeded'
        ? { code: job.lastErrorCode, message: job.lastErrorMessage ?? '', ...(details ? { details } : {}) }
        : null,
  };
}

/** Runs one settle action on the FILES bucket. Both kinds are idempotent: a second run changes nothing. */
export async function executeSettleAction(files: BlobStore, action: SettleAction): Promise<SettleResult | 'written'> {
  if (action.kind === 'move') return moveObject(files, action.from, action.to);
  // Same job, same outcome, same body: overwriting is the idempotent choice (a changed re-run may update it).
  await files.put(action.key, action.body, action.contentType);
  return 'written';
}

/**
 * Settles a finished job's files: asks the pipeline's settle hook (pure) what to do with its outcome and does it.
 * Safe to call any number of times for the same job (every redelivery of a finished job's message calls it).
 */
export async function settleFinishedJob(
  deps: SettleDeps,
  jobId: string,
  pipelineName: string,
): Promise<Array<{ action: SettleAction; result: string }> | null> {
  const pipeline = getPipeline(pipelineName);
  if (!pipeline?.settle) return null;
  const job = await deps.store.getJob(jobId);
  const outcome = job ? settleOutcomeOf(job) : null;
  if (!job || !outcome) return null;
  const parsed = pipeline.paramsSchema.safeParse(job.params);
  if (!parsed.success) return null;
  const actions = pipeline.settle(parsed.data, outcome);
  if (actions.length && !deps.files)
    throw new NonRetryableError('SOURCE_UNAVAILABLE', 'internal', 'settle needs the FILES bucket, which is not wired');
  const done: Array<{ action: SettleAction; result: string }> = [];
  for (const action of actions) done.push({ action, result: await executeSettleAction(deps.files!, action) });
  if (done.length)
    deps.log.info('job settled', { job_id: jobId, state: outcome.state, actions: done.map((d) => `${d.action.kind}:${d.result}`) });
  return done;
}
