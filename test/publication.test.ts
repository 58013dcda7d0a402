import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import eventsPage from '../testdata/liverc/Track.events.listing.page.html?raw';
import { getPipeline } from '../src/pipelines/registry';
import { enqueueJob } from '../src/runtime/enqueue';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { withCleanState, api, CATALOG, CATALOG_KEY, fixtures, manualDeps } from './helpers';
import { crashAt } from './support/crash';

const SCOPE = 'track_slug=canberraoffroad';
const EVENT_ROW = /<tr>\s*<td><a href="\/results\/\?p=view_event&id=(\d+)"[\s\S]*?<\/tr>/g;

/** The real listing with only the first `n` events kept. */
function keepEvents(html: string, n: number): string {
  let i = 0;
  return html.replace(EVENT_ROW, (row) => (i++ < n ? row : ''));
}

async function run(deps: ReturnType<typeof manualDeps>, extra: Record<string, unknown> = {}) {
  const { job } = await enqueueJob(
    { ...deps, defaultMaxAttempts: 3 },
    { ...CATALOG, params: { ...CATALOG.params }, actor: 'test', reason: 'test', ...extra },
  );
  const out = await handleJobMessage(deps, job.id);
  if (out.kind !== 'succeeded') throw new Error(`job ended ${JSON.stringify(out)}`);
  return out.result as Record<string, any>;
}

async function envelope(id: string) {
  const res = await api(`/publications/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

async function r2Count(prefix: string): Promise<number> {
  return (await env.RAW.list({ prefix })).objects.length;
}

describe('change detection and publication', () => {
  withCleanState();

  it('publishes once for the same content twice, and stores the identical body once', async () => {
    const deps = manualDeps();
    const first = await run(deps);
    expect(first.decision).toBe('PUBLISH_FIRST');
    const rawBefore = await r2Count('raw/');
    const objectsBefore = await r2Count('');
    const second = await run(deps);
    expect(second).toMatchObject({
      decision: 'SKIP_NO_CHANGE',
      classification: 'NO_CHANGE',
      publication_id: null,
      raw_bodies_written: 0,
      payload_written: false,
    });
    expect(second.reason).toBe('identical source and content');
    expect(await r2Count('raw/')).toBe(rawBefore);
    expect(await r2Count('')).toBe(objectsBefore);
    expect(await deps.store.listPublications(CATALOG.pipeline, SCOPE, null, 10)).toHaveLength(1);
    const normalized = await deps.store.getNormalized(second.job_id);
    expect(normalized?.publicationDecision).toBe('SKIP_NO_CHANGE');
  });

  it('treats a byte-different page with identical meaning as no change', async () => {
    const deps = manualDeps();
    await run(deps);
    await fixtures.routes([{ key: CATALOG_KEY, file: 'liverc/edited/Track.events.listing.asset-versions.edited.html' }]);
    const second = await run(deps);
    expect(second.decision).toBe('SKIP_NO_CHANGE');
    expect(second.reason).toBe('source bytes changed but normalized content is identical');
    expect(second.raw_bodies_written).toBe(1);
  });

  it('publishes changed content that supersedes the previous publication with the exact entity changes', async () => {
    const deps = manualDeps();
    const first = await run(deps);
    const changed = keepEvents(eventsPage, 99).replace(
      'Cormcc 2025 Rudi Wensing Memorial, Clay Cup',
      'Cormcc 2025 Rudi Wensing Memorial, Clay Cup (rescheduled)',
    );
    const dropped = [...eventsPage.matchAll(EVENT_ROW)].map((m) => m[1]).at(-1);
    await fixtures.routes([{ key: CATALOG_KEY, body: changed }]);
    const second = await run(deps);
    expect(second).toMatchObject({ decision: 'PUBLISH_CHANGED', classification: 'CONTENT_CHANGED', supersedes_id: first.publication_id });
    const env2 = await envelope(second.publication_id);
    expect(env2.publication).toMatchObject({ sequence: 2, supersedes_id: first.publication_id });
    expect(env2.changes).toEqual({ added: [], removed: [`event:${dropped}`], changed: ['event:486677'] });
    const latest = (await (await api('/publications/latest?pipeline=liverc.event_catalog&track_slug=canberraoffroad')).json()) as any;
    expect(latest.publication.id).toBe(second.publication_id);
    const history = (await (await api('/publications?pipeline=liverc.event_catalog&track_slug=canberraoffroad&limit=1')).json()) as any;
    expect(history.publications.map((p: any) => p.sequence)).toEqual([2]);
    const page2 = (await (
      await api(`/publications?pipeline=liverc.event_catalog&track_slug=canberraoffroad&limit=1&cursor=${history.next_cursor}`)
    ).json()) as any;
    expect(page2.publications.map((p: any) => p.id)).toEqual([first.publication_id]);
    expect(page2.next_cursor).toBeNull();
  });

  it('republishes unchanged content when the job is forced', async () => {
    const deps = manualDeps();
    const first = await run(deps);
    const forced = await run(deps, { force: true });
    expect(forced).toMatchObject({ decision: 'PUBLISH_FORCED', classification: 'REPUBLISH_FORCED', supersedes_id: first.publication_id });
    const e = await envelope(forced.publication_id);
    expect(e.changes).toEqual({ added: [], removed: [], changed: [] });
    expect(e.hashes.normalized_hash).toBe(first.normalized_hash);
    expect(e.hashes.envelope_hash).not.toBe((await envelope(first.publication_id)).hashes.envelope_hash);
  });

  it('holds a drifted normalization that lost most entities until a forced job releases it', async () => {
    const deps = manualDeps();
    const first = await run(deps);
    await fixtures.routes([{ key: CATALOG_KEY, body: keepEvents(eventsPage, 3) }]);
    const held = await run(deps);
    expect(held).toMatchObject({ decision: 'HOLD_DRIFT', classification: 'DRIFT_SUSPECTED', publication_id: null, entity_count: 3 });
    expect(held.reason).toMatch(/held: 3 entities against 100/);
    const latest = (await (await api('/publications/latest?pipeline=liverc.event_catalog&track_slug=canberraoffroad')).json()) as any;
    expect(latest.publication.id).toBe(first.publication_id);
    const released = await run(deps, { force: true });
    expect(released.decision).toBe('PUBLISH_FORCED');
    expect((await envelope(released.publication_id)).changes.removed).toHaveLength(97);
  });

  it('replays a scope from stored snapshots after a normalizer change, without a provider request', async () => {
    const deps = manualDeps();
    const first = await run(deps);
    const pipeline = getPipeline(CATALOG.pipeline)!;
    const original = { normalize: pipeline.normalize, version: pipeline.normalizerVersion };
    await fixtures.reset();
    try {
      pipeline.normalizerVersion = `${original.version}-test`;
      pipeline.normalize = (params, parsed) => {
        const out = original.normalize(params, parsed) as { events: Array<{ name: string }> };
        return { ...out, events: out.events.map((e) => ({ ...e, name: e.name.toUpperCase() })) };
      };
      const replay = await run(deps, { mode: 'replay' });
      expect(replay).toMatchObject({
        decision: 'PUBLISH_CHANGED',
        classification: 'NORMALIZATION_CHANGED',
        provider_requests: 0,
        replay_of: expect.any(String),
      });
      expect(replay.source_snapshot_hash).toBe(first.source_snapshot_hash);
      expect((await envelope(replay.publication_id)).versions.normalizer_version).toBe(`${original.version}-test`);
    } finally {
      pipeline.normalize = original.normalize;
      pipeline.normalizerVersion = original.version;
    }
    expect(await fixtures.log()).toEqual([]);
  });

  it('publishes exactly once per distinct content when 20 jobs of one scope finish at once', async () => {
    const deps = manualDeps();
    const seed = await run(deps); // gives a normalized payload in R2 to reuse
    const {
      publicationDecision: _d,
      publicationReason: _r,
      changeClassification: _c,
      publicationId: _p,
      ...base
    } = (await deps.store.getNormalized(seed.job_id))!;
    const publishWave = async (normalizedHash: string, payloadKey: string) => {
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const id = crypto.randomUUID();
        ids.push(id);
        await env.DB.prepare(`INSERT INTO ingestion_jobs
            (id, pipeline, params, scope_key, state, max_attempts, next_retry_at, created_at, updated_at)
          VALUES (?, ?, '{"track_slug":"canberraoffroad"}', ?, 'succeeded', 1, 0, 0, 0)`)
          .bind(id, CATALOG.pipeline, SCOPE)
          .run();
        await env.DB.prepare(
          `INSERT INTO job_state_transitions (id, job_id, to_state, reason, actor, at)
           VALUES (?, ?, 'succeeded', 'test fixture', 'test', 0)`,
        )
          .bind(crypto.randomUUID(), id)
          .run();
      }
      return Promise.all(
        ids.map((jobId, i) =>
          deps.publisher.publish({
            pipeline: CATALOG.pipeline,
            scopeKey: SCOPE,
            jobId,
            force: false,
            now: Date.now(),
            scope: { track_slug: 'canberraoffroad' },
            normalized: { ...base, jobId, normalizedHash, payloadKey, createdAt: i, updatedAt: i },
          }),
        ),
      );
    };
    const wave1 = await publishWave(base.normalizedHash, base.payloadKey);
    expect(wave1.filter((o) => o.publicationId)).toHaveLength(0);
    // A second content: reuse the document of a changed listing.
    await fixtures.routes([{ key: CATALOG_KEY, body: keepEvents(eventsPage, 90) }]);
    const changed = await run(deps);
    const changedNorm = (await deps.store.getNormalized(changed.job_id))!;
    const wave2 = await publishWave(changedNorm.normalizedHash, changedNorm.payloadKey);
    expect(wave2.filter((o) => o.publicationId)).toHaveLength(0);
    const wave3 = await publishWave(base.normalizedHash, base.payloadKey);
    expect(wave3.filter((o) => o.publicationId)).toHaveLength(1);
    expect(wave3.filter((o) => o.decision === 'SKIP_NO_CHANGE')).toHaveLength(19);
    const chain = await deps.store.listPublications(CATALOG.pipeline, SCOPE, null, 50);
    expect(chain.map((p) => p.sequence)).toEqual([3, 2, 1]);
    expect(chain[0]!.supersedesId).toBe(changed.publication_id);
    expect(chain[1]!.supersedesId).toBe(seed.publication_id);
  });

  it('decides again against a publication that landed between the claim and the publish, never on the stale base', async () => {
    const deps = manualDeps();
    await fixtures.routes([{ key: CATALOG_KEY, body: keepEvents(eventsPage, 50) }]);
    const fifty = await run(deps); // sequence 1: 50 events
    const {
      publicationDecision: _d,
      publicationReason: _r,
      changeClassification: _c,
      publicationId: _p,
      ...fiftyRow
    } = (await deps.store.getNormalized(fifty.job_id))!;
    await fixtures.reset();
    const full = await run(deps); // sequence 2: every event of the listing
    // Job A claims (reading sequence 2 as its base) and stalls before its publish.
    await fixtures.routes([{ key: CATALOG_KEY, body: keepEvents(eventsPage, 90) }]);
    const { job } = await enqueueJob({ ...deps, defaultMaxAttempts: 3 }, { ...CATALOG, actor: 'test', reason: 'test' });
    const stalled = crashAt(deps, { port: 'publisher', method: 'publish', when: 'pause' });
    const a = handleJobMessage(stalled.deps, job.id);
    await stalled.reached;
    // Meanwhile a writer outside the job (a fabricated succeeded job) publishes the 50-event content: sequence 3.
    const other = crypto.randomUUID();
    await env.DB.prepare(`INSERT INTO ingestion_jobs (id, pipeline, params, scope_key, state, max_attempts, next_retry_at, created_at, updated_at)
      VALUES (?, ?, '{"track_slug":"canberraoffroad"}', ?, 'succeeded', 1, 0, 0, 0)`)
      .bind(other, CATALOG.pipeline, SCOPE)
      .run();
    await env.DB.prepare(
      `INSERT INTO job_state_transitions (id, job_id, to_state, reason, actor, at) VALUES (?, ?, 'succeeded', 'test fixture', 'test', 0)`,
    )
      .bind(crypto.randomUUID(), other)
      .run();
    const between = await deps.publisher.publish({
      pipeline: CATALOG.pipeline,
      scopeKey: SCOPE,
      jobId: other,
      force: false,
      now: Date.now(),
      scope: { track_slug: 'canberraoffroad' },
      normalized: { ...fiftyRow, jobId: other },
    });
    expect(between).toMatchObject({ decision: 'PUBLISH_CHANGED', previousPublicationId: full.publication_id });
    stalled.resume();
    const out = await a;
    expect(out).toMatchObject({ kind: 'succeeded', result: { decision: 'PUBLISH_CHANGED' } });
    const chain = await deps.store.listPublications(CATALOG.pipeline, SCOPE, null, 10);
    expect(chain.map((p) => [p.sequence, p.jobId])).toEqual([
      [4, job.id],
      [3, other],
      [2, full.job_id],
      [1, fifty.job_id],
    ]);
    // Decided against sequence 3 (50 events), not the base it read at its claim (every event): 40 added, none removed.
    expect(chain[0]).toMatchObject({ supersedesId: between.publicationId, addedCount: 40, removedCount: 0 });
    const result = (out as { result: Record<string, unknown> }).result;
    expect(result).toMatchObject({ publication_id: chain[0]!.id, supersedes_id: between.publicationId });
    expect((await deps.store.listAttempts(job.id)).map((t) => t.state)).toEqual(['succeeded']);
  });

  it('serves raw snapshots for audit and the same lookups over RPC', async () => {
    const deps = manualDeps();
    const first = await run(deps);
    const jobId = first.job_id;
    const [snap] = await deps.store.listSnapshots(jobId);
    const raw = await api(`/snapshots/${snap!.sha256}`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('x-snapshot-url')).toBe('https://canberraoffroad.liverc.com/events/');
    expect(await raw.text()).toBe(eventsPage);
    // Downstream polling: an unchanged latest publication answers 304 to the ETag it already holds.
    const latestRes = await api('/publications/latest?pipeline=liverc.event_catalog&track_slug=canberraoffroad');
    const etag = latestRes.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(latestRes.headers.get('x-publication-id')).toBe(first.publication_id);
    const notModified = await api('/publications/latest?pipeline=liverc.event_catalog&track_slug=canberraoffroad', {
      headers: { 'if-none-match': etag },
    });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect((await api(`/publications/${first.publication_id}`, { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
    const rpc = (exports as any).AdapterRpc;
    const latest = await rpc.latestPublication('liverc.event_catalog', { track_slug: 'canberraoffroad' });
    expect(latest.ok).toBe(true);
    expect(latest.value.publication.id).toBe(first.publication_id);
    expect(await rpc.latestPublication('liverc.event_catalog', { track_slug: 'nowhere' })).toEqual({
      ok: false,
      error: { code: 'PUBLICATION_NOT_FOUND', message: 'not found' },
    });
    expect((await rpc.latestPublication('liverc.event_catalog', { colour: 'red' })).error.code).toBe('UNKNOWN_SCOPE_FILTER');
    expect((await rpc.jobStatus(jobId)).value.state).toBe('succeeded');
    expect((await rpc.publicationHistory('liverc.event_catalog', { track_slug: 'canberraoffroad' })).value).toHaveLength(1);
  });
});
