import { describe, expect, it } from 'vitest';
import { canonicalHash } from '../../core/canonical-json';
import { deriveScopeKey } from '../../core/scope-key';
import listing from '../../../testdata/liverc/Track.events.listing.page.html?raw';
import listingEdited from '../../../testdata/liverc/edited/Track.events.listing.asset-versions.edited.html?raw';
import { eventCatalogPipeline as p } from './event-catalog';
import { res } from './test-fixtures';

function run(raw: Record<string, unknown>, body = listing) {
  const params = p.paramsSchema.parse(raw);
  const fetched = p.plan(params, []).map((r) => res(r.resourceType, r.resourceKey, r.url, body));
  return { params, out: p.outputSchema.parse(p.normalize(params, p.parse(params, fetched))) };
}

describe('liverc.event_catalog', () => {
  it('validates params: slug lower-cased, defaults for depth and ingest', () => {
    expect(p.paramsSchema.parse({ track_slug: ' CanberraOffRoad ' })).toEqual({ track_slug: 'canberraoffroad', depth: 'none', ingest: 'new_only' });
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
    });
    expect(out.events[0]).toMatchObject({ source_event_id: '265957', name: 'Winter Series Round 6', date: '2017-09-10', entries: 12, drivers: 12 });
    expect([...p.entities(out)].map(([k]) => k)).toContain('event:484916');
  });

  it('a byte-different page with the same events (asset versions changed) normalizes to the same hash', async () => {
    expect(listingEdited).not.toBe(listing);
    const a = run({ track_slug: 'canberraoffroad' }).out;
    const b = run({ track_slug: 'canberraoffroad' }, listingEdited).out;
    expect(await canonicalHash(b)).toBe(await canonicalHash(a));
  });

  describe('followUps', () => {
    const base = run({ track_slug: 'canberraoffroad', depth: 'laps_full' });
    const previous = new Set(base.out.events.filter((e) => e.source_event_id !== '486677' && e.source_event_id !== '484916').map((e) => `event:${e.source_event_id}`));

    it('depth none never enqueues', () => {
      const { params, out } = run({ track_slug: 'canberraoffroad', ingest: 'all' });
      expect(p.followUps?.(params, out, { previousEntityKeys: null })).toEqual([]);
    });

    it('new_only: only events absent from the previous publication', () => {
      const jobs = p.followUps?.(base.params, base.out, { previousEntityKeys: previous }) ?? [];
      expect(jobs).toEqual([
        { pipeline: 'liverc.event_deep', params: { track_slug: 'canberraoffroad', event_id: '484916' } },
        { pipeline: 'liverc.event_deep', params: { track_slug: 'canberraoffroad', event_id: '486677' } },
      ]);
    });

    it('new_only on a first publication: every event is new', () => {
      expect(p.followUps?.(base.params, base.out, { previousEntityKeys: null })).toHaveLength(100);
    });

    it('all: every event, whatever was published before', () => {
      const { params, out } = run({ track_slug: 'canberraoffroad', depth: 'laps_full', ingest: 'all' });
      const jobs = p.followUps?.(params, out, { previousEntityKeys: previous }) ?? [];
      expect(jobs).toHaveLength(100);
      expect(jobs.every((j) => j.pipeline === 'liverc.event_deep' && j.params.track_slug === 'canberraoffroad')).toBe(true);
    });
  });

  it('a page without table#events is drift', () => {
    expect(() => run({ track_slug: 'x' }, '<html><body>maintenance</body></html>')).toThrowError(expect.objectContaining({ code: 'EVENTS_TABLE_MISSING', category: 'parse' }));
  });
});
