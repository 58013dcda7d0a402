/**
 * Smoothcomp sites. `smoothcomp.com` and its organizer subdomains (adcc.smoothcomp.com, naga.smoothcomp.com, ...)
 * share one id space. `ajptour.com` is a white-label copy with the same routes and JSON but its OWN id space
 * (dossier §1, [LIVE VR, MW]): it gets its own provider profile and its own pipeline names (`ajptour.*`), so an
 * AJP id can never be sent to smoothcomp.com and the two never share a scope.
 */
import { z } from 'zod';

export interface SiteVariant {
  /** Provider profile name (rate bucket, session, block detection). */
  provider: string;
  /** Pipeline name prefix: `<prefix>.event_catalog`. */
  prefix: string;
  /** Host used when the caller gives none. */
  baseHost: string;
  hostPattern: RegExp;
}

export const SMOOTHCOMP_SITE: SiteVariant = {
  provider: 'smoothcomp',
  prefix: 'smoothcomp',
  baseHost: 'smoothcomp.com',
  hostPattern: /^([a-z0-9-]+\.)?smoothcomp\.com$/i,
};

export const AJPTOUR_SITE: SiteVariant = {
  provider: 'ajptour',
  prefix: 'ajptour',
  baseHost: 'ajptour.com',
  hostPattern: /^([a-z0-9-]+\.)?ajptour\.com$/i,
};

/** Always fetch under `/en/` (dossier §1 Locales). */
export const LOCALE = 'en';

export function hostSchema(site: SiteVariant) {
  return z
    .string()
    .min(3)
    .max(253)
    .refine((h) => site.hostPattern.test(h), { message: `host must be ${site.baseHost} or one of its subdomains` });
}

/** Numeric provider id given as a string or a number. */
export const numericId = z.union([z.string().regex(/^\d{1,12}$/), z.number().int().positive()]);

/** The host to use: the caller's (from a catalog URL), else the site's base host. Never guessed from a name. */
export function resolveHost(site: SiteVariant, host: string | undefined): string {
  return (host ?? site.baseHost).trim().toLowerCase();
}

export function siteUrl(host: string, path: string, query?: Record<string, string | number | undefined>): string {
  let q = '';
  if (query) {
    const parts = Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${String(v)}`);
    if (parts.length > 0) q = `?${parts.join('&')}`;
  }
  return `https://${host}/${LOCALE}${path}${q}`;
}

/** Host of an absolute URL, lower-cased; null when the URL is missing or not absolute. */
export function hostOf(url: unknown): string | null {
  if (typeof url !== 'string' || url === '') return null;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}
