/**
 * The Betfair Historic Data API as `betfair.historic_sync` uses it (historicdata.betfair.com/api/, as Betfair's
 * API docs and betfairlightweight describe it): `DownloadListOfFiles` (POST, JSON filter of sport, plan, a day
 * range, market types, countries and file types) answers a JSON array of file paths; `DownloadFile?filePath=`
 * answers the file (bz2). Both take the session token in an `ssoid` header (provider.ts, BETFAIR_LOGIN).
 */
import { z } from 'zod';
import { parseError } from '../../core/errors';
import type { FetchedResource, ResourceRequest } from '../../core/pipeline';
import type { Rejection } from '../../core/source';
import { SYNCED_PREFIX } from './provider';

export const HISTORIC_API = 'https://historicdata.betfair.com/api/';
export const PLANS = ['Basic Plan', 'Advanced Plan', 'Pro Plan'] as const;
/** At most this many days per sync: one job holds its attempt's downloads in memory (docs "Not done"). */
export const MAX_SPAN_DAYS = 31;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const RELATIVE = /^today(?:-(\d{1,3}))?$/;

/**
 * A day as `YYYY-MM-DD` (UTC), or `today` / `today-N` relative to when the job is enqueued (a daily schedule's
 * "yesterday"). Resolved once, at enqueue: the stored job, its scope and any replay see the concrete day.
 */
export function resolveDay(raw: string, now: number = Date.now()): string | null {
  const rel = RELATIVE.exec(raw);
  if (rel) return new Date(now - Number(rel[1] ?? 0) * 86_400_000).toISOString().slice(0, 10);
  const m = DAY.exec(raw);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === raw ? raw : null;
}

const day = z
  .string()
  .transform((v, ctx) => {
    const out = resolveDay(v.trim());
    if (out === null) ctx.addIssue({ code: 'custom', message: 'a day YYYY-MM-DD, today or today-N' });
    return out ?? v;
  })
  .describe('YYYY-MM-DD (UTC), or today / today-N resolved when the job is enqueued');

// A list, or one comma-separated string (how a scope lookup's query string carries it: `countries=GB,IE`).
const codes = (re: RegExp, max: number) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' ? v.split(',') : v),
      z
        .array(
          z
            .string()
            .trim()
            .transform((s) => s.toUpperCase())
            .pipe(z.string().regex(re)),
        )
        .max(max),
    )
    .transform((a) => [...new Set(a)].sort())
    .optional();

export const syncParams = z
  .strictObject({
    sport: z.string().trim().min(1).max(60),
    from: day,
    to: day,
    market_types: codes(/^[A-Z_]{1,40}$/, 20),
    countries: codes(/^[A-Z]{2}$/, 50),
    plan: z.enum(PLANS).default('Basic Plan'),
  })
  .refine((p) => p.from <= p.to, { message: 'from is after to', path: ['from'] })
  .refine((p) => Date.parse(p.to) - Date.parse(p.from) <= (MAX_SPAN_DAYS - 1) * 86_400_000, {
    message: `at most ${MAX_SPAN_DAYS} days per sync`,
    path: ['to'],
  });
export type SyncParams = z.infer<typeof syncParams>;

/** The DownloadListOfFiles filter of a job (empty collections: all). */
export function listFilter(p: SyncParams): Record<string, unknown> {
  const [fy, fm, fd] = p.from.split('-').map(Number);
  const [ty, tm, td] = p.to.split('-').map(Number);
  return {
    sport: p.sport,
    plan: p.plan,
    fromDay: fd,
    fromMonth: fm,
    fromYear: fy,
    toDay: td,
    toMonth: tm,
    toYear: ty,
    marketTypesCollection: p.market_types ?? [],
    countriesCollection: p.countries ?? [],
    fileTypeCollection: ['M'],
  };
}

export function listRequest(p: SyncParams): ResourceRequest {
  const body = JSON.stringify(listFilter(p));
  return {
    resourceType: 'file_list',
    resourceKey: body,
    url: `${HISTORIC_API}DownloadListOfFiles`,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
    session: true,
  };
}

/** Where a listed file is kept in the FILES bucket: its path under the synced prefix. */
export const fileKey = (path: string): string => `${SYNCED_PREFIX}${path.replace(/^\/+/, '')}`;

export function downloadRequest(path: string): ResourceRequest {
  return {
    resourceType: 'historic_file',
    resourceKey: path,
    url: `${HISTORIC_API}DownloadFile?filePath=${encodeURIComponent(path)}`,
    session: true,
    storeAs: fileKey(path),
  };
}

/** A path Betfair lists: absolute, plain segments (no `..`), short enough for an object key. */
const SAFE_PATH = /^\/(?:[A-Za-z0-9_.-]+\/)*[A-Za-z0-9_.-]+$/;

export function listedPaths(fetched: readonly FetchedResource[]): { paths: string[]; rejected: Rejection[] } {
  const list = fetched.find((f) => f.resourceType === 'file_list');
  if (!list) return { paths: [], rejected: [] };
  let data: unknown;
  try {
    data = JSON.parse(list.body);
  } catch {
    throw parseError('BETFAIR_FILE_LIST_INVALID', `DownloadListOfFiles answered non-JSON: ${list.body.slice(0, 120)}`);
  }
  if (!Array.isArray(data)) throw parseError('BETFAIR_FILE_LIST_INVALID', 'DownloadListOfFiles did not answer a JSON array');
  const paths: string[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  for (const [i, p] of data.entries()) {
    if (typeof p !== 'string' || !SAFE_PATH.test(p) || p.split('/').includes('..') || p.length > 900) {
      rejected.push({ locator: `/${i}`, field: null, rule: 'file_path', message: `not a file path Betfair lists: ${JSON.stringify(p)}` });
    } else if (!seen.has(p)) {
      seen.add(p);
      paths.push(p);
    }
  }
  return { paths, rejected };
}
