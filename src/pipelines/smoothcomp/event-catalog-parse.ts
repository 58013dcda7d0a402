/**
 * Listing pages (`/en/events/upcoming|past`). The server HTML has no event cards (Vue renders them); the data is
 * the inline `var events = [...]` and a JSON-LD ItemList of URLs (dossier §2 [CAP ZC page_source.html]).
 */
import type { FetchedResource } from '../../core/pipeline';
import { parseError } from '../../core/errors';
import { refuseBlocked } from './shared/block';
import { activePage, extractVar, hasNextPage, jsonLdBlocks } from './shared/extract';
import { obj } from './shared/values';

export interface ListingPage {
  listing: 'upcoming' | 'past';
  page: number;
  hasNext: boolean;
  /** Elements of `var events`, untouched. */
  events: Record<string, unknown>[];
  /** URLs of the JSON-LD ItemList(s). */
  jsonLdUrls: string[];
  inlineData: boolean;
  /**
   * Page past the end: Laravel answers `?page=N` beyond the last page with 200, no events and a pagination bar
   * without an active page (the listing shrank between two requests). An end of the listing, not drift.
   */
  overflow: boolean;
}

export function parseListingPage(res: FetchedResource): ListingPage {
  refuseBlocked(res);
  const [listing, pageStr] = res.resourceKey.split(':');
  const page = Number(pageStr ?? '1');
  const raw = extractVar(res.body, 'events');
  const jsonLdUrls = itemListUrls(res.body);
  if (raw === undefined && jsonLdUrls.length === 0) {
    throw parseError('SMOOTHCOMP_LISTING_NO_DATA', `listing ${res.url} has neither "var events" nor a JSON-LD ItemList`);
  }
  if (raw !== undefined && !Array.isArray(raw)) {
    throw parseError('SMOOTHCOMP_LISTING_SHAPE', `listing ${res.url}: "var events" is not an array`);
  }
  const shown = activePage(res.body);
  if (shown !== null && shown !== page) {
    throw parseError('SMOOTHCOMP_LISTING_PAGE', `listing ${res.url}: asked for page ${page}, page shows ${shown}`);
  }
  const events = (raw ?? []).map((e) => obj(e)).filter((e): e is Record<string, unknown> => e !== null);
  return {
    overflow: page > 1 && events.length === 0 && jsonLdUrls.length === 0 && shown === null,
    listing: listing === 'past' ? 'past' : 'upcoming',
    page,
    hasNext: hasNextPage(res.body),
    events,
    jsonLdUrls,
    inlineData: raw !== undefined,
  };
}

function itemListUrls(html: string): string[] {
  const urls: string[] = [];
  for (const block of jsonLdBlocks(html)) {
    for (const node of Array.isArray(block) ? block : [block]) {
      const o = obj(node);
      if (o?.['@type'] !== 'ItemList' || !Array.isArray(o.itemListElement)) continue;
      for (const item of o.itemListElement) {
        const url = obj(item)?.url;
        if (typeof url === 'string') urls.push(url);
      }
    }
  }
  return urls;
}

/** Event id from an event URL (`https://{host}/en/event/{id}`). */
export function eventIdFromUrl(url: string): string | null {
  const m = /\/event\/(\d+)(?:[/?#]|$)/.exec(url);
  return m ? String(Number(m[1])) : null;
}
