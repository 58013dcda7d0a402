/**
 * `betfair.historic_market {key, currency?}`: one market's Exchange Stream recording (Betfair historic data: JSON
 * lines, bz2/gzip/plain) read from the FILES bucket, reconstructed as it evolved and normalized to the race-data
 * shape. One job per file, scoped by its key: a re-run of the same bytes publishes nothing.
 */
import { z } from 'zod';
import { definePipeline, type FetchedResource } from '../../core/pipeline';
import { parseError } from '../../core/errors';
import type { Rejection } from '../../core/source';
import { marketRecords } from './market-race';
import { BETFAIR_DEFAULT_CURRENCY, HISTORIC_PREFIX } from './provider';
import { raceSchema } from './race-data';
import { type Reconstruction, reconstructBytes, type StreamStats } from './reconstructor';
import { reconstructReadable } from './stream-read';
import { marketSummarySchema } from './summary-schema';
import { type MarketSummary, summarizeMarket } from './summary';
import { acceptanceFields, assembleRaces, marketEntityRows } from './validate';

const params = z.strictObject({
  key: z.string().min(1).max(1024),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
});
type Params = z.infer<typeof params>;

interface Parsed {
  compression: string;
  stats: StreamStats;
  lineRejections: Rejection[];
  markets: MarketSummary[];
}

const statsSchema = z.object({
  lines: z.number(),
  bytes: z.number(),
  messages: z.number(),
  heartbeats: z.number(),
  market_changes: z.number(),
  runner_changes: z.number(),
  unknown_ops: z.record(z.string(), z.number()),
  rejected: z.number(),
});

export const historicMarketOutput = z.object({
  key: z.string(),
  compression: z.string(),
  stats: statsSchema,
  markets: z.array(marketSummarySchema),
  races: z.array(raceSchema),
  records_seen: z.number(),
  rejected_by_rule: z.record(z.string(), z.number()),
  rejections: z.array(z.object({ locator: z.string(), field: z.string().nullable(), rule: z.string(), message: z.string() })),
});
export type HistoricMarketOutput = z.infer<typeof historicMarketOutput>;

function parsedOf({ compression, reconstructor }: Reconstruction): Parsed {
  return {
    compression,
    stats: reconstructor.stats,
    lineRejections: reconstructor.rejections,
    markets: [...reconstructor.markets.values()].map(summarizeMarket),
  };
}

function only(fetched: readonly FetchedResource[]): FetchedResource {
  const r = fetched.find((f) => f.resourceType === 'historic_file');
  if (!r) throw parseError('BETFAIR_FILE_MISSING', 'the historic file was not read');
  return r;
}

export const historicMarketPipeline = definePipeline<Params, Parsed, HistoricMarketOutput>({
  name: 'betfair.historic_market',
  provider: 'betfair',
  description:
    'One Betfair historic stream file (bz2/gzip/plain JSON lines) from the FILES bucket: the market reconstructed and normalized to race data.',
  paramsSchema: params,
  scopeParams: ['key'],
  parserVersion: 'betfair.historic_market.parse/1',
  normalizerVersion: 'betfair.historic_market.norm/1',
  outputSchema: historicMarketOutput,
  plan: (p, fetched) => (fetched.length ? [] : [{ source: 'r2', resourceType: 'historic_file', resourceKey: p.key, url: p.key }]),
  parse: (_p, fetched) => parsedOf(reconstructBytes(only(fetched).bytes)),
  // The runtime's path for the file (an R2 object body): memory stays flat however large the recording is.
  parseStream: async (_p, resource) => parsedOf(await reconstructReadable(resource.body)),
  normalize(p, parsed) {
    const currency = p.currency ?? BETFAIR_DEFAULT_CURRENCY;
    const records = [];
    const early: Rejection[] = [...parsed.lineRejections];
    for (const m of parsed.markets) {
      const r = marketRecords(m, currency);
      records.push(...r.records);
      early.push(...r.rejected);
    }
    // Capture time of a recording is its last publish time: the 30-day window is judged against the recording,
    // so a 2017 file replayed today gives the 2017 answer.
    const capturedAt = Math.max(...parsed.markets.map((m) => (m.last_published ? Date.parse(m.last_published) : 0)));
    const assembled = assembleRaces(records, { capturedAt }, early, parsed.stats.lines);
    return {
      key: p.key,
      compression: parsed.compression,
      stats: parsed.stats,
      markets: parsed.markets,
      ...acceptanceFields(assembled),
    };
  },
  entities(out) {
    const rows = marketEntityRows(out.markets);
    for (const race of out.races) for (const s of race.selections) rows.push([`selection:${race.market_id}:${s.selection_id}`, s]);
    return rows;
  },
  // Records seen are the stream's lines plus the selections validated; refused are malformed lines plus refused
  // selections. More than a fifth refused means the file is not what it claims to be.
  acceptance: (_p, _parsed, out) => ({ seen: out.records_seen, rejected: out.rejections }),
  acceptancePolicy: { maxRejectedRatio: 0.2 },
  fileTrigger: {
    prefix: HISTORIC_PREFIX,
    // Sidecars (`.json` catalogue entries, settle reports) are not stream files.
    params: (o) => (o.key.endsWith('/') || o.key.endsWith('.json') ? null : { key: o.key }),
  },
});
