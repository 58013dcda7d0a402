/**
 * Console actions (POST, behind session + CSRF + the operator role): run, cancel, retry, schedule edits. Same
 * runtime calls as the API; the signed-in token's name is the actor and requested_by, as a bearer call's would be.
 */
import { Hono, type Context } from 'hono';
import { CronError, nextCronTime } from '../../core/cron';
import { JOB_MODES, type JobMode } from '../../core/types';
import { redeliver } from '../../runtime/deliveries/relay';
import { enqueueJob } from '../../runtime/enqueue';
import { requirePipeline } from '../../runtime/lookups';
import { reconcileImports, scanIncoming } from '../../runtime/snapshot-imports';
import { buildDeliveryDeps, CloudflareJobQueue, filesOf, getConfig, snapshotImportConfig, type JobMessage } from '../../wiring/env-ports';
import { ConsoleError, formOf, requireConsoleRole, storeFor, type AdminEnv } from './guard';
import { ledgerOf } from './ops-pages';
import { formToParams } from './schema-form';

export const actionRoutes = new Hono<AdminEnv>();
const JOB_ID = /^[0-9a-f-]{36}$/;
const DELIVERY_ID = /^msg_[0-9a-f-]{36}_[0-9a-f-]{36}$/;
const actor = (c: Context<AdminEnv>) => c.get('session').name;
/** Which console session acted, for the transition's reason (the actor is the token name). */
const via = (c: Context<AdminEnv>) => `console session ${c.get('session').nonce.slice(0, 8)}, request ${c.get('requestId')}`;

// Every action, present and future: a reader token's session sees the console but acts on nothing.
actionRoutes.post('*', requireConsoleRole('operator'));
const queueOf = (c: Context<AdminEnv>) => new CloudflareJobQueue(c.env.JOBS_QUEUE as Queue<JobMessage>);

actionRoutes.post('/run', async (c) => {
  const form = formOf(c);
  const pipeline = requirePipeline(form.pipeline ?? '', { details: { field: 'pipeline' } });
  const mode = (form.mode || 'fetch') as JobMode;
  if (!JOB_MODES.includes(mode)) throw new ConsoleError(400, 'INVALID_MODE', `mode must be one of ${JOB_MODES.join(', ')}`, 'mode');
  const { job } = await enqueueJob(
    { store: storeFor(c), queue: queueOf(c), log: c.get('log'), now: Date.now, defaultMaxAttempts: getConfig(c.env).maxAttempts },
    {
      pipeline: pipeline.name,
      params: formToParams(pipeline, form),
      force: form.force === 'true',
      mode,
      requestId: c.get('requestId'),
      actor: actor(c),
      requestedBy: actor(c),
      reason: `run from the console (${via(c)})`,
    },
  );
  return c.redirect(`/admin/jobs/${job.id}`, 303);
});

actionRoutes.post('/jobs/:id/cancel', async (c) => {
  const id = c.req.param('id');
  if (!JOB_ID.test(id)) throw new ConsoleError(400, 'INVALID_JOB_ID', 'job id must be a UUID', 'id');
  const store = storeFor(c);
  const job = await store.cancelJob(id, Date.now(), actor(c), `cancelled from the console (${via(c)})`);
  if (!job) {
    const existing = await store.getJob(id);
    if (!existing) throw new ConsoleError(404, 'JOB_NOT_FOUND', `no job ${id}`);
    throw new ConsoleError(409, 'JOB_NOT_CANCELLABLE', `job is ${existing.state}; only pending or running jobs can be cancelled`);
  }
  return c.redirect(`/admin/jobs/${id}`, 303);
});

actionRoutes.post('/jobs/:id/retry', async (c) => {
  const id = c.req.param('id');
  if (!JOB_ID.test(id)) throw new ConsoleError(400, 'INVALID_JOB_ID', 'job id must be a UUID', 'id');
  const store = storeFor(c);
  const job = await store.retryJob(id, Date.now(), actor(c), `retry requested from the console (${via(c)})`);
  if (!job) {
    const existing = await store.getJob(id);
    if (!existing) throw new ConsoleError(404, 'JOB_NOT_FOUND', `no job ${id}`);
    throw new ConsoleError(409, 'JOB_NOT_RETRYABLE', `job is ${existing.state}; only failed or exhausted jobs can be retried`);
  }
  await queueOf(c).send(job.id);
  return c.redirect(`/admin/jobs/${id}`, 303);
});

/**
 * Re-ingest: the job's pipeline and params again, forced (fetched afresh and published even when unchanged), as
 * seed 004's "re-ingest a single event" asks; the new job names this one in its reason.
 */
actionRoutes.post('/jobs/:id/rerun', async (c) => {
  const id = c.req.param('id');
  if (!JOB_ID.test(id)) throw new ConsoleError(400, 'INVALID_JOB_ID', 'job id must be a UUID', 'id');
  const old = await storeFor(c).getJob(id);
  if (!old) throw new ConsoleError(404, 'JOB_NOT_FOUND', `no job ${id}`);
  const { job } = await enqueueJob(
    { store: storeFor(c), queue: queueOf(c), log: c.get('log'), now: Date.now, defaultMaxAttempts: getConfig(c.env).maxAttempts },
    {
      pipeline: old.pipeline,
      params: old.params,
      force: true,
      mode: 'fetch',
      requestId: c.get('requestId'),
      actor: actor(c),
      requestedBy: actor(c),
      reason: `re-ingest of job ${id} from the console (${via(c)})`,
    },
  );
  return c.redirect(`/admin/jobs/${job.id}`, 303);
});

async function saveSchedule(c: Context<AdminEnv>, change: { cron?: string; enabled?: boolean }) {
  const store = storeFor(c);
  const id = c.req.param('id') ?? '';
  const current = (await store.listSchedules()).find((s) => s.id === id);
  if (!current) throw new ConsoleError(404, 'SCHEDULE_NOT_FOUND', `no schedule ${id}`);
  const cron = (change.cron ?? current.cron).trim();
  const now = Date.now();
  let nextDueAt: number;
  try {
    nextDueAt = nextCronTime(cron, now);
  } catch (err) {
    if (err instanceof CronError) throw new ConsoleError(400, 'INVALID_CRON', err.message, 'cron');
    throw err;
  }
  await store.upsertSchedule({
    id,
    pipeline: current.pipeline,
    params: current.params,
    cron,
    enabled: change.enabled ?? current.enabled,
    nextDueAt,
    createdAt: now,
    updatedAt: now,
  });
  return c.redirect('/admin/schedules', 303);
}

actionRoutes.post('/schedules/:id/cron', (c) => saveSchedule(c, { cron: formOf(c).cron ?? '' }));
actionRoutes.post('/schedules/:id/enable', (c) => saveSchedule(c, { enabled: true }));
actionRoutes.post('/schedules/:id/disable', (c) => saveSchedule(c, { enabled: false }));

/** Redeliver one delivery (dead or delivered; a pending one is still being sent), back to its subscription's page. */
actionRoutes.post('/deliveries/:id/redeliver', async (c) => {
  const id = c.req.param('id');
  if (!DELIVERY_ID.test(id))
    throw new ConsoleError(400, 'INVALID_DELIVERY_ID', 'delivery id must be msg_<publication id>_<subscription id>', 'id');
  const deps = buildDeliveryDeps(c.env, storeFor(c));
  const d = await deps.deliveries.getDelivery(id);
  if (!d) throw new ConsoleError(404, 'DELIVERY_NOT_FOUND', `no delivery ${id}`);
  if (d.status === 'pending')
    throw new ConsoleError(409, 'DELIVERY_PENDING', `delivery ${id} is still pending: it will be sent without a redelivery`);
  await redeliver(deps, [id], true);
  c.get('log').info('console redelivery', { delivery_id: id, actor: actor(c) });
  return c.redirect(`/admin/deliveries/subscriptions/${d.subscriptionId}`, 303);
});

/** Every dead delivery of a subscription back to pending (the API's bulk redelivery, one subscription). */
actionRoutes.post('/deliveries/subscriptions/:id/redeliver-dead', async (c) => {
  const id = c.req.param('id');
  if (!JOB_ID.test(id)) throw new ConsoleError(400, 'INVALID_SUBSCRIPTION_ID', 'subscription id must be a UUID', 'id');
  const deps = buildDeliveryDeps(c.env, storeFor(c));
  if (!(await deps.deliveries.getSubscription(id))) throw new ConsoleError(404, 'SUBSCRIPTION_NOT_FOUND', `no subscription ${id}`);
  const reset = await redeliver(deps, await deps.deliveries.listDeadIds({ subscriptionId: id }, 500), false);
  c.get('log').info('console bulk redelivery', { subscription_id: id, redelivered: reset.length, actor: actor(c) });
  return c.redirect(`/admin/deliveries/subscriptions/${id}`, 303);
});

/** Import now: the seed's import_snapshots, a scan of the incoming prefix queued as one run. */
actionRoutes.post('/imports/run', async (c) => {
  const files = filesOf(c.env);
  if (!files) throw new ConsoleError(503, 'FILES_UNAVAILABLE', 'the FILES bucket is not bound');
  const deps = {
    store: storeFor(c),
    imports: ledgerOf(c),
    queue: queueOf(c),
    log: c.get('log'),
    now: Date.now,
    defaultMaxAttempts: getConfig(c.env).maxAttempts,
  };
  await reconcileImports(deps);
  const { run } = await scanIncoming(
    { ...deps, files },
    { trigger: 'import_now', prefix: snapshotImportConfig(c.env).incomingPrefix, requestedBy: actor(c) },
  );
  return c.redirect(`/admin/imports/runs/${run.id}`, 303);
});
