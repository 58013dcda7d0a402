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

  it("names LiveRC's race completion completed_local (track-local, no offset: no zone on the page) and says so in the schema", async () => {
    const schema = (await (await api('/schemas/pipelines/liverc.event_deep')).json()) as Record<string, unknown>;
    // Every completed_local the schema describes, wherever the payload nests it.
    const found: Array<Record<string, any>> = [];
    const offsetless: string[] = []; // the old name: an `_at` without an offset
    const walk = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
        if (k === 'completed_at') offsetless.push(k);
        if (k === 'completed_local' && v && typeof v === 'object') found.push(v as Record<string, any>);
        walk(v);
      }
    };
    walk(schema);
    expect(offsetless).toEqual([]);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      const text = JSON.stringify(f);
      expect(text).toMatch(/track-local wall-clock time, ISO 8601 without offset/);
      const patterns = [...text.matchAll(/"pattern":("(?:[^"\\]|\\.)*")/g)].map((m) => new RegExp(JSON.parse(m[1]!) as string));
      expect(patterns).toHaveLength(1);
      const pattern = patterns[0]!;
      expect(pattern.test('2025-11-16T17:30:00')).toBe(true);
      expect(pattern.test('2025-11-16T17:30:00Z')).toBe(false);
    }
  });

  it('builds a schema for every registered pipeline', async () => {
    const index = (await (await api('/schemas')).json()) as any;
    for (const path of Object.values(index.pipelines) as string[]) {
      const res = await api(path.replace('/internal/v1', ''));
      expect([path, res.status]).toEqual([path, 200]);
    }
  });
});
