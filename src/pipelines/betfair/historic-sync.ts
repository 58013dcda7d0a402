/**
 * `betfair.historic_sync {sport, from, to, market_types?, countries?, plan?}`: the Historic Data API. Logs in
 * (BETFAIR_LOGIN, credentials from secrets), lists the files for the filter, downloads each one not yet in the
 * FILES bucket into `betfair/synced/<path>` (written once by path; the raw body once by sha256), and enqueues one
 * `betfair.historic_market` per file the scope had not published before. A re-sync lists the same files, finds
 * them stored, downloads nothing and publishes nothing (same file set, same hash).
 *
 * Rounds: 1 the list (provider request); 2 an optional `r2` read of each listed file's key (no provider request:
 * is it stored, and what is its hash); 3 a download of each file the read did not find. Rate limiting (429) and
 * an interrupted download are retryable: the next attempt reuses the list and the finished downloads.
 */
import { z } from 'zod';
import { definePipeline, type FetchedResource } from '../../core/pipeline';
import type { Rejection } from '../../core/source';
import { downloadRequest, fileKey, listedPaths, listRequest, type SyncParams, syncParams } from './historic-api';

interface Parsed {
  files: Array<{ path: string; key: string; sha256: string; size: number; downloaded: boolean }>;
  rejected: Rejection[];
  listed: number;
}

const fileSchema = z.object({ path: z.string(), key: z.string(), sha256: z.string(), size: z.number() });

export const historicSyncOutput = z.object({
  sport: z.string(),
  plan: z.string(),
  from: z.string(),
  to: z.string(),
  market_types: z.array(z.string()).nullable(),
  countries: z.array(z.string()).nullable(),
  files: z.array(fileSchema),
  rejections: z.array(z.object({ locator: z.string(), field: z.string().nullable(), rule: z.string(), message: z.string() })),
  /** Not hashed: what this run did (a re-sync downloads nothing but describes the same files). */
  _activity: z.object({ listed: z.number(), already_stored: z.number(), downloaded: z.number() }).optional(),
});
export type HistoricSyncOutput = z.infer<typeof historicSyncOutput>;

const byKey = (fetched: readonly FetchedResource[], type: string) =>
  new Map(fetched.filter((f) => f.resourceType === type).map((f) => [f.resourceKey, f] as const));

export const historicSyncPipeline = definePipeline<SyncParams, Parsed, HistoricSyncOutput>({
  name: 'betfair.historic_sync',
  provider: 'betfair',
  description:
    'Betfair Historic Data API: list the files for a sport, day range, market types and countries; download each new one into FILES once; enqueue betfair.historic_market per file.',
  paramsSchema: syncParams,
  scopeParams: ['sport', 'plan', 'from', 'to', 'market_types', 'countries'],
  parserVersion: 'betfair.historic_sync.parse/1',
  normalizerVersion: 'betfair.historic_sync.norm/1',
  outputSchema: historicSyncOutput,
  schedulable: true,
  // List, stored-check, download: three rounds.
  maxRounds: 4,
  plan(p, fetched) {
    if (fetched.length === 0) return [listRequest(p)];
    const { paths } = listedPaths(fetched);
    const stored = byKey(fetched, 'stored_file');
    if (stored.size === 0 && paths.length > 0)
      return paths.map((path) => ({
        source: 'r2' as const,
        resourceType: 'stored_file',
        resourceKey: path,
        url: fileKey(path),
        optional: true,
      }));
    const downloaded = byKey(fetched, 'historic_file');
    return paths.filter((path) => stored.get(path)?.status === 404 && !downloaded.has(path)).map(downloadRequest);
  },
  progress(_p, fetched) {
    const { paths } = listedPaths(fetched);
    if (fetched.length === 0) return null;
    const stored = byKey(fetched, 'stored_file');
    const downloaded = byKey(fetched, 'historic_file');
    return { done: paths.filter((x) => stored.get(x)?.status === 200 || downloaded.has(x)).length, total: paths.length };
  },
  progressUnit: 'files',
  parse(_p, fetched) {
    const { paths, rejected } = listedPaths(fetched);
    const stored = byKey(fetched, 'stored_file');
    const downloaded = byKey(fetched, 'historic_file');
    const files = paths.map((path) => {
      const d = downloaded.get(path);
      const f = d ?? stored.get(path)!;
      return { path, key: fileKey(path), sha256: f.sha256, size: f.bytes.byteLength, downloaded: d !== undefined };
    });
    return { files, rejected, listed: paths.length + rejected.length };
  },
  normalize(p, parsed) {
    const downloaded = parsed.files.filter((f) => f.downloaded).length;
    return {
      sport: p.sport,
      plan: p.plan,
      from: p.from,
      to: p.to,
      market_types: p.market_types ?? null,
      countries: p.countries ?? null,
      files: parsed.files.map(({ downloaded: _d, ...f }) => f),
      rejections: parsed.rejected,
      _activity: { listed: parsed.listed, already_stored: parsed.files.length - downloaded, downloaded },
    };
  },
  entities: (out) => out.files.map((f) => [`file:${f.path}`, f] as const),
  // Nothing is guessed from an empty list: an empty day is a valid answer, published like any other.
  drift: false,
  acceptance: (_p, parsed, out) => ({ seen: parsed.listed, rejected: out.rejections }),
  acceptancePolicy: { maxRejectedRatio: 0.5 },
  followUps(_p, out, ctx) {
    return out.files
      .filter((f) => !ctx.previousEntityKeys?.has(`file:${f.path}`))
      .map((f) => ({ pipeline: 'betfair.historic_market', params: { key: f.key } }));
  },
});
