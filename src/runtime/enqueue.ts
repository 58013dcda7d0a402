/** Enqueue: validate against the registry, derive the scope, insert (deduplicated by the store), send a message. */
import { NonRetryableError } from '../core/errors';
import type { JobQueue, Store, Logger } from '../core/ports';
import { canonicalJson } from '../core/canonical-json';
import { deriveScopeKey } from '../core/scope-key';
import type { Job, JobMode } from '../core/types';
import { requirePipeline } from './lookups';
import { validateParams } from './validate-params';

export interface EnqueueInput {
  pipeline: string;
  params: Record<string, unknown>;
  force?: boolean;
  mode?: JobMode;
  maxAttempts?: number;
  idempotencyKey?: string | null;
  parentJobId?: string | null;
  requestId?: string | null;
  actor: string;
  /** Who asked (a token name, `scheduler`, a parent's requester); defaults to the actor. */
  requestedBy?: string;
  reason: string;
}

export async function enqueueJob(
  deps: { store: Store; queue: JobQueue; log: Logger; now: () => number; defaultMaxAttempts: number },
  input: EnqueueInput,
): Promise<{ job: Job; created: boolean }> {
  const pipeline = requirePipeline(input.pipeline);
  const params = validateParams(pipeline, input.params ?? {});
  const now = deps.now();
  const result = await deps.store.insertJob({
    id: crypto.randomUUID(),
    pipeline: pipeline.name,
    params,
    scopeKey: deriveScopeKey(pipeline.scopeParams, params),
    mode: input.mode ?? 'fetch',
    force: input.force ?? false,
    idempotencyKey: input.idempotencyKey ?? null,
    parentJobId: input.parentJobId ?? null,
    requestId: input.requestId ?? null,
    requestedBy: input.requestedBy ?? input.actor,
    maxAttempts: input.maxAttempts ?? deps.defaultMaxAttempts,
    now,
    actor: input.actor,
    reason: input.reason,
  });
  if (result.created) {
    try {
      await deps.queue.send(result.job.id);
    } catch (err) {
      // The job row is the truth: the sweeper re-sends messages for pending jobs that never got one.
      deps.log.warn('queue send failed; the sweeper will recover the job', { job_id: result.job.id, error: String(err) });
    }
  }
  if (!result.created && input.idempotencyKey && result.job.idempotencyKey === input.idempotencyKey)
    assertSameRequest(result.job, pipeline.name, params, input);
  return result;
}

/**
 * An idempotency key names one request (as Stripe's do): replaying it returns the job it created, but the same key
 * with a different pipeline, params, mode or force is a client bug and must not silently answer with the other job.
 */
function assertSameRequest(job: Job, pipeline: string, params: Record<string, unknown>, input: EnqueueInput): void {
  const differs: string[] = [];
  if (job.pipeline !== pipeline) differs.push('pipeline');
  if (canonicalJson(job.params) !== canonicalJson(params)) differs.push('params');
  if (job.mode !== (input.mode ?? 'fetch')) differs.push('mode');
  if (job.force !== (input.force ?? false)) differs.push('force');
  if (differs.length === 0) return;
  throw new NonRetryableError(
    'IDEMPOTENCY_KEY_REUSED',
    'validation',
    `idempotency key was used for a different request (job ${job.id}); ${differs.join(', ')} differ`,
    {
      details: {
        job_id: job.id,
        fields: Object.fromEntries(differs.map((k) => [k, ['differs from the request that first used this idempotency key']])),
      },
    },
  );
}
