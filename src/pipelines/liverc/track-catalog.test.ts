import { describe, expect, it } from 'vitest';
import { deriveScopeKey } from '../../core/scope-key';
import catalogue from '../../../testdata/liverc/Track.catalogue.page.html?raw';
import { LIVERC_DEFAULT_SCHEDULES, LIVERC_PIPELINES } from './index';
import { res } from './test-fixtures';
import { trackCatalogPipeline as p } from './track-catalog';

function run(body = catalogue, fetchedAt?: number) {
  const params = p.paramsSchema.parse({});
  const plan = p.plan(params, []);
  const fetched = plan.map((r) => ({ ...res(r.resourceType, r.resourceKey, r.url, body), ...(fetchedAt === undefined ? {} : { fetchedAt }) }));
  return p.outputSchema.parse(p.normalize(params, p.parse(params, fetched)));
}

describe('liverc.track_catalog', () => {
  it('plans one request for the global list and nothing after it', () => {
    const plan = p.plan({}, []);
    expect(plan).toEqual([{ resourceType: 'track_catalog', resourceKey: 'all', url: 'https://live.liverc.com/' }]);
    expect(p.plan({}, [res('track_catalog', 'all', 'https://live.liverc.com/', '')])).toEqual([]);
    expect(deriveScopeKey(p.scopeParams, {})).toBe('all');
  });

  it('reads every track row of the real 630 KB page, sorted by slug', () => {
    const out = run();
    expect(out.track_count).toBe(1090);
    expect(out.tracks).toHaveLength(1090);
    expect(out._skipped_rows).toBe(0);
    const slugs = out.tracks.map((t) => t.slug);
    expect([...slugs].sort()).toEqual(slugs);
    expect(new Set(slugs).size).toBe(1090);
  });

  it('gives slug, name, track and events URLs and the listed activity of known tracks', () => {
    const bySlug = new Map(run().tracks.map((t) => [t.slug, t]));
    expect(bySlug.get('canberraoffroad')).toEqual({
      slug: 'canberraoffroad',
      name: 'Canberra Off Road Model Car Club',
      track_url: 'https://canberraoffroad.liverc.com/',
      events_url: 'https://canberraoffroad.liverc.com/events/',
      _activity: expect.objectContaining({ current_event: 'Cormcc 2025 Rudi Wensing Memorial, Clay Cup', live_video: false }),
    });
    const raceplace = bySlug.get('raceplacerc');
    expect(raceplace?.name).toBe('Race Place RC');
    expect(raceplace?._activity).toEqual({
      status: 'racing', live_video: true, featured: false, last_updated_text: '1 minute ago', current_event: 'Winter Race Series #1',
      liverc_track_last_updated: null, last_updated_precision: null, // no fetch time in a hand-built set
    });
    expect(bySlug.get('tracktimehobbies')?._activity.featured).toBe(true);
    expect(bySlug.get('tracktimehobbies')?.name).toBe('Finishline RC Bakersfield');
    // The page links //FastandFunToyandHobby.liverc.com/: slugs are lower-cased.
    expect(bySlug.has('fastandfuntoyandhobby')).toBe(true);
    expect(bySlug.get('bayrc')?.name).toBe('BBRCC Off-Road');
  });

  it('turns the relative "Last Updated" text into an absolute time against the fetch time', () => {
    const at = Date.UTC(2025, 10, 20, 12, 0, 0);
    const out = run(catalogue, at);
    expect(out.tracks.find((t) => t.slug === 'raceplacerc')?._activity).toMatchObject({ liverc_track_last_updated: '2025-11-20T11:59:00.000Z', last_updated_precision: 'minute' });
    const texts = new Map(out.tracks.map((t) => [t._activity.last_updated_text, t._activity]));
    expect(texts.get('Yesterday')).toMatchObject({ liverc_track_last_updated: '2025-11-19T12:00:00.000Z', last_updated_precision: 'day' });
    expect(texts.get('last month')).toMatchObject({ liverc_track_last_updated: '2025-10-20T12:00:00.000Z', last_updated_precision: 'month' });
    expect(texts.get('3 hours ago')?.liverc_track_last_updated).toBe('2025-11-20T09:00:00.000Z');
    // every text on the real page is understood
    expect(out.tracks.filter((t) => t._activity.last_updated_text !== null && t._activity.liverc_track_last_updated === null)).toEqual([]);
    // a later fetch moves every time but no hash-relevant field
    const later = run(catalogue, at + 3_600_000);
    const plain = (o: typeof out) => [...p.entities(o)].map(([k, v]) => [k, Object.fromEntries(Object.entries(v as object).filter(([f]) => !f.startsWith('_')))]);
    expect(plain(later)).toEqual(plain(out));
  });

  it('keeps fetch-relative activity out of the hash-relevant fields', () => {
    const out = run();
    const [key, value] = [...p.entities(out)].find(([k]) => k === 'track:trc') ?? [];
    expect(key).toBe('track:trc');
    expect(Object.keys(value as object).filter((k) => !k.startsWith('_')).sort()).toEqual(['events_url', 'name', 'slug', 'track_url']);
  });

  it('treats a page without table.track_list as drift', () => {
    expect(() => run('<html><body><table class="events"></table></body></html>')).toThrowError(expect.objectContaining({ code: 'TRACK_LIST_MISSING', category: 'parse', retryable: false }));
  });

  it('exports the three pipelines and a daily catalogue schedule', () => {
    expect(LIVERC_PIPELINES.map((x) => x.name)).toEqual(['liverc.track_catalog', 'liverc.event_catalog', 'liverc.event_deep']);
    expect(LIVERC_DEFAULT_SCHEDULES).toEqual([{ id: 'liverc.track_catalog.daily', pipeline: 'liverc.track_catalog', params: {}, cron: '17 4 * * *' }]);
  });
});
