/** docs/openapi.json is what the Worker serves and what the route schemas generate; regenerate with `npm run openapi`. */
import { describe, expect, it } from 'vitest';
import committed from '../docs/openapi.json?raw';
import { buildOpenApi } from '../src/worker/http/openapi';
import { createApp } from '../src/worker/app';
import { api } from './helpers';

describe('OpenAPI document', () => {
  it('is served by the Worker and equals docs/openapi.json (run `npm run openapi` after changing a route schema)', async () => {
    const res = await api('/openapi.json');
    expect(res.status).toBe(200);
    const served = await res.json();
    expect(served).toEqual(buildOpenApi());
    expect(JSON.parse(committed)).toEqual(served);
  });

  it('describes the validation the routes apply', () => {
    const doc = buildOpenApi() as any;
    const enqueue = doc.paths['/jobs'].post.requestBody.content['application/json'].schema;
    expect(enqueue.additionalProperties).toBe(false);
    expect(enqueue.properties.idempotency_key.maxLength).toBe(200);
    const limit = doc.paths['/jobs'].get.parameters.find((p: any) => p.name === 'limit');
    expect(new RegExp(limit.schema.pattern).test('0x10')).toBe(false);
    expect(doc.components.schemas.Envelope.required).toContain('payload');
  });

  it("describes every route of the app's route table under /internal/v1, with its method", () => {
    const doc = buildOpenApi() as { paths: Record<string, Record<string, unknown>> };
    const routes = createApp().routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/internal/v1/') && !r.path.includes('*'));
    const missing = [...new Set(routes.map((r) => `${r.method} ${r.path}`))].filter((key) => {
      const [method, path] = key.split(' ') as [string, string];
      const openapiPath = path.replace('/internal/v1', '').replace(/:([a-z0-9_]+)/gi, '{$1}');
      return !doc.paths[openapiPath]?.[method.toLowerCase()];
    });
    expect(missing).toEqual([]);
    expect(doc.paths['/operations/{id}']).toHaveProperty('get');
  });
});
