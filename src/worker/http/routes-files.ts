/** /internal/v1/files: the on-demand prefix scan of the FILES bucket (the cron runs the same scan every minute). */
import { Hono } from 'hono';
import { getPipeline } from '../../pipelines/registry';
import { scanFilePrefixes } from '../../runtime/file-triggers';
import { buildDeps } from '../../wiring/env-ports';
import { HttpError } from './errors';
import { readJsonObject, requireRole, storeOf, type AppEnv } from './middleware';
import { fieldErrors } from './query';
import { FileScanBody } from './schemas';

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
