/**
 * `public_json_snapshot {url, source_name, include_raw_payload}`: the seed's generic extractor for a public JSON
 * feed (EXTRACTOR_PUBLIC_JSON_URL / EXTRACTOR_PUBLIC_SOURCE_NAME / EXTRACTOR_INCLUDE_RAW_PAYLOAD give the
 * defaults at the edge). The feed is a list of records, or an object holding one under `records`, `data` or
 * `items`, whose fields already carry the snapshot's names. Known fields are copied as they are (a numeric string
 * stays a string, so the importer's strict check refuses it rather than this extractor guessing); absent ones
 * become null; unknown ones are dropped from the record and survive only in `raw_payload` when asked for.
 */
import { z } from 'zod';
import { parseError } from '../../../core/errors';
import { RECORD_FIELD_NAMES, type SnapshotDoc, type SnapshotRecord } from '../schema';
import { isRealDate } from '../validate';
import { isoDate, segment, type Extractor } from './framework';

const params = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  source_name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/),
  include_raw_payload: z.boolean().default(false),
});
type Params = z.infer<typeof params>;

function recordsOf(feed: unknown): unknown[] {
  if (Array.isArray(feed)) return feed;
  if (feed && typeof feed === 'object') {
    for (const k of ['records', 'data', 'items']) {
      const v = (feed as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v;
    }
  }
  throw parseError('FEED_SHAPE', 'the feed is neither a list of records nor an object with records, data or items');
}

export const publicJsonSnapshot: Extractor<Params> = {
  name: 'public_json_snapshot',
  provider: 'public_json',
  description: 'A public JSON feed of player season records at a configured URL, under a configured source name.',
  paramsSchema: params as unknown as z.ZodType<Params>,
  requests: (p) => [{ resourceType: 'public_json', resourceKey: p.source_name, url: p.url, headers: { accept: 'application/json' } }],
  extract(p, pages, ctx): SnapshotDoc {
    const page = pages[0]!;
    if (page.status !== 200) throw parseError('FEED_STATUS', `${page.url} answered ${page.status}`);
    let feed: unknown;
    try {
      feed = JSON.parse(page.body);
    } catch (e) {
      throw parseError('FEED_NOT_JSON', `${page.url}: ${(e as Error).message}`);
    }
    const records = recordsOf(feed).map((item) => {
      const src = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of RECORD_FIELD_NAMES) {
        if (f === 'raw_payload' || f === 'source_metadata') continue;
        out[f] = f in src ? src[f] : null;
      }
      out.source_metadata = src.source_metadata && typeof src.source_metadata === 'object' ? src.source_metadata : {};
      if (p.include_raw_payload) out.raw_payload = src;
      return out as unknown as SnapshotRecord;
    });
    const stated = (feed as { snapshot_date?: unknown })?.snapshot_date;
    return {
      source_name: p.source_name,
      snapshot_date: typeof stated === 'string' && isRealDate(stated) ? stated : isoDate(ctx.now),
      records,
      source_metadata: { url: p.url },
      ...(p.include_raw_payload ? { raw_payload: feed as object } : {}),
    };
  },
  fileName: (p, doc) => `${segment(p.source_name)}/${doc.snapshot_date}.json`,
};
