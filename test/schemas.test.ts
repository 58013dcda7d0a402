/** JSON Schemas served for downstream validation on receipt: they describe the envelopes actually published. */
import { describe, expect, it } from 'vitest';
import { anyEnvelopeSchema, envelopeSchema } from '../src/core/envelope-schema';
import { getPipeline } from '../src/pipelines/registry';
import { api, CATALOG, manualDeps, runOnce, withCleanState } from './helpers';

describe('payload and envelope schemas', () => {
  withCleanState();

  it('serves a JSON Schema per pipeline and for the envelope, matching a real publication', async () => {
    const run = await runOnce(manualDeps(), CATALOG.pipeline, { ...CATALOG.params });
    expect(run.out.kind).toBe('succeeded');
    const envelope = await (await api('/publications/latest?pipeline=liverc.event_catalog&track_slug=canberraoffroad')).json();
    expect(anyEnvelopeSchema.safeParse(envelope).error).toBeUndefined();
    expect(envelopeSchema(getPipeline(CATALOG.pipeline)!.outputSchema).safeParse(envelope).error).toBeUndefined();

    const index = (await (await api('/schemas')).json()) as any;
    expect(index.pipelines['liverc.event_catalog']).toBe('/internal/v1/schemas/pipelines/liverc.event_catalog');
    const generic = (await (await api('/schemas/envelope')).json()) as any;
    expect(generic.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(generic.required).toEqual(expect.arrayContaining(['contract', 'publication', 'scope', 'changes', 'payload']));
    expect(generic.properties.scope.additionalProperties).toEqual({ type: 'string' });
    const res = await api('/schemas/pipelines/liverc.event_catalog');
    expect(res.status).toBe(200);
    const perPipeline = (await res.json()) as any;
    expect(perPipeline.$id).toBe('urn:ingestion.publication:v1:liverc.event_catalog');
    expect(Object.keys(perPipeline.properties.payload.properties ?? {})).not.toHaveLength(0);
    expect((await api('/schemas/pipelines/nope.pipeline')).status).toBe(404);
  });

  it('builds a schema for every registered pipeline', async () => {
    const index = (await (await api('/schemas')).json()) as any;
    for (const path of Object.values(index.pipelines) as string[]) {
      const res = await api(path.replace('/internal/v1', ''));
      expect([path, res.status]).toEqual([path, 200]);
    }
  });
});
