/** /internal/v1/operations: bulk operator actions, each with a dry run and an operation id. */
import { Hono } from 'hono';
import { z } from 'zod';
import { bulkRetry } from '../../runtime/bulk-retry';
import { renormalize } from '../../runtime/renormalize';
import { getPipeline } from '../../pipelines/registry';
import { CloudflareJobQueue, getConfig, type JobMessage } from '../../wiring/env-ports';
import { HttpError } from './errors';
import { BulkRetryBody, RenormalizeBody } from './operation-schemas';
import { callerOf, readJsonObject, requireRole, storeOf, type AppEnv } from './middleware';

export const operationRoutes = new Hono<AppEnv>();

operationRoutes.post('/bulk-retry', requireRole('operator'), async (c) => {
  const parsed = BulkRetryBody.safeParse(await readJsonObject(c));
  if (!parsed.success) throw new HttpError(400, 'INVALID_REQUEST', 'invalid bulk retry', { fields: z.flattenError(parsed.error).fieldErrors });
  const b = parsed.data;
  const operationId = `op-${crypto.randomUUID()}`;
  const report = await bulkRetry(
    { store: storeOf(c), queue: new CloudflareJobQueue(c.env.JOBS_QUEUE as Queue<JobMessage>), log: c.get('log'), now: Date.now },
    { pipeline: b.pipeline, states: b.states, createdFrom: b.created_from, createdTo: b.created_to, errorCode: b.error_code },
    { dryRun: b.dry_run, batchSize: b.batch_size, maxJobs: b.max_jobs, operationId, actor: callerOf(c).name },
  );
  c.get('log').info('bulk retry', { operation_id: operationId, dry_run: b.dry_run, matched: report.matched, retried: report.retried });
  return c.json(report, b.dry_run ? 200 : 202);
});

operationRoutes.post('/renormalize', requireRole('operator'), async (c) => {
  const parsed = RenormalizeBody.safeParse(await readJsonObject(c));
  if (!parsed.success) throw new HttpError(400, 'INVALID_REQUEST', 'invalid re-normalize request', { fields: z.flattenError(parsed.error).fieldErrors });
  const b = parsed.data;
  if (!getPipeline(b.pipeline)) throw new HttpError(400, 'UNKNOWN_PIPELINE', `pipeline "${b.pipeline}" is not registered`, { field: 'pipeline' });
  const operationId = `op-${crypto.randomUUID()}`;
  const report = await renormalize(
    { store: storeOf(c), queue: new CloudflareJobQueue(c.env.JOBS_QUEUE as Queue<JobMessage>), log: c.get('log'), now: Date.now, defaultMaxAttempts: getConfig(c.env).maxAttempts },
    { pipeline: b.pipeline, dryRun: b.dry_run, batchSize: b.batch_size, maxScopes: b.max_scopes, operationId, actor: callerOf(c).name },
  );
  return c.json(report, b.dry_run ? 200 : 202);
});
