/** /internal/v1/schemas: JSON Schemas downstream validates received envelopes with (the envelope, and per pipeline). */
import { Hono } from 'hono';
import { anyEnvelopeSchema, envelopeSchema, toJsonSchema } from '../../core/envelope-schema';
import { listPipelines } from '../../pipelines/registry';
import { requirePipeline } from '../../runtime/lookups';
import type { AppEnv } from './middleware';

export const schemaRoutes = new Hono<AppEnv>();

/** Schemas are pure functions of the deployed code: built once per isolate. */
const cache = new Map<string, Record<string, unknown>>();
function cached(key: string, build: () => Record<string, unknown>) {
  let v = cache.get(key);
  if (!v) cache.set(key, (v = build()));
  return v;
}

schemaRoutes.get('/', (c) =>
  c.json({
    envelope: '/internal/v1/schemas/envelope',
    pipelines: Object.fromEntries(listPipelines().map((p) => [p.name, `/internal/v1/schemas/pipelines/${p.name}`])),
  }),
);

schemaRoutes.get('/envelope', (c) => c.json(cached('envelope', () => toJsonSchema(anyEnvelopeSchema, 'urn:ingestion.publication:v1'))));

schemaRoutes.get('/pipelines/:name', (c) => {
  const name = c.req.param('name');
  const p = requirePipeline(name, { status: 404, details: { fields: { name: ['unknown pipeline'] } } });
  return c.json(
    cached(`pipeline:${p.name}`, () => ({
      ...toJsonSchema(envelopeSchema(p.outputSchema), `urn:ingestion.publication:v1:${p.name}`),
      'x-parser-version': p.parserVersion,
      'x-normalizer-version': p.normalizerVersion,
    })),
  );
});
