/**
 * /internal/v1/operations: bulk operator actions, each with a dry run and an operation id, and the status of an
 * operation by that id (operation-record.ts: the record is stored once, its status is read from its jobs).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { bulkRetry } from '../../runtime/bulk-retry';
import { renormalize } from '../../runtime/renormalize';
import { requirePipeline } from '../../runtime/lookups';
import { blobsOf, CloudflareJobQueue, getConfig, type JobMessage } from '../../wiring/env-ports';
import { HttpError } from './errors';
import { loadOperation, OPERATION_ID, operationStatus, saveOperation, type OperationKind } from './operation-record';
import { callerOf, readJsonObject, requireRole, storeOf, type AppEnv } from './middleware';
import { BulkRetryBody, RenormalizeBody } from './operation-schemas';

export const operationRoutes = new Hono<AppEnv>();

/** Writes the operation's record (its id is then followable with GET /operations/:id) and answers its report. */
async function recorded<R extends { operation_id: string; dry_run: boolean; job_ids: string[] }>(
  c: Context<AppEnv>,
  kind: OperationKind,
  request: Record<string, unknown>,
  report: R,
) {
  await saveOperation(blobsOf(c.env), {
    operation_id: report.operation_id,
    kind,
    requested_by: callerOf(c).name,
    created_at: new Date().toISOString(),
    dry_run: report.dry_run,
    request,
    report,
  });
  return c.json(report, report.dry_run ? 200 : 202);
}

operationRoutes.post('/bulk-retry', requireRole('operator'), async (c) => {
  const parsed = BulkRetryBody.safeParse(await readJsonObject(c));
  if (!parsed.success)
    throw new HttpError(400, 'INVALID_REQUEST', 'invalid bulk retry', { fields: z.flattenError(parsed.error).fieldErrors });
  const b = parsed.data;
  const operationId = `op-${crypto.randomUUID()}`;
  const report = await bulkRetry(
    { store: storeOf(c), queue: new CloudflareJobQueue(c.env.JOBS_QUEUE as Queue<JobMessage>), log: c.get('log'), now: Date.now },
    { pipeline: b.pipeline, states: b.states, createdFrom: b.created_from, createdTo: b.created_to, errorCode: b.error_code },
    { dryRun: b.dry_run, batchSize: b.batch_size, maxJobs: b.max_jobs, operationId, actor: callerOf(c).name },
  );
  c.get('log').info('bulk retry', { operation_id: operationId, dry_run: b.dry_run, matched: report.matched, retried: report.retried });
  return recorded(c, 'bulk_retry', b, report);
});

operationRoutes.post('/renormalize', requireRole('operator'), async (c) => {
  const parsed = RenormalizeBody.safeParse(await readJsonObject(c));
  if (!parsed.success)
    throw new HttpError(400, 'INVALID_REQUEST', 'invalid re-normalize request', { fields: z.flattenError(parsed.error).fieldErrors });
  const b = parsed.data;
  requirePipeline(b.pipeline, { details: { field: 'pipeline' } });
  const operationId = `op-${crypto.randomUUID()}`;
  const report = await renormalize(
    {
      store: storeOf(c),
      queue: new CloudflareJobQueue(c.env.JOBS_QUEUE as Queue<JobMessage>),
      log: c.get('log'),
      now: Date.now,
      defaultMaxAttempts: getConfig(c.env).maxAttempts,
    },
    { pipeline: b.pipeline, dryRun: b.dry_run, batchSize: b.batch_size, maxScopes: b.max_scopes, operationId, actor: callerOf(c).name },
  );
  return recorded(c, 'renormalize', b, report);
});

/** An operation's record and its live status: how many of its jobs finished, in which state, with which decision. */
operationRoutes.get('/:id', async (c) => {
  const id = c.req.param('id');
  if (!OPERATION_ID.test(id)) throw new HttpError(400, 'INVALID_OPERATION_ID', 'operation id must be op-<uuid>', { field: 'id' });
  const record = await loadOperation(blobsOf(c.env), id);
  if (!record) throw new HttpError(404, 'OPERATION_NOT_FOUND', `no operation ${id}`, { field: 'id' });
  return c.json({ operation: record, status: await operationStatus(storeOf(c), record) });
});
