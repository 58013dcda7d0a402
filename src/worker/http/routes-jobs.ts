/** /internal/v1/jobs: enqueue, list, inspect, cancel, retry. Handlers stay thin; the runtime does the work. */
import { Hono, type Context } from 'hono';
import { jobMetrics } from '../../core/job-metrics';
import { enqueueJob } from '../../runtime/enqueue';
import { settleFinishedJob } from '../../runtime/settle';
import { CloudflareJobQueue, filesOf, getConfig, type JobMessage } from '../../wiring/env-ports';
import { ioAccountingOn } from '../../wiring/io-accounting';
import { HttpError } from './errors';
import { callerOf, readJsonObject, requireRole, storeOf, type AppEnv } from './middleware';
import { fieldErrors, parseQuery, uuidParam } from './query';
import { EnqueueBody, ListJobsQuery as ListQuery } from './schemas';
import { attemptJson, decodeCursor, encodeCursor, jobJson, snapshotJson, transitionJson } from './serialize';

export const jobRoutes = new Hono<AppEnv>();

function deps(c: Context<AppEnv>) {
  return {
    store: storeOf(c),
    queue: new CloudflareJobQueue(c.env.JOBS_QUEUE as Queue<JobMessage>, ioAccountingOn(c.env)),
    log: c.get('log'),
    now: Date.now,
  };
}

jobRoutes.post('/', requireRole('operator'), async (c) => {
  const raw = await readJsonObject(c);
  const body = EnqueueBody.safeParse(raw);
  if (!body.success) throw new HttpError(400, 'INVALID_REQUEST', 'invalid job request', { fields: fieldErrors(body.error) });
  const b = body.data;
  const d = deps(c);
  const { job, created } = await enqueueJob(
    { ...d, defaultMaxAttempts: getConfig(c.env).maxAttempts },
    {
      pipeline: b.pipeline,
      params: b.params,
      force: b.force,
      mode: b.mode,
      maxAttempts: b.max_attempts,
      idempotencyKey: b.idempotency_key,
      requestId: c.get('requestId'),
      actor: callerOf(c).name,
      requestedBy: callerOf(c).name,
      reason: `enqueued by request ${c.get('requestId')}`,
    },
  );
  c.set('logLine', {
    msg: created ? 'job enqueued' : 'duplicate enqueue returned existing job',
    fields: { job_id: job.id, pipeline: job.pipeline, scope_key: job.scopeKey, state: job.state },
  });
  return c.json({ job: jobJson(job), deduplicated: !created }, created ? 202 : 200);
});

jobRoutes.get('/', async (c) => {
  const q = parseQuery(ListQuery, c.req.query());
  let cursor: { createdAt: number; id: string } | undefined;
  if (q.cursor) {
    const parts = decodeCursor(q.cursor);
    if (parts?.length !== 2 || !/^\d+$/.test(parts[0]!)) throw new HttpError(400, 'INVALID_CURSOR', 'cursor is not one this API issued');
    cursor = { createdAt: Number(parts[0]), id: parts[1]! };
  }
  const jobs = await storeOf(c).listJobs({
    state: q.state,
    pipeline: q.pipeline,
    scopeKey: q.scope_key,
    parentJobId: q.parent_job_id,
    createdFrom: q.created_from,
    createdTo: q.created_to,
    cursor,
    limit: q.limit + 1,
  });
  const page = jobs.slice(0, q.limit);
  const last = page[page.length - 1];
  return c.json({ jobs: page.map(jobJson), next_cursor: jobs.length > q.limit && last ? encodeCursor([last.createdAt, last.id]) : null });
});

jobRoutes.get('/:id', async (c) => {
  const id = uuidParam(c.req.param('id'), 'INVALID_JOB_ID', 'job id');
  const store = storeOf(c);
  const job = await store.getJob(id);
  if (!job) throw new HttpError(404, 'JOB_NOT_FOUND', `no job ${id}`);
  const [attempts, transitions, snapshots, normalized] = await Promise.all([
    store.listAttempts(id),
    store.listTransitions(id),
    store.listSnapshots(id),
    store.getNormalized(id),
  ]);
  return c.json({
    job: jobJson(job),
    metrics: jobMetrics(job.result, attempts),
    attempts: attempts.map(attemptJson),
    transitions: transitions.map(transitionJson),
    snapshots: snapshots.map(snapshotJson),
    normalized: normalized && {
      normalized_hash: normalized.normalizedHash,
      source_snapshot_hash: normalized.sourceSnapshotHash,
      entity_count: normalized.entityCount,
      publication_decision: normalized.publicationDecision,
      publication_reason: normalized.publicationReason,
      change_classification: normalized.changeClassification,
      publication_id: normalized.publicationId,
    },
  });
});

jobRoutes.post('/:id/cancel', requireRole('operator'), async (c) => {
  const id = uuidParam(c.req.param('id'), 'INVALID_JOB_ID', 'job id');
  const store = storeOf(c);
  const job = await store.cancelJob(id, Date.now(), callerOf(c).name, `cancelled by request ${c.get('requestId')}`);
  if (job) {
    // A file job's settle runs now (no consumer will finish a cancelled job); a failure here is not the caller's:
    // the cancelled job's next redelivered message, if any, settles it again.
    await settleFinishedJob({ store, files: filesOf(c.env), log: c.get('log') }, id, job.pipeline).catch((err) =>
      c.get('log').warn('settle after cancel failed', { job_id: id, error: String(err) }),
    );
    return c.json({ job: jobJson(job) });
  }
  const existing = await store.getJob(id);
  if (!existing) throw new HttpError(404, 'JOB_NOT_FOUND', `no job ${id}`);
  throw new HttpError(409, 'JOB_NOT_CANCELLABLE', `job is ${existing.state}; only pending or running jobs can be cancelled`);
});

jobRoutes.post('/:id/retry', requireRole('operator'), async (c) => {
  const id = uuidParam(c.req.param('id'), 'INVALID_JOB_ID', 'job id');
  const d = deps(c);
  const job = await d.store.retryJob(id, Date.now(), callerOf(c).name, `retry requested by request ${c.get('requestId')}`);
  if (!job) {
    const existing = await d.store.getJob(id);
    if (!existing) throw new HttpError(404, 'JOB_NOT_FOUND', `no job ${id}`);
    throw new HttpError(409, 'JOB_NOT_RETRYABLE', `job is ${existing.state}; only failed or exhausted jobs can be retried`);
  }
  await d.queue.send(job.id);
  return c.json({ job: jobJson(job) }, 202);
});
