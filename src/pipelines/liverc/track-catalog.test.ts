import { describe, expect, it } from 'vitest';
import { deriveScopeKey } from '../../core/scope-key';
import catalogue from '../../../testdata/liverc/Track.catalogue.page.html?raw';
import { LIVERC_DEFAULT_SCHEDULES, LIVERC_PIPELINES } from './index';
import { res } from './test-fixtures';
import { trackCatalogPipeline as p } from './track-catalog';

function run(body = catalogue) {
  const params = p.paramsSchema.parse({});
  const plan = p.plan(params, []);
  const fetched = plan.map((r) => res(r.resourceType, r.resourceKey, r.url, body));
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
    expect(raceplace?._activity).toEqual({ status: 'racing', live_video: true, featured: false, last_updated_text: '1 minute ago', current_event: 'Winter Race Series #1' });
    expect(bySlug.get('tracktimehobbies')?._activity.featured).toBe(true);
    expect(bySlug.get('tracktimehobbies')?.name).toBe('Finishline RC Bakersfield');
    // The page links //FastandFunToyandHobby.liverc.com/: slugs are lower-cased.
    expect(bySlug.has('fastandfuntoyandhobby')).toBe(true);
    expect(bySlug.get('bayrc')?.name).toBe('BBRCC Off-Road');
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
