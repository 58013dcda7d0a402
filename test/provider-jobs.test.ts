import { describe, expect, it } from 'vitest';
import eventsPage from '../testdata/liverc/Track.events.listing.page.html?raw';
import { enqueueJob } from '../src/runtime/enqueue';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { jsonLogger } from '../src/core/logger';
import { withCleanState, runOnce, api, fixtures, manualDeps, captureErrorLogs } from './helpers';

const DEEP = { pipeline: 'liverc.event_deep', params: { track_slug: 'canberraoffroad', event_id: '486677' } };
const RACE = (id: string) => `canberraoffroad.liverc.com/results/?id=${id}&p=view_race_result`;
const ENTRY_LIST = 'canberraoffroad.liverc.com/results/?id=486677&p=view_entry_list';

const job = runOnce;

describe('LiveRC jobs through the runtime', () => {
  withCleanState();

  it('logs every fetched URL with status, bytes and ms, and dates the track list from the fetch time', async () => {
    const lines: string[] = [];
    const deps = { ...manualDeps(), log: jsonLogger({}, (l) => lines.push(l), 'debug') };
    const r = await job(deps, 'liverc.track_catalog', {});
    expect(r.out.kind).toBe('succeeded');
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'resource fetched');
    expect(logged).toEqual([
      expect.objectContaining({ level: 'info', url: 'https://live.liverc.com/', status: 200, bytes: 629452, ms: expect.any(Number) }),
    ]);
    expect(lines.some((l) => JSON.parse(l).level === 'debug')).toBe(true);
    const envelope = (await (await api('/publications/latest?pipeline=liverc.track_catalog')).json()) as any;
    const at = envelope.payload.tracks.find((t: any) => t.slug === 'raceplacerc')._activity.liverc_track_last_updated;
    expect(new Date(at).getTime()).toBeLessThanOrEqual(deps.now());
  });

  it('ingests event 486677 deeply, then honours the no-re-fetch rule and its refetch override', async () => {
    const deps = manualDeps();
    const first = await job(deps, DEEP.pipeline, DEEP.params);
    expect(first.out.kind).toBe('succeeded');
    expect(first.stored.result).toMatchObject({ decision: 'PUBLISH_FIRST', provider_requests: 4, raw_bodies_written: 4 });
    const envelope = (await (
      await api('/publications/latest?pipeline=liverc.event_deep&track_slug=canberraoffroad&event_id=486677')
    ).json()) as any;
    expect(envelope.payload.complete).toBe(true);
    expect(envelope.payload.laps.filter((l: any) => l.driver_key === '346997' && l.source_race_id === '6304829')).toHaveLength(47);

    await fixtures.reset();
    const skipped = await job(deps, DEEP.pipeline, DEEP.params);
    expect(skipped.stored.result).toMatchObject({
      outcome: 'SKIPPED',
      skip_reason: 'EVENT_ALREADY_COMPLETE',
      provider_requests: 0,
      publication_id: first.stored.result!.publication_id,
    });
    expect(await fixtures.log()).toEqual([]);

    const refetched = await job(deps, DEEP.pipeline, { ...DEEP.params, refetch: true });
    expect(refetched.stored.result).toMatchObject({
      decision: 'SKIP_NO_CHANGE',
      provider_requests: 4,
      raw_bodies_written: 0,
      payload_written: false,
      publication_id: null,
    });
    expect((await fixtures.log()).length).toBe(4);
    expect(refetched.stored.scopeKey).toBe(first.stored.scopeKey);
  });

  it('publishes a partial event that says so when a listed race page is missing', async () => {
    await fixtures.routes([{ key: RACE('6304822'), status: 404, body: 'not found', contentType: 'text/plain' }]);
    const deps = manualDeps();
    const r = await job(deps, DEEP.pipeline, DEEP.params);
    expect(r.out.kind).toBe('succeeded');
    const envelope = (await (await api(`/publications/${r.stored.result!.publication_id}`)).json()) as any;
    expect(envelope.payload.complete).toBe(false);
    expect(envelope.payload.missing_races).toEqual(['6304822']);
    // An incomplete event is fetched again next time: no EVENT_ALREADY_COMPLETE skip.
    await fixtures.reset();
    const again = await job(deps, DEEP.pipeline, DEEP.params);
    expect(again.stored.result).toMatchObject({ decision: 'PUBLISH_CHANGED', classification: 'CONTENT_CHANGED' });
  });

  it('fails without publishing when a race page lost its racerLaps data or the entry list is missing or empty', async () => {
    const logs = captureErrorLogs();
    const deps = manualDeps();
    await fixtures.routes([{ key: RACE('6304829'), file: 'liverc/edited/6304829.race.no-racerlaps.edited.html' }]);
    const drift = await job(deps, DEEP.pipeline, DEEP.params);
    expect(drift.out).toEqual({ kind: 'failed', code: 'RACER_LAPS_MISSING' });
    await fixtures.reset();
    await fixtures.routes([{ key: ENTRY_LIST, status: 404, body: 'no', contentType: 'text/plain' }]);
    const missing = await job(deps, DEEP.pipeline, DEEP.params);
    expect(missing.out).toEqual({ kind: 'failed', code: 'ENTRY_LIST_MISSING' });
    expect(missing.stored.lastErrorCategory).toBe('validation');
    await fixtures.reset();
    await fixtures.routes([{ key: ENTRY_LIST, file: 'liverc/handmade/486677.entry-list.empty.handmade.html' }]);
    const empty = await job(deps, DEEP.pipeline, DEEP.params);
    expect(empty.out).toEqual({ kind: 'failed', code: 'ENTRY_LIST_EMPTY' });
    expect(await deps.store.latestPublication(DEEP.pipeline)).toBeNull();
    expect(logs.seen()).toEqual(['job failed:RACER_LAPS_MISSING', 'job failed:ENTRY_LIST_MISSING', 'job failed:ENTRY_LIST_EMPTY']);
    expect(logs.errors[1]).toMatchObject({ pipeline: DEEP.pipeline, state: 'failed', error_category: 'validation' });
  });

  it('enqueues deep child jobs only with laps_full: all new events first, then only newly discovered ones or all', async () => {
    const deps = manualDeps();
    const params = { track_slug: 'canberraoffroad' };
    const none = await job(deps, 'liverc.event_catalog', { ...params, depth: 'none' });
    expect(none.stored.result!.child_job_ids).toEqual([]);
    // A listing that gained one event since the last publication.
    const row = /<tr>\s*<td><a href="\/results\/\?p=view_event&id=486677"[\s\S]*?<\/tr>/.exec(eventsPage)![0];
    const gained = eventsPage.replace(
      row,
      row.replace(/486677/g, '499999').replace('Cormcc 2025 Rudi Wensing Memorial, Clay Cup', 'Brand New Race Day') + row,
    );
    await fixtures.routes([{ key: 'canberraoffroad.liverc.com/events/', body: gained }]);
    const newOnly = await job(deps, 'liverc.event_catalog', { ...params, depth: 'laps_full' });
    const children = newOnly.stored.result!.child_job_ids as string[];
    expect(children).toHaveLength(1);
    const child = (await deps.store.getJob(children[0]!))!;
    expect(child).toMatchObject({
      pipeline: 'liverc.event_deep',
      params: { track_slug: 'canberraoffroad', event_id: '499999', refetch: false },
      parentJobId: newOnly.id,
      state: 'pending',
    });
    const all = await job(deps, 'liverc.event_catalog', { ...params, depth: 'laps_full', ingest: 'all', max_deep_jobs: 500 });
    expect((all.stored.result!.child_job_ids as string[]).length).toBe(101);
    const listed = (await (await api(`/jobs?parent_job_id=${all.id}&limit=200`)).json()) as { jobs: unknown[] };
    expect(listed.jobs.length).toBe(100); // the 499999 child already pending from the previous run is reused
    await deps.store.cancelJob(children[0]!, Date.now(), 'test', 'cleanup');
    for (const j of listed.jobs as Array<{ id: string }>) await deps.store.cancelJob(j.id, Date.now(), 'test', 'cleanup');
  });

  it('reports progress on GET /jobs/{id} while a deep job runs', async () => {
    await fixtures.routes([
      { key: RACE('6304829'), file: 'liverc/1.8.Nitro.Buggy.A-Main.Results.html', delayMs: 2500 },
      { key: RACE('6304822'), file: 'liverc/1.8.Electric.Buggy.A3-Main Results.html', delayMs: 2500 },
    ]);
    const deps = { ...manualDeps(), now: Date.now };
    const { job: j } = await enqueueJob(
      { ...deps, defaultMaxAttempts: 3 },
      { ...DEEP, params: { ...DEEP.params }, actor: 'test', reason: 'test' },
    );
    const running = handleJobMessage(deps, j.id);
    let seen: { done: number; total: number } | null = null;
    while (!seen) {
      const body = (await (await api(`/jobs/${j.id}`)).json()) as any;
      if (body.job.state !== 'running') break;
      if (body.job.progress.total > 0) seen = body.job.progress;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    expect((await running).kind).toBe('succeeded');
    expect(seen).not.toBeNull();
    expect(seen!.total).toBe(4);
    expect(seen!.done).toBeGreaterThanOrEqual(2);
    expect(seen!.done).toBeLessThan(4);
  });
});

describe('Smoothcomp jobs through the runtime', () => {
  withCleanState({ invariants: false });

  it('gets a session (CSRF token and cookies) through the transport for the participants request', async () => {
    const deps = manualDeps();
    const r = await job(deps, 'smoothcomp.event_participants', { event_id: '30665', host: 'adcc.smoothcomp.com' });
    expect(r.out.kind).toBe('succeeded');
    const log = (await fixtures.log()) as Array<{ key: string; method: string; cookie: string | null; csrf: string | null }>;
    expect(log[0]!.key).toBe('smoothcomp.com/en');
    const post = log.find((l) => l.key.endsWith('/participants'))!;
    expect(post.method).toBe('POST');
    expect(post.csrf).toBeTruthy();
    expect(post.cookie).toMatch(/XSRF-TOKEN=.*sc_session=/);
  });

  it('fails a challenge page as PROVIDER_BLOCKED instead of publishing an empty result', async () => {
    const logs = captureErrorLogs();
    const deps = manualDeps();
    const r = await job(deps, 'smoothcomp.event_detail', { event_id: '31002' });
    expect(r.out).toEqual({ kind: 'failed', code: 'PROVIDER_BLOCKED' });
    expect(logs.seen()).toEqual(['job failed:PROVIDER_BLOCKED']);
    expect(await deps.store.latestPublication('smoothcomp.event_detail')).toBeNull();
  });

  it('publishes "brackets not published" as an answer, and an unchanged re-sync publishes nothing', async () => {
    const deps = manualDeps();
    const r = await job(deps, 'smoothcomp.event_brackets', { event_id: '31120', host: 'naga.smoothcomp.com' });
    expect(r.out.kind).toBe('succeeded');
    const envelope = (await (await api(`/publications/${r.stored.result!.publication_id}`)).json()) as any;
    expect(envelope.payload.published).toBe(false);
    const detail1 = await job(deps, 'smoothcomp.event_detail', { event_id: '14675' });
    expect(detail1.stored.result!.decision).toBe('PUBLISH_FIRST');
    const detail2 = await job(deps, 'smoothcomp.event_detail', { event_id: '14675' });
    expect(detail2.stored.result).toMatchObject({ decision: 'SKIP_NO_CHANGE', raw_bodies_written: 0, payload_written: false });
  });
});
