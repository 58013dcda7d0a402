import { describe, expect, it } from 'vitest';
import { canonicalHash } from '../../core/canonical-json';
import { deriveScopeKey } from '../../core/scope-key';
import listing from '../../../testdata/liverc/Track.events.listing.page.html?raw';
import listingEdited from '../../../testdata/liverc/edited/Track.events.listing.asset-versions.edited.html?raw';
import type { RelatedPublication } from '../../core/pipeline';
import { eventCatalogPipeline as p } from './event-catalog';
import { res } from './test-fixtures';

type Out = ReturnType<typeof p.normalize>;

/** parse -> normalize -> carryOver (as the runtime runs it) with a previous payload and deep publications. */
function run(raw: Record<string, unknown>, body = listing, previous: Out | null = null, related = new Map<string, RelatedPublication>()) {
  const params = p.paramsSchema.parse(raw);
  const fetched = p.plan(params, []).map((r) => res(r.resourceType, r.resourceKey, r.url, body));
  const next = p.normalize(params, p.parse(params, fetched));
  return { params, out: p.outputSchema.parse(p.carryOver!(params, previous, next, { fetchedAt: null, previousSeenAt: null, related })) };
}

describe('liverc.event_catalog', () => {
  it('validates params: slug lower-cased, defaults for depth and ingest', () => {
    expect(p.paramsSchema.parse({ track_slug: ' CanberraOffRoad ' })).toEqual({
      track_slug: 'canberraoffroad',
      depth: 'none',
      ingest: 'new_only',
      max_deep_jobs: 20,
    });
    expect(p.paramsSchema.safeParse({ track_slug: 'x', max_deep_jobs: 0 }).success).toBe(false);
    expect(p.paramsSchema.safeParse({ track_slug: 'canberra.offroad' }).success).toBe(false);
    expect(p.paramsSchema.safeParse({ track_slug: 'x', depth: 'laps' }).success).toBe(false);
  });

  it('scope key depends on the track only', () => {
    const a = p.paramsSchema.parse({ track_slug: 'canberraoffroad', depth: 'laps_full', ingest: 'all' });
    const b = p.paramsSchema.parse({ track_slug: 'CanberraOffroad' });
    expect(deriveScopeKey(p.scopeParams, a)).toBe('track_slug=canberraoffroad');
    expect(deriveScopeKey(p.scopeParams, b)).toBe('track_slug=canberraoffroad');
  });

  it('requests the track events page', () => {
    expect(p.plan(p.paramsSchema.parse({ track_slug: 'canberraoffroad' }), [])).toEqual([
      { resourceType: 'event_list', resourceKey: 'canberraoffroad', url: 'https://canberraoffroad.liverc.com/events/' },
    ]);
  });

  it('reads the 100 events of canberraoffroad with ISO dates and numeric counts', () => {
    const { out } = run({ track_slug: 'canberraoffroad' });
    expect(out.track_name).toBe('Canberra Off Road Model Car Club');
    expect(out.event_count).toBe(100);
    const ids = out.events.map((e) => Number(e.source_event_id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(out.events.find((e) => e.source_event_id === '486677')).toEqual({
      source_event_id: '486677',
      name: 'Cormcc 2025 Rudi Wensing Memorial, Clay Cup',
      date: '2025-11-16',
      start_local: '2025-11-16T08:30:00',
      entries: 71,
      drivers: 60,
      url: 'https://canberraoffroad.liverc.com/results/?p=view_event&id=486677',
      ingest_depth: 'none',
      last_ingested_at: null,
    });
    expect(out.events[0]).toMatchObject({
      source_event_id: '265957',
      name: 'Winter Series Round 6',
      date: '2017-09-10',
      entries: 12,
      drivers: 12,
    });
    expect([...p.entities(out)].map(([k]) => k)).toContain('event:484916');
  });

  it('a byte-different page with the same events (asset versions changed) normalizes to the same hash', async () => {
    expect(listingEdited).not.toBe(listing);
    const a = run({ track_slug: 'canberraoffroad' }).out;
    const b = run({ track_slug: 'canberraoffroad' }, listingEdited).out;
    expect(await canonicalHash(b)).toBe(await canonicalHash(a));
  });

  describe('ingest depth and follow-ups', () => {
    const all = run({ track_slug: 'canberraoffroad' }).out;
    // A previous publication without two of the events: those two are new on the next sync.
    const previous: Out = {
      ...all,
      events: all.events.filter((e) => e.source_event_id !== '486677' && e.source_event_id !== '484916'),
      _deep_backlog: [],
    };
    const deep = (id: string, at: number): [string, RelatedPublication] => [
      `track_slug=canberraoffroad&event_id=${id}`,
      { scopeKey: `track_slug=canberraoffroad&event_id=${id}`, publishedAt: at },
    ];
    const follow = (r: ReturnType<typeof run>) =>
      (p.followUps?.(r.params, r.out, { previousEntityKeys: null }) ?? []).map((j) => j.params.event_id);

    it('ingest_depth and last_ingested_at come from the deep publication of the event, nothing else', () => {
      const at = Date.UTC(2025, 10, 17, 9, 30);
      const { out } = run(
        { track_slug: 'canberraoffroad' },
        listing,
        null,
        new Map([
          deep('486677', at),
          ['track_slug=other&event_id=484916', { scopeKey: 'track_slug=other&event_id=484916', publishedAt: at }],
        ]),
      );
      expect(out.events.find((e) => e.source_event_id === '486677')).toMatchObject({
        ingest_depth: 'laps_full',
        last_ingested_at: '2025-11-17T09:30:00.000Z',
      });
      expect(out.events.filter((e) => e.ingest_depth === 'laps_full').map((e) => e.source_event_id)).toEqual(['486677']);
      // hash-relevant: downstream hears when an event got ingested
      expect(Object.keys([...p.entities(out)][0]![1] as object)).toEqual(expect.arrayContaining(['ingest_depth', 'last_ingested_at']));
    });

    it('depth none never enqueues and starts no backlog', () => {
      const r = run({ track_slug: 'canberraoffroad', ingest: 'all' });
      expect(r.out._deep_backlog).toEqual([]);
      expect(follow(r)).toEqual([]);
    });

    it('new_only: only events absent from the previous publication, newest first', () => {
      const r = run({ track_slug: 'canberraoffroad', depth: 'laps_full' }, listing, previous);
      expect(r.out._deep_backlog).toEqual(['486677', '484916']);
      expect(p.followUps?.(r.params, r.out, { previousEntityKeys: null })).toEqual([
        { pipeline: 'liverc.event_deep', params: { track_slug: 'canberraoffroad', event_id: '486677' } },
        { pipeline: 'liverc.event_deep', params: { track_slug: 'canberraoffroad', event_id: '484916' } },
      ]);
    });

    it('a laps_full sync enqueues at most max_deep_jobs (default 20); the rest follow on the next syncs', () => {
      const first = run({ track_slug: 'canberraoffroad', depth: 'laps_full' });
      expect(first.out._deep_backlog).toHaveLength(100);
      const asked1 = follow(first);
      expect(asked1).toHaveLength(20);
      expect(asked1).toEqual(first.out._deep_backlog.slice(0, 20));
      // The 20 get ingested; the next sync (no new event) asks the next 20 of the same backlog.
      const related = new Map(asked1.map((id) => deep(String(id), Date.UTC(2025, 10, 18))));
      const second = run({ track_slug: 'canberraoffroad', depth: 'laps_full' }, listing, first.out, related);
      expect(second.out._deep_backlog).toHaveLength(80);
      const asked2 = follow(second);
      expect(asked2).toEqual(first.out._deep_backlog.slice(20, 40));
      // A depth none sync in between keeps the backlog (asks nothing); a capped sync of 5 asks 5.
      const none = run({ track_slug: 'canberraoffroad' }, listing, second.out, related);
      expect(none.out._deep_backlog).toEqual(second.out._deep_backlog);
      expect(follow(none)).toEqual([]);
      expect(follow(run({ track_slug: 'canberraoffroad', depth: 'laps_full', max_deep_jobs: 5 }, listing, none.out, related))).toEqual(
        asked2.slice(0, 5),
      );
    });

    it('all: every event not yet ingested, whatever was published before', () => {
      const r = run(
        { track_slug: 'canberraoffroad', depth: 'laps_full', ingest: 'all', max_deep_jobs: 500 },
        listing,
        previous,
        new Map([deep('486677', 1)]),
      );
      const ids = follow(r);
      expect(ids).toHaveLength(99);
      expect(ids).not.toContain('486677');
    });

    it('the backlog stays out of the hash', async () => {
      const a = run({ track_slug: 'canberraoffroad', depth: 'laps_full' }).out;
      const b = run({ track_slug: 'canberraoffroad' }).out;
      expect(a._deep_backlog).not.toEqual(b._deep_backlog);
      expect(await canonicalHash(a)).toBe(await canonicalHash(b));
    });
  });

  it('a page without table#events is drift', () => {
    expect(() => run({ track_slug: 'x' }, '<html><body>maintenance</body></html>')).toThrowError(
      expect.objectContaining({ code: 'EVENTS_TABLE_MISSING', category: 'parse' }),
    );
  });
});
