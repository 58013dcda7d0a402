import { describe, expect, it } from 'vitest';
import { deriveScopeKey } from '../../core/scope-key';
import catalogue from '../../../testdata/liverc/Track.catalogue.page.html?raw';
import { LIVERC_DEFAULT_SCHEDULES, LIVERC_PIPELINES } from './index';
import { res } from './test-fixtures';
import { trackCatalogPipeline as p } from './track-catalog';

type Out = ReturnType<typeof p.normalize>;

/** parse -> normalize -> carryOver, as the runtime runs it (no previous publication unless given). */
function run(body = catalogue, fetchedAt?: number, previous: Out | null = null, previousSeenAt: number | null = null) {
  const params = p.paramsSchema.parse({});
  const plan = p.plan(params, []);
  const fetched = plan.map((r) => ({
    ...res(r.resourceType, r.resourceKey, r.url, body),
    ...(fetchedAt === undefined ? {} : { fetchedAt }),
  }));
  const next = p.normalize(params, p.parse(params, fetched));
  return p.outputSchema.parse(p.carryOver!(params, previous, next, { fetchedAt: fetchedAt ?? null, previousSeenAt, related: new Map() }));
}

/** The real page without the canberraoffroad row (a track the list stopped showing). */
const withoutCanberra = catalogue.replace(
  /<tr class="clickable-row" data-href="\/\/canberraoffroad\.liverc\.com\/results\/">[\s\S]*?<\/tr>/,
  '',
);

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
      is_active: true,
      _activity: expect.objectContaining({ current_event: 'Cormcc 2025 Rudi Wensing Memorial, Clay Cup', live_video: false }),
    });
    const raceplace = bySlug.get('raceplacerc');
    expect(raceplace?.name).toBe('Race Place RC');
    expect(raceplace?._activity).toEqual({
      status: 'racing',
      live_video: true,
      featured: false,
      last_updated_text: '1 minute ago',
      current_event: 'Winter Race Series #1',
      liverc_track_last_updated: null,
      last_updated_precision: null,
      last_seen_at: null, // no fetch time in a hand-built set
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
    expect(out.tracks.find((t) => t.slug === 'raceplacerc')?._activity).toMatchObject({
      liverc_track_last_updated: '2025-11-20T11:59:00.000Z',
      last_updated_precision: 'minute',
    });
    const texts = new Map(out.tracks.map((t) => [t._activity.last_updated_text, t._activity]));
    expect(texts.get('Yesterday')).toMatchObject({ liverc_track_last_updated: '2025-11-19T12:00:00.000Z', last_updated_precision: 'day' });
    expect(texts.get('last month')).toMatchObject({
      liverc_track_last_updated: '2025-10-20T12:00:00.000Z',
      last_updated_precision: 'month',
    });
    expect(texts.get('3 hours ago')?.liverc_track_last_updated).toBe('2025-11-20T09:00:00.000Z');
    // every text on the real page is understood
    expect(out.tracks.filter((t) => t._activity.last_updated_text !== null && t._activity.liverc_track_last_updated === null)).toEqual([]);
    // a later fetch moves every time but no hash-relevant field
    const later = run(catalogue, at + 3_600_000);
    const plain = (o: typeof out) =>
      [...p.entities(o)].map(([k, v]) => [k, Object.fromEntries(Object.entries(v as object).filter(([f]) => !f.startsWith('_')))]);
    expect(plain(later)).toEqual(plain(out));
  });

  it('keeps fetch-relative activity out of the hash-relevant fields', () => {
    const out = run();
    const [key, value] = [...p.entities(out)].find(([k]) => k === 'track:trc') ?? [];
    expect(key).toBe('track:trc');
    expect(
      Object.keys(value as object)
        .filter((k) => !k.startsWith('_'))
        .sort(),
    ).toEqual(['events_url', 'is_active', 'name', 'slug', 'track_url']);
  });

  it('keeps a track the list stopped showing as inactive with its last sighting, and reactivates it', () => {
    const t1 = Date.UTC(2025, 10, 20, 4, 17);
    const t2 = t1 + 86_400_000; // an unchanged re-sync the next day confirmed the list
    const t3 = t2 + 86_400_000;
    const first = run(catalogue, t1);
    expect(first.tracks.every((t) => t.is_active && t._activity.last_seen_at === '2025-11-20T04:17:00.000Z')).toBe(true);
    expect(withoutCanberra.length).toBeLessThan(catalogue.length);
    const gone = run(withoutCanberra, t3, first, t2);
    expect(gone.tracks).toHaveLength(1090);
    expect(gone).toMatchObject({ track_count: 1089, inactive_track_count: 1 });
    const canberra = gone.tracks.find((t) => t.slug === 'canberraoffroad')!;
    expect(canberra).toMatchObject({ name: 'Canberra Off Road Model Car Club', is_active: false });
    expect(canberra._activity.last_seen_at).toBe('2025-11-21T04:17:00.000Z');
    expect(gone.tracks.find((t) => t.slug === 'raceplacerc')?._activity.last_seen_at).toBe('2025-11-22T04:17:00.000Z');
    // the entity changes (downstream hears is_active: false); it is not removed
    const entity = new Map([...p.entities(gone)]).get('track:canberraoffroad') as { is_active: boolean };
    expect(entity.is_active).toBe(false);
    // still missing a day later: the last sighting is kept, not moved
    const still = run(withoutCanberra, t3 + 86_400_000, gone, t3);
    expect(still.tracks.find((t) => t.slug === 'canberraoffroad')?._activity.last_seen_at).toBe('2025-11-21T04:17:00.000Z');
    // back on the list: active again, nothing inactive left
    const back = run(catalogue, t3 + 2 * 86_400_000, still, t3 + 86_400_000);
    expect(back).toMatchObject({ track_count: 1090, inactive_track_count: 0 });
    expect(back.tracks.find((t) => t.slug === 'canberraoffroad')?.is_active).toBe(true);
  });

  it('leaves a list that lost most tracks to the drift guard instead of carrying them', () => {
    const first = run(catalogue, 1);
    const tiny = catalogue.replace(/(<tbody\b[^>]*>)[\s\S]*?(<tr class="clickable-row" data-href="\/\/canberraoffroad)/, '$1$2');
    const shrunk = run(tiny, 2, first, 1);
    expect(shrunk.tracks.length).toBeLessThan(545);
    expect(shrunk.inactive_track_count).toBe(0);
    expect(shrunk.tracks.every((t) => t.is_active)).toBe(true);
  });

  it('treats a page without table.track_list as drift', () => {
    expect(() => run('<html><body><table class="events"></table></body></html>')).toThrowError(
      expect.objectContaining({ code: 'TRACK_LIST_MISSING', category: 'parse', retryable: false }),
    );
  });

  it('exports the three pipelines and a daily catalogue schedule', () => {
    expect(LIVERC_PIPELINES.map((x) => x.name)).toEqual(['liverc.track_catalog', 'liverc.event_catalog', 'liverc.event_deep']);
    expect(LIVERC_DEFAULT_SCHEDULES).toEqual([
      { id: 'liverc.track_catalog.daily', pipeline: 'liverc.track_catalog', params: {}, cron: '17 4 * * *' },
    ]);
  });
});
