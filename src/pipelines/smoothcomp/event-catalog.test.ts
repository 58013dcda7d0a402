import { describe, expect, it } from 'vitest';
import { canonicalHash } from '../../core/canonical-json';
import page1 from '../../../testdata/smoothcomp/events/upcoming-page-1.handmade.html?raw';
import page1Twin from '../../../testdata/smoothcomp/events/upcoming-page-1.reformatted.handmade.html?raw';
import page2 from '../../../testdata/smoothcomp/events/upcoming-page-2.handmade.html?raw';
import past from '../../../testdata/smoothcomp/events/past-page-1.handmade.html?raw';
import filtered from '../../../testdata/smoothcomp/events/upcoming-us-grappling.handmade.html?raw';
import empty from '../../../testdata/smoothcomp/events/empty.handmade.html?raw';
import adcc from '../../../testdata/smoothcomp/events/adcc-upcoming.handmade.html?raw';
import fed1 from '../../../testdata/smoothcomp/events/federation-176-upcoming-page-1.handmade.html?raw';
import fedOverflow from '../../../testdata/smoothcomp/events/federation-176-upcoming-page-2.handmade.html?raw';
import fedPast from '../../../testdata/smoothcomp/events/federation-176-past-page-1.handmade.html?raw';
import challenge from '../../../testdata/smoothcomp/challenge/just-a-moment.handmade.html?raw';
import { parseListingPage } from './event-catalog-parse';
import { SMOOTHCOMP_PIPELINES } from './index';
import { entityKeys, fx, replay, run } from './test-helpers';
import type { EventCatalogOutput } from './event-catalog';

const catalog = SMOOTHCOMP_PIPELINES.find((p) => p.name === 'smoothcomp.event_catalog')!;
const SITE = {
  'https://smoothcomp.com/en/events/upcoming': page1,
  'https://smoothcomp.com/en/events/upcoming?page=2': page2,
  'https://smoothcomp.com/en/events/past': past,
};

describe('listing page parser', () => {
  it('reads var events, the JSON-LD ItemList and the pagination', () => {
    const pg = parseListingPage(fx('events_listing', 'upcoming:1', 'https://smoothcomp.com/en/events/upcoming', page1));
    expect(pg.events.map((e) => e.id)).toEqual([30665, 31002, 31120]);
    expect(pg.jsonLdUrls).toContain('https://smoothcomp.com/en/event/31200');
    expect(pg.hasNext).toBe(true);
    expect(parseListingPage(fx('events_listing', 'upcoming:2', 'u', page2)).hasNext).toBe(false);
  });
  it('accepts an empty listing as empty, but refuses a challenge page', () => {
    expect(parseListingPage(fx('events_listing', 'past:1', 'u', empty)).events).toEqual([]);
    expect(() => parseListingPage(fx('events_listing', 'upcoming:1', 'u', challenge, 403))).toThrow(/challenge/);
    expect(() => parseListingPage(fx('events_listing', 'upcoming:1', 'u', '<html><body>new layout</body></html>'))).toThrow(/neither/);
  });
});

describe('smoothcomp.event_catalog', () => {
  it('follows rel=next through multi-round plan and stops when done', async () => {
    const { rounds } = await replay(catalog, {}, SITE);
    expect(rounds.map((r) => r.map((q) => q.url))).toEqual([
      ['https://smoothcomp.com/en/events/upcoming', 'https://smoothcomp.com/en/events/past'],
      ['https://smoothcomp.com/en/events/upcoming?page=2'],
    ]);
  });
  it('caps pages with max_pages', async () => {
    const { rounds } = await replay(catalog, { max_pages: 1 }, SITE);
    expect(rounds).toHaveLength(1);
  });
  it('puts country and category-group filters and the host into the URLs', () => {
    const [up, pastReq] = catalog.plan(catalog.paramsSchema.parse({ country: 'us', event_type: 'grappling' }), []);
    expect(up!.url).toBe('https://smoothcomp.com/en/events/upcoming?countries=US&cg=1,3,4,7,24');
    expect(pastReq!.url).toBe('https://smoothcomp.com/en/events/past?countries=US&cg=1,3,4,7,24');
    const [sub] = catalog.plan(catalog.paramsSchema.parse({ host: 'adcc.smoothcomp.com', event_type: '7,1' }), []);
    expect(sub!.url).toBe('https://adcc.smoothcomp.com/en/events/upcoming?cg=1,7');
    expect(catalog.paramsSchema.safeParse({ host: 'ajptour.com' }).success).toBe(false);
    expect(catalog.paramsSchema.safeParse({ event_type: 'curling' }).success).toBe(false);
  });
  it('normalizes events: dedupe across pages, quirks, host from the URL', async () => {
    const out = run<EventCatalogOutput>(catalog, {}, (await replay(catalog, {}, SITE)).fetched);
    expect(out.events.map((e) => e.event_id)).toEqual(['12692', '14675', '30665', '31002', '31120', '31200', '31250']);
    const e31120 = out.events.find((e) => e.event_id === '31120')!;
    expect(e31120.location).toEqual({ country_code: 'US', country_name: 'United States', city: 'Atlanta', lat: null, lng: null });
    expect(e31120.host).toBe('naga.smoothcomp.com');
    expect(e31120.category_group_ids).toEqual([1, 3, 7]);
    expect(out.events.find((e) => e.event_id === '31002')!.title).toBe('Campeonato Paulista de Jiu-Jitsu São Paulo');
    expect(out.events.find((e) => e.event_id === '12692')!.location.country_code).toBe('GB-ENG');
    expect(out.events.find((e) => e.event_id === '14675')).toMatchObject({
      ended: true,
      listing: 'past',
      start_date: '2024-03-30',
      end_date: '2024-03-31',
    });
    expect(out.events.find((e) => e.event_id === '31200')!.source).toBe('inline');
    expect(entityKeys(catalog, out)).toContain('event:30665');
  });
  it('keeps a JSON-LD-only URL as a partial event when the page cap hides its record', async () => {
    const out = run<EventCatalogOutput>(catalog, { max_pages: 1 }, (await replay(catalog, { max_pages: 1 }, SITE)).fetched);
    expect(out.events.find((e) => e.event_id === '31200')).toMatchObject({ source: 'json_ld', title: null, host: 'smoothcomp.com' });
    expect(out.listings.find((l) => l.listing === 'upcoming')!.has_more).toBe(true);
  });
  it('filtered, empty and subdomain listings', () => {
    const f = run<EventCatalogOutput>(catalog, { country: 'US', event_type: 'grappling' }, [
      fx('events_listing', 'upcoming:1', 'u', filtered),
      fx('events_listing', 'past:1', 'u', empty),
    ]);
    expect(f.events.map((e) => e.location.country_code)).toEqual(['US', 'US']);
    expect(f.filters).toEqual({ country: 'US', category_group_ids: [1, 3, 4, 7, 24], federation_id: null });
    const s = run<EventCatalogOutput>(catalog, { host: 'adcc.smoothcomp.com' }, [
      fx('events_listing', 'upcoming:1', 'u', adcc),
      fx('events_listing', 'past:1', 'u', empty),
    ]);
    expect(s.host).toBe('adcc.smoothcomp.com');
    expect(s.events.map((e) => [e.event_id, e.host])).toEqual([['30665', 'adcc.smoothcomp.com']]);
  });
  it('hashes a byte-different, same-meaning page identically', async () => {
    expect(page1Twin).not.toBe(page1);
    const a = run(catalog, {}, [fx('events_listing', 'upcoming:1', 'u', page1), fx('events_listing', 'past:1', 'u', past)]);
    const b = run(catalog, {}, [fx('events_listing', 'upcoming:1', 'u', page1Twin), fx('events_listing', 'past:1', 'u', past)]);
    expect(await canonicalHash(a)).toBe(await canonicalHash(b));
    const c = run(catalog, {}, [fx('events_listing', 'upcoming:1', 'u', filtered), fx('events_listing', 'past:1', 'u', past)]);
    expect(await canonicalHash(c)).not.toBe(await canonicalHash(a));
  });
});

describe('smoothcomp.event_catalog federation scope', () => {
  const F = 'https://adcc.smoothcomp.com/en/federation/176/events';
  const pages = { [`${F}/upcoming`]: fed1, [`${F}/upcoming?page=2`]: fedOverflow, [`${F}/past`]: fedPast };
  const params = { federation_id: '176', host: 'adcc.smoothcomp.com' };
  it('plans the federation listings on the organizer host and follows rel=next into an overflow page', async () => {
    const { rounds, fetched } = await replay(catalog, params, pages);
    expect(rounds.map((r) => r.map((q) => q.url))).toEqual([[`${F}/upcoming`, `${F}/past`], [`${F}/upcoming?page=2`]]);
    const out = run<EventCatalogOutput>(catalog, params, fetched);
    expect(out.filters).toEqual({ country: null, category_group_ids: [], federation_id: '176' });
    expect(out.listings).toEqual([
      { listing: 'upcoming', pages_fetched: 2, has_more: false, overflow: true },
      { listing: 'past', pages_fetched: 1, has_more: false, overflow: false },
    ]);
    expect(out.events.map((e) => [e.event_id, e.listing, e.federation_event_category_id, e.federation_event_season_id])).toEqual([
      ['32001', 'upcoming', '12', '41'],
      ['32002', 'upcoming', '12', '41'],
      ['32003', 'past', '13', '41'],
    ]);
    expect(out.events[2]!.location.city).toBe('Poznań');
  });
  it('the overflow page is an end, not a page mismatch; a federation is its own scope', () => {
    expect(parseListingPage(fx('events_listing', 'upcoming:2', `${F}/upcoming?page=2`, fedOverflow))).toMatchObject({
      overflow: true,
      hasNext: false,
      events: [],
    });
    expect(parseListingPage(fx('events_listing', 'upcoming:1', `${F}/upcoming`, fed1)).overflow).toBe(false);
    expect(() => catalog.paramsSchema.parse({ federation_id: 'adcc' })).toThrow();
  });
});
