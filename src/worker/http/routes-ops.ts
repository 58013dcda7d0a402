/** Health, metrics, the pipeline catalogue and schedules. */
import { Hono } from 'hono';
import { z } from 'zod';
import { ConfigError } from '../../core/config';
import { CronError, nextCronTime } from '../../core/cron';
import { listPipelines } from '../../pipelines/registry';
import { requirePipeline } from '../../runtime/lookups';
import { validateParams } from '../../runtime/validate-params';
import { deliveryStoreOf, getConfig } from '../../wiring/env-ports';
import { renderDeliveryMetrics } from './serialize-deliveries';
import { HttpError } from './errors';
import { fieldErrors } from './query';
import { ScheduleBody } from './schemas';
import { readJsonObject, requireRole, storeOf, type AppEnv } from './middleware';
import { scheduleJson } from './serialize';
import { renderMetrics } from './metrics';
import { ioAccountingOn, ioCounters, resetIoCounters } from '../../wiring/io-accounting';
import { schemaRoutes } from './routes-schemas';
import { buildOpenApi } from './openapi';

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get('/live', (c) => c.json({ status: 'ok' }));

healthRoutes.get('/ready', async (c) => {
  const problems: string[] = [];
  try {
    getConfig(c.env);
  } catch (err) {
    problems.push(err instanceof ConfigError ? err.message : 'configuration could not be read');
  }
  for (const b of ['DB', 'RAW', 'JOBS_QUEUE', 'SCOPE_PUBLISHER', 'RATE_LIMITER'] as const) {
    if (!c.env[b]) problems.push(`binding ${b} is missing`);
  }
  if (problems.length === 0) {
    try {
      await storeOf(c).checkReady();
    } catch (err) {
      problems.push(`database: ${(err as Error).message}`);
    }
  }
  if (problems.length) return c.json({ status: 'unavailable', reasons: problems }, 503);
  return c.json({ status: 'ready' });
});

export const opsRoutes = new Hono<AppEnv>();

opsRoutes.route('/schemas', schemaRoutes);
opsRoutes.get('/openapi.json', (c) => c.json(buildOpenApi()));

// The bench's round-trip counters (src/wiring/io-accounting.ts): 404 unless IO_ACCOUNTING=true.
opsRoutes.get('/debug/io', (c) =>
  ioAccountingOn(c.env as never) ? c.json(ioCounters()) : c.json({ error: { code: 'NOT_FOUND', message: 'IO_ACCOUNTING is off' } }, 404),
);
opsRoutes.post('/debug/io/reset', requireRole('operator'), (c) => {
  if (!ioAccountingOn(c.env as never)) return c.json({ error: { code: 'NOT_FOUND', message: 'IO_ACCOUNTING is off' } }, 404);
  resetIoCounters();
  return c.json({ ok: true });
});

opsRoutes.get('/metrics', async (c) => {
  const m = await storeOf(c).metrics();
  const d = await deliveryStoreOf(c.env, storeOf(c)).metrics();
  return c.text(renderMetrics(m, Date.now()) + renderDeliveryMetrics(d, Date.now()), 200, {
    'content-type': 'text/plain; version=0.0.4; charset=utf-8',
  });
});

opsRoutes.get('/pipelines', (c) =>
  c.json({
    pipelines: listPipelines().map((p) => ({
      name: p.name,
      provider: p.provider,
      description: p.description,
      scope_params: p.scopeParams,
      parser_version: p.parserVersion,
      normalizer_version: p.normalizerVersion,
      schedulable: p.schedulable === true,
      params_schema: z.toJSONSchema(p.paramsSchema, { io: 'input', unrepresentable: 'any' }),
    })),
  }),
);

opsRoutes.get('/schedules', async (c) => c.json({ schedules: (await storeOf(c).listSchedules()).map(scheduleJson) }));

opsRoutes.put('/schedules/:id', requireRole('operator'), async (c) => {
  const id = c.req.param('id');
  if (!/^[a-z0-9][a-z0-9._-]{0,99}$/.test(id))
    throw new HttpError(400, 'INVALID_SCHEDULE_ID', 'schedule id must be lowercase letters, digits, dot, dash or underscore');
  const parsed = ScheduleBody.safeParse(await readJsonObject(c));
  if (!parsed.success) throw new HttpError(400, 'INVALID_REQUEST', 'invalid schedule', { fields: fieldErrors(parsed.error) });
  const b = parsed.data;
  const pipeline = requirePipeline(b.pipeline);
  if (pipeline.schedulable !== true) {
    throw new HttpError(
      400,
      'PIPELINE_NOT_SCHEDULABLE',
      `pipeline "${b.pipeline}" runs on request only: it does not declare itself schedulable`,
      { field: 'pipeline' },
    );
  }
  const params = validateParams(pipeline, b.params);
  const now = Date.now();
  let nextDueAt: number;
  try {
    nextDueAt = nextCronTime(b.cron, now);
  } catch (err) {
    if (err instanceof CronError) throw new HttpError(400, 'INVALID_CRON', err.message);
    throw err;
  }
  const store = storeOf(c);
  await store.upsertSchedule({
    id,
    pipeline: b.pipeline,
    params,
    cron: b.cron,
    enabled: b.enabled,
    nextDueAt,
    createdAt: now,
    updatedAt: now,
  });
  const saved = (await store.listSchedules()).find((s) => s.id === id);
  return c.json({ schedule: saved && scheduleJson(saved) });
});
