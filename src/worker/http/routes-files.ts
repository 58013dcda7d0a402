/**
 * /internal/v1/files: the on-demand prefix scan of the FILES bucket (the cron runs the same scan every minute), and
 * `notify`, which puts an R2 object-created notification on the jobs queue, where the queue consumer routes it as
 * it routes Cloudflare's own. For buckets whose notifications cannot reach the queue (another account, a relay) and
 * for `wrangler dev`, whose local R2 emits none.
 */
import { Hono } from 'hono';
import { getPipeline } from '../../pipelines/registry';
import { scanFilePrefixes } from '../../runtime/file-triggers';
import { buildDeps } from '../../wiring/env-ports';
import { HttpError } from './errors';
import { readJsonObject, requireRole, storeOf, type AppEnv } from './middleware';
import { fieldErrors } from './query';
import { FileNotifyBody, FileScanBody } from './schemas';

export const fileRoutes = new Hono<AppEnv>();

fileRoutes.post('/scan', requireRole('operator'), async (c) => {
  const parsed = FileScanBody.safeParse(await readJsonObject(c));
  if (!parsed.success) throw new HttpError(400, 'INVALID_REQUEST', 'invalid file scan request', { fields: fieldErrors(parsed.error) });
  const b = parsed.data;
  if (b.pipeline && !getPipeline(b.pipeline)?.fileTrigger)
    throw new HttpError(400, 'UNKNOWN_FILE_PIPELINE', `pipeline "${b.pipeline}" has no file trigger`, { field: 'pipeline' });
  const deps = buildDeps(c.env, { request_id: c.get('requestId') }, storeOf(c));
  if (!deps.files) throw new HttpError(503, 'FILES_NOT_BOUND', 'the FILES bucket is not bound in this deployment');
  const report = await scanFilePrefixes({ ...deps, files: deps.files }, { pipeline: b.pipeline, maxObjects: b.max_objects });
  return c.json(report);
});

fileRoutes.post('/notify', requireRole('operator'), async (c) => {
  const parsed = FileNotifyBody.safeParse(await readJsonObject(c));
  if (!parsed.success) throw new HttpError(400, 'INVALID_REQUEST', 'invalid file notification', { fields: fieldErrors(parsed.error) });
  let event = parsed.data;
  if (!('object' in event)) {
    // Only a key: the notification R2 would send for the object as it is now (its size and eTag).
    const head = await c.env.FILES?.head(event.key);
    if (!head) throw new HttpError(404, 'FILE_NOT_FOUND', `no object ${event.key} in the FILES bucket`, { field: 'key' });
    event = {
      account: 'local',
      bucket: 'ingestion-files',
      action: event.action,
      eventTime: new Date(head.uploaded).toISOString(),
      object: { key: head.key, size: head.size, eTag: head.etag },
    };
  }
  await c.env.JOBS_QUEUE.send(event);
  return c.json({ queued: true, event }, 202);
});
