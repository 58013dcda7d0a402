/**
 * Issue 16, LiveRC items that need the scope's previous publication or other scopes' publications, through the
 * real runtime (miniflare D1/R2, fixture server): tracks that vanish stay inactive with their last sighting,
 * events carry ingest_depth/last_ingested_at from the deep publication, a capped laps_full sync leaves the rest
 * for the next one, and every publication decision logs new/changed/unchanged/removed entity counts.
 */
import { describe, expect, it } from 'vitest';
import catalogue from '../testdata/liverc/Track.catalogue.page.html?raw';
import { jsonLogger } from '../src/core/logger';
import { api, clock, fixtures, manualDeps, runOnce, withCleanState } from './helpers';

const withoutCanberra = catalogue.replace(
  /<tr class="clickable-row" data-href="\/\/canberraoffroad\.liverc\.com\/results\/">[\s\S]*?<\/tr>/,
  '',
);

function loggedDeps(c = clock()) {
  const lines: Record<string, any>[] = [];
  const deps = { ...manualDeps({ clock: c }), log: jsonLogger({}, (l) => lines.push(JSON.parse(l)), 'info') };
  return { deps, lines, c, decisions: () => lines.filter((l) => l.msg === 'publication decided') };
}

describe('LiveRC ingest state across syncs', () => {
  withCleanState();

  it('a track the list stops showing stays inactive with its last sighting; counts per decision are logged', async () => {
    const { deps, c, decisions } = loggedDeps(clock(Date.UTC(2026, 0, 5, 4, 17)));
    const t1 = c.t;
    expect((await runOnce(deps, 'liverc.track_catalog', {})).out.kind).toBe('succeeded');
    expect(decisions().at(-1)).toMatchObject({
      decision: 'PUBLISH_FIRST',
      entities_new: 1090,
      entities_changed: 0,
      entities_unchanged: 0,
      entities_removed: 0,
    });
    c.advance(86_400_000);
    const t2 = c.t;
    const same = await runOnce(deps, 'liverc.track_catalog', {});
    expect(same.stored.result).toMatchObject({
      decision: 'SKIP_NO_CHANGE',
      entities_new: 0,
      entities_changed: 0,
      entities_unchanged: 1090,
      entities_removed: 0,
    });
    expect(decisions().at(-1)).toMatchObject({ decision: 'SKIP_NO_CHANGE', entities_unchanged: 1090 });

    c.advance(86_400_000);
    await fixtures.routes([{ key: 'live.liverc.com/', body: withoutCanberra }]);
    const gone = await runOnce(deps, 'liverc.track_catalog', {});
    expect(gone.stored.result).toMatchObject({
      decision: 'PUBLISH_CHANGED',
      entity_count: 1090,
      entities_new: 0,
      entities_changed: 1,
      entities_unchanged: 1089,
      entities_removed: 0,
    });
    expect(decisions().at(-1)).toMatchObject({ decision: 'PUBLISH_CHANGED', entities_changed: 1, entities_unchanged: 1089 });
    const env = (await (await api('/publications/latest?pipeline=liverc.track_catalog')).json()) as any;
    expect(env.changes.changed).toEqual(['track:canberraoffroad']);
    expect(env.payload).toMatchObject({ track_count: 1089, inactive_track_count: 1 });
    const canberra = env.payload.tracks.find((t: any) => t.slug === 'canberraoffroad');
    // last seen on the unchanged re-sync of day 2 (which published nothing), not on day 1
    expect(canberra).toMatchObject({ is_active: false, _activity: { last_seen_at: new Date(t2).toISOString() } });
    expect(t2).toBeGreaterThan(t1);

    // A replay of the same snapshots normalizes to the same hash (fetch times, not the clock).
    c.advance(3_600_000);
    const replay = await runOnce(deps, 'liverc.track_catalog', {}, { mode: 'replay' });
    expect(replay.stored.result).toMatchObject({ decision: 'SKIP_NO_CHANGE', normalized_hash: gone.stored.result!.normalized_hash });
  });

  it('events carry ingest_depth from the deep publication; a capped laps_full sync leaves the rest to the next', async () => {
    const { deps } = loggedDeps();
    const params = { track_slug: 'canberraoffroad', depth: 'laps_full', max_deep_jobs: 1 };
    const first = await runOnce(deps, 'liverc.event_catalog', params);
    const firstKids = first.stored.result!.child_job_ids as string[];
    expect(firstKids).toHaveLength(1);
    const kid = (await deps.store.getJob(firstKids[0]!))!;
    expect(kid.params).toMatchObject({ event_id: '486677' }); // newest first
    let env = (await (await api('/publications/latest?pipeline=liverc.event_catalog&track_slug=canberraoffroad')).json()) as any;
    expect(env.payload.events.every((e: any) => e.ingest_depth === 'none' && e.last_ingested_at === null)).toBe(true);
    expect(env.payload._deep_backlog).toHaveLength(100);

    // The child runs and publishes the event in full.
    const { handleJobMessage } = await import('../src/runtime/handle-job-message');
    expect((await handleJobMessage(deps, kid.id)).kind).toBe('succeeded');
    const deepPub = (await deps.store.latestPublication('liverc.event_deep', 'track_slug=canberraoffroad&event_id=486677'))!;

    const second = await runOnce(deps, 'liverc.event_catalog', params);
    expect(second.stored.result).toMatchObject({ decision: 'PUBLISH_CHANGED', entities_changed: 1, entities_unchanged: 99 });
    const secondKids = second.stored.result!.child_job_ids as string[];
    expect(secondKids).toHaveLength(1);
    const next = (await deps.store.getJob(secondKids[0]!))!;
    expect(next.params.event_id).toBe(env.payload._deep_backlog[1]);
    env = (await (await api('/publications/latest?pipeline=liverc.event_catalog&track_slug=canberraoffroad')).json()) as any;
    expect(env.payload.events.find((e: any) => e.source_event_id === '486677')).toMatchObject({
      ingest_depth: 'laps_full',
      last_ingested_at: new Date(deepPub.publishedAt).toISOString(),
    });
    expect(env.payload._deep_backlog).toHaveLength(99);
    // A depth none sync neither resets ingest_depth (seed step 6) nor enqueues anything.
    const none = await runOnce(deps, 'liverc.event_catalog', { track_slug: 'canberraoffroad' });
    expect(none.stored.result).toMatchObject({ decision: 'SKIP_NO_CHANGE', child_job_ids: [] });
    await deps.store.cancelJob(next.id, Date.now(), 'test', 'cleanup');
  });
});
