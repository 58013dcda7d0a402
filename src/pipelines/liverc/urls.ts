/** LiveRC URLs and identifiers. */
import { z } from 'zod';

export const SLUG_RE = /^[a-z0-9-]+$/;

// A track slug is a DNS label (the track's subdomain): at most 63 characters.
export const trackSlugSchema = z.string().trim().toLowerCase().max(63).regex(SLUG_RE, 'track_slug must match /^[a-z0-9-]+$/');

export const liveRcIdSchema = z
  .union([z.string().trim(), z.number().int().nonnegative()])
  .transform((v) => String(v))
  .pipe(z.string().max(20).regex(/^\d+$/, 'must be a string of digits'));

export const CATALOGUE_URL = 'https://live.liverc.com/';

export const trackUrl = (slug: string) => `https://${slug}.liverc.com/`;
export const eventsUrl = (slug: string) => `https://${slug}.liverc.com/events/`;
export const eventUrl = (slug: string, id: string) => `https://${slug}.liverc.com/results/?p=view_event&id=${id}`;
export const entryListUrl = (slug: string, id: string) => `https://${slug}.liverc.com/results/?p=view_entry_list&id=${id}`;
export const raceResultUrl = (slug: string, id: string) => `https://${slug}.liverc.com/results/?p=view_race_result&id=${id}`;

/** The track slug of a `//slug.liverc.com/...` link (lower-cased), or null for other hosts and `live`/`www`. */
export function slugFromHref(href: string): string | null {
  const m = /^(?:https?:)?\/\/([A-Za-z0-9-]+)\.liverc\.com(?:\/|$)/i.exec(href.trim());
  if (!m) return null;
  const slug = (m[1] ?? '').toLowerCase();
  return slug === 'live' || slug === 'www' ? null : slug;
}

/** The `id` query parameter of a LiveRC results link with the given `p` (e.g. `view_race_result`). */
export function idFromHref(href: string, page: string): string | null {
  const q = href.includes('?') ? href.slice(href.indexOf('?') + 1) : '';
  const params = new URLSearchParams(q.replace(/&amp;/g, '&'));
  if (params.get('p') !== page) return null;
  const id = params.get('id');
  return id && /^\d+$/.test(id) ? id : null;
}
