/**
 * `<prefix>.event_catalog`: upcoming and past events from the listing pages, paginated by repeated `plan` rounds.
 * With `federation_id` the scope is one federation's listings (`/{loc}/federation/{id}/events/{upcoming,past}` on the
 * organizer's host, dossier §2 [CAP]): the same inline `var events` data and Laravel pagination.
 */
import { z } from 'zod';
import { definePipeline, type FetchedResource, type ResourceRequest } from '../../core/pipeline';
import { CATEGORY_GROUP_NAMES, EVENT_TYPE_PATTERN, categoryGroupIds } from './category-groups';
import { eventIdFromUrl, parseListingPage, type ListingPage } from './event-catalog-parse';
import { hostOf, hostSchema, numericId, resolveHost, siteUrl, type SiteVariant } from './shared/site';
import { byKey, coord, countryCode, id, isoDate, str, bool, int } from './shared/values';

export const DEFAULT_MAX_PAGES = 5;
const LISTINGS = ['upcoming', 'past'] as const;

const eventSchema = z.object({
  event_id: z.string(),
  title: z.string().nullable(),
  url: z.string().nullable(),
  host: z.string().nullable(),
  listing: z.enum(LISTINGS),
  start_date: z.string().nullable(),
  end_date: z.string().nullable(),
  ended: z.boolean().nullable(),
  location: z.object({
    country_code: z.string().nullable(),
    country_name: z.string().nullable(),
    city: z.string().nullable(),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
  }),
  category_group_ids: z.array(z.number()),
  categories: z.array(z.string()),
  cover_image: z.string().nullable(),
  federation_event_category_id: z.string().nullable(),
  /** Only on federation listings. */
  federation_event_season_id: z.string().nullable(),
  /** `inline` = full record from `var events`; `json_ld` = only a URL in the JSON-LD list (partial). */
  source: z.enum(['inline', 'json_ld']),
  _period_text: z.string().nullable().optional(),
  _days_to_start: z.number().nullable().optional(),
});

export const eventCatalogOutput = z.object({
  host: z.string(),
  filters: z.object({ country: z.string().nullable(), category_group_ids: z.array(z.number()), federation_id: z.string().nullable() }),
  /** `overflow`: the last page asked was past the end (the listing shrank between pages); Laravel answers it empty. */
  listings: z.array(z.object({ listing: z.enum(LISTINGS), pages_fetched: z.number(), has_more: z.boolean(), overflow: z.boolean() })),
  events: z.array(eventSchema),
});
export type EventCatalogOutput = z.infer<typeof eventCatalogOutput>;
type CatalogEvent = z.infer<typeof eventSchema>;

export function makeEventCatalog(site: SiteVariant) {
  const params = z.object({
    country: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z]{2,3})?$/)
      .optional(),
    event_type: z.string().max(100).regex(EVENT_TYPE_PATTERN).optional(),
    host: hostSchema(site).optional(),
    /** A federation's own listings (ADCC is 176 on adcc.smoothcomp.com). */
    federation_id: numericId.optional(),
    /** Page cap per listing (not part of the scope). */
    max_pages: z.number().int().min(1).max(50).optional(),
  });
  type Params = z.infer<typeof params>;

  const listingUrl = (p: Params, listing: string, page: number) =>
    siteUrl(
      resolveHost(site, p.host),
      `${p.federation_id === undefined ? '' : `/federation/${String(p.federation_id)}`}/events/${listing}`,
      {
        countries: p.country?.toUpperCase(),
        cg: categoryGroupIds(p.event_type).join(',') || undefined,
        page: page > 1 ? page : undefined,
      },
    );

  return definePipeline<Params, ListingPage[], EventCatalogOutput>({
    name: `${site.prefix}.event_catalog`,
    provider: site.provider,
    description:
      'Upcoming and past events from the listing pages (inline `var events` + JSON-LD), filterable by country and category group.',
    paramsSchema: params,
    scopeParams: ['country', 'event_type', 'host', 'federation_id'],
    parserVersion: 'smoothcomp.event_catalog.parse/1',
    normalizerVersion: 'smoothcomp.event_catalog.norm/2',
    outputSchema: eventCatalogOutput,
    maxRounds: 51,
    schedulable: true, // a listing sync, like LiveRC's track catalogue
    plan(p, fetched) {
      const cap = p.max_pages ?? DEFAULT_MAX_PAGES;
      if (fetched.length === 0) {
        return LISTINGS.map((l) => ({ resourceType: 'events_listing', resourceKey: `${l}:1`, url: listingUrl(p, l, 1) }));
      }
      const next: ResourceRequest[] = [];
      for (const l of LISTINGS) {
        const last = lastPage(fetched, l);
        if (!last || last.page >= cap || last.res.status !== 200) continue;
        let more = false;
        try {
          more = parseListingPage(last.res).hasNext;
        } catch {
          more = false; // parse will report the block or drift
        }
        if (more) next.push({ resourceType: 'events_listing', resourceKey: `${l}:${last.page + 1}`, url: listingUrl(p, l, last.page + 1) });
      }
      return next;
    },
    parse(_p, fetched) {
      return fetched
        .filter((r) => r.resourceType === 'events_listing')
        .map(parseListingPage)
        .sort((a, b) => (a.listing === b.listing ? a.page - b.page : a.listing === 'upcoming' ? -1 : 1));
    },
    normalize(p, pages) {
      const events = new Map<string, CatalogEvent>();
      for (const pg of pages) {
        for (const raw of pg.events) {
          const e = normalizeEvent(raw, pg.listing);
          if (e && !events.has(e.event_id)) events.set(e.event_id, e);
        }
      }
      // JSON-LD-only URLs after every inline record, so a record shown on a later page wins over a bare URL.
      for (const pg of pages) {
        for (const url of pg.jsonLdUrls) {
          const eid = eventIdFromUrl(url);
          if (eid && !events.has(eid)) events.set(eid, partialEvent(eid, url, pg.listing));
        }
      }
      return {
        host: resolveHost(site, p.host),
        filters: {
          country: p.country?.toUpperCase() ?? null,
          category_group_ids: categoryGroupIds(p.event_type),
          federation_id: p.federation_id === undefined ? null : String(p.federation_id),
        },
        listings: LISTINGS.map((l) => {
          const mine = pages.filter((pg) => pg.listing === l);
          const last = mine[mine.length - 1];
          return { listing: l, pages_fetched: mine.length, has_more: !!last?.hasNext, overflow: !!last?.overflow };
        }),
        events: [...events.values()].sort(byKey((e) => e.event_id)),
      };
    },
    entities: (out) => out.events.map((e) => [`event:${e.event_id}`, e] as const),
  });
}

function lastPage(fetched: readonly FetchedResource[], listing: string) {
  let best: { page: number; res: FetchedResource } | null = null;
  for (const r of fetched) {
    if (r.resourceType !== 'events_listing' || !r.resourceKey.startsWith(`${listing}:`)) continue;
    const page = Number(r.resourceKey.split(':')[1]);
    if (!best || page > best.page) best = { page, res: r };
  }
  return best;
}

function normalizeEvent(raw: Record<string, unknown>, listing: 'upcoming' | 'past'): CatalogEvent | null {
  const eid = id(raw.id) ?? (typeof raw.url === 'string' ? eventIdFromUrl(raw.url) : null);
  if (!eid) return null;
  const url = str(raw.url);
  const groups = (Array.isArray(raw.categoryGroups) ? raw.categoryGroups : []).map((g) => int(g)).filter((g): g is number => g !== null);
  const groupIds = [...new Set(groups)].sort((a, b) => a - b);
  return {
    event_id: eid,
    title: str(raw.title),
    url,
    host: hostOf(url),
    listing,
    start_date: isoDate(raw.startdate),
    end_date: isoDate(raw.enddate),
    ended: bool(raw.eventEnded),
    location: {
      country_code: countryCode(raw.location_country),
      country_name: str(raw.location_country_human),
      city: str(raw.location_city),
      lat: coord(raw.location_lat),
      lng: coord(raw.location_long),
    },
    category_group_ids: groupIds,
    categories: [...new Set(groupIds.map((g) => CATEGORY_GROUP_NAMES[g] ?? `group ${g}`))].sort(),
    cover_image: str(raw.cover_image),
    federation_event_category_id: id(raw.federation_event_category_id),
    federation_event_season_id: id(raw.federation_event_season_id),
    source: 'inline',
    _period_text: str(raw.eventPeriod),
    _days_to_start: int(raw.days_to_start),
  };
}

function partialEvent(eid: string, url: string, listing: 'upcoming' | 'past'): CatalogEvent {
  return {
    event_id: eid,
    title: null,
    url,
    host: hostOf(url),
    listing,
    start_date: null,
    end_date: null,
    ended: null,
    location: { country_code: null, country_name: null, city: null, lat: null, lng: null },
    category_group_ids: [],
    categories: [],
    cover_image: null,
    federation_event_category_id: null,
    federation_event_season_id: null,
    source: 'json_ld',
  };
}
