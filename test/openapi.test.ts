/** docs/openapi.json is what the Worker serves and what the route schemas generate; regenerate with `npm run openapi`. */
import { describe, expect, it } from 'vitest';
import committed from '../docs/openapi.json?raw';
import { buildOpenApi } from '../src/worker/http/openapi';
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
});
