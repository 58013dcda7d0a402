import { describe, expect, it } from 'vitest';
import eventsPage from '../testdata/liverc/Track.events.listing.page.html?raw';
import { getPipeline } from '../src/pipelines/registry';
import { enqueueJob } from '../src/runtime/enqueue';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { renormalize } from '../src/runtime/renormalize';
import { api, fixtures, manualDeps, READER_TOKEN, withCleanState } from './helpers';

const PIPELINE = 'liverc.event_catalog';
const TRACKS = ['canberraoffroad', 'othertrack'];

async function fetchScope(deps: ReturnType<typeof manualDeps>, track_slug: string) {
  const { job } = await enqueueJob(
    { ...deps, defaultMaxAttempts: 3 },
    { pipeline: PIPELINE, params: { track_slug }, actor: 'test', reason: 'seed' },
  );
  const out = await handleJobMessage(deps, job.id);
  if (out.kind !== 'succeeded') throw new Error(`seed job ended ${JSON.stringify(out)}`);
}

describe('re-normalization from stored snapshots', () => {
  withCleanState();

  it('a normalizer version bump re-normalized in bulk publishes NORMALIZATION_CHANGED only where the output changed', async () => {
    const deps = manualDeps();
    // The second track serves the same recorded listing under its own host.
    await fixtures.routes([{ key: 'othertrack.liverc.com/events/', body: eventsPage, contentType: 'text/html' }]);
    for (const t of TRACKS) await fetchScope(deps, t);
    const dry = await renormalize(
      { ...deps, defaultMaxAttempts: 3 },
      { pipeline: PIPELINE, dryRun: true, batchSize: 1, maxScopes: 100, operationId: 'op-dry', actor: 'ops-alice' },
    );
    expect(dry).toMatchObject({ scopes: 2, enqueued: 0, truncated: false });
    expect(deps.queue.sent).toHaveLength(2); // the two seed jobs only

    const pipeline = getPipeline(PIPELINE)!;
    const original = { normalize: pipeline.normalize, version: pipeline.normalizerVersion };
    await fixtures.reset();
    try {
      // The new normalizer changes the output of one track only.
      pipeline.normalizerVersion = `${original.version}-bump`;
      pipeline.normalize = (params, parsed) => {
        const out = original.normalize(params, parsed) as { track_slug: string; events: Array<{ name: string }> };
        return out.track_slug === 'canberraoffroad'
          ? { ...out, events: out.events.map((e) => ({ ...e, name: e.name.toUpperCase() })) }
          : out;
      };
      const real = await renormalize(
        { ...deps, defaultMaxAttempts: 3 },
        { pipeline: PIPELINE, dryRun: false, batchSize: 1, maxScopes: 100, operationId: 'op-real', actor: 'ops-alice' },
      );
      expect(real).toMatchObject({ scopes: dry.scopes, enqueued: 2, batches: 2 });
      const decisions: Record<string, unknown> = {};
      for (const id of real.job_ids) {
        const job = (await deps.store.getJob(id))!;
        expect(job).toMatchObject({ mode: 'replay', requestedBy: 'ops-alice', requestId: 'op-real' });
        const out = await handleJobMessage(deps, id);
        expect(out.kind).toBe('succeeded');
        const r = (await deps.store.getJob(id))!.result!;
        decisions[String(job.params.track_slug)] = {
          decision: r.decision,
          classification: r.classification ?? null,
          provider_requests: r.provider_requests,
        };
      }
      expect(decisions).toEqual({
        canberraoffroad: { decision: 'PUBLISH_CHANGED', classification: 'NORMALIZATION_CHANGED', provider_requests: 0 },
        othertrack: { decision: 'SKIP_NO_CHANGE', classification: expect.anything(), provider_requests: 0 },
      });
    } finally {
      pipeline.normalize = original.normalize;
      pipeline.normalizerVersion = original.version;
    }
    expect(await fixtures.log()).toEqual([]);
  });

  it('POST /operations/renormalize: dry run, unknown pipeline named, reader refused', async () => {
    const deps = manualDeps();
    await fetchScope(deps, 'canberraoffroad');
    const res = await api('/operations/renormalize', { method: 'POST', json: { pipeline: PIPELINE, dry_run: true } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ pipeline: PIPELINE, scopes: 1, dry_run: true, operation_id: expect.stringMatching(/^op-/) });
    const bad = await api('/operations/renormalize', { method: 'POST', json: { pipeline: 'nope', dry_run: true } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('UNKNOWN_PIPELINE');
    expect((await api('/operations/renormalize', { method: 'POST', token: READER_TOKEN, json: { pipeline: PIPELINE } })).status).toBe(403);
  });
});
