/**
 * `betfair.market_book {market_ids, depth?}`: one Exchange API-NG `listMarketBook` request for a set of markets
 * (what the live poller, src/durable/market-poller.ts, enqueues every few seconds). Prices, status and volumes as
 * Betfair serves them now; the scope is the sorted market set, so an unchanged book is SKIP_NO_CHANGE: identical
 * bytes write no raw body (content-addressed) and publish nothing.
 */
import { z } from 'zod';
import { parseError } from '../../core/errors';
import { definePipeline, type FetchedResource } from '../../core/pipeline';
import {
  type BookMarket,
  type MarketBookOutput,
  marketBookOutput,
  marketBookResponse,
  type MarketBookResponse,
} from './market-book-schema';
import { marketEntityRows } from './validate';

export const MARKET_BOOK_URL = 'https://api.betfair.com/exchange/betting/rest/v1.0/listMarketBook/';
/** Betfair's documented cap for listMarketBook with EX_BEST_OFFERS is a weight of 200 per request: 40 markets at 5. */
export const MAX_POLLED_MARKETS = 40;

export const marketIdsSchema = z
  .array(z.string().regex(/^1\.\d{1,12}$/, 'a Betfair market id looks like 1.197931750'))
  .min(1)
  .max(MAX_POLLED_MARKETS)
  .refine((ids) => new Set(ids).size === ids.length, 'market ids must be distinct');

/** A market set as one canonical string: ids sorted and distinct, comma-separated (also the poller's id). */
export function marketSetOf(ids: readonly string[]): string {
  return [...new Set(ids)].sort().join(',');
}

const marketSet = z
  .string()
  .max(MAX_POLLED_MARKETS * 14)
  .refine(
    (v) => marketIdsSchema.safeParse(v.split(',')).success,
    'comma-separated Betfair market ids (1.197931750,1.197931751), at most 40',
  )
  .refine((v) => marketSetOf(v.split(',')) === v, 'market ids sorted and distinct, so one set has one scope');

const params = z.strictObject({
  // A string, not an array: the scope key and the publication lookup (?market_ids=...) read it as it is.
  market_ids: marketSet,
  /** Best-offer levels per side (Betfair's `bestPricesDepth`). */
  depth: z.number().int().min(1).max(10).optional(),
});
type Params = z.infer<typeof params>;

export function marketBookRequestBody(p: Params): string {
  return JSON.stringify({
    marketIds: p.market_ids.split(','),
    priceProjection: {
      priceData: ['EX_BEST_OFFERS', 'EX_TRADED', 'SP_AVAILABLE', 'SP_TRADED'],
      exBestOffersOverrides: { bestPricesDepth: p.depth ?? 3 },
      virtualise: false,
    },
    orderProjection: 'EXECUTABLE',
  });
}

function book(fetched: readonly FetchedResource[]): MarketBookResponse {
  const r = fetched.find((f) => f.resourceType === 'market_book');
  if (!r) throw parseError('BETFAIR_MARKET_BOOK_MISSING', 'the market book was not fetched');
  let json: unknown;
  try {
    json = JSON.parse(r.body);
  } catch (err) {
    throw parseError('BETFAIR_MARKET_BOOK_MALFORMED', `listMarketBook answer is not JSON: ${String(err)}`);
  }
  const parsed = marketBookResponse.safeParse(json);
  if (!parsed.success)
    throw parseError('BETFAIR_MARKET_BOOK_MALFORMED', 'listMarketBook answer is not a MarketBook list', {
      issues: parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  return parsed.data;
}

const pairs = (xs: ReadonlyArray<{ price: number; size: number }> | undefined) =>
  (xs ?? []).map((x) => [x.price, x.size] as [number, number]);

function normalizeMarket(m: MarketBookResponse[number]): BookMarket {
  return {
    market_id: m.marketId,
    status: m.status,
    inplay: m.inplay ?? false,
    delayed: m.isMarketDataDelayed ?? null,
    bet_delay: m.betDelay ?? null,
    bsp_reconciled: m.bspReconciled ?? null,
    complete: m.complete ?? null,
    number_of_winners: m.numberOfWinners ?? null,
    number_of_active_runners: m.numberOfActiveRunners ?? null,
    last_match_time: m.lastMatchTime ?? null,
    total_matched: m.totalMatched ?? null,
    version: m.version ?? null,
    runners: m.runners.map((r) => ({
      selection_id: r.selectionId,
      handicap: r.handicap,
      status: r.status,
      adjustment_factor: r.adjustmentFactor ?? null,
      removal_date: r.removalDate ?? null,
      last_price_traded: r.lastPriceTraded ?? null,
      total_matched: r.totalMatched ?? null,
      sp_near: r.sp?.nearPrice ?? null,
      sp_far: r.sp?.farPrice ?? null,
      bsp: r.sp?.actualSP ?? null,
      back: pairs(r.ex?.availableToBack),
      lay: pairs(r.ex?.availableToLay),
      // Traded volume by price, sorted: Betfair's order is not part of the meaning.
      traded: pairs(r.ex?.tradedVolume).sort((a, b) => a[0] - b[0]),
    })),
  };
}

/**
 * Every asked market answered CLOSED (settled or voided: Betfair sends no more prices for it): what ends a live
 * poller's loop. A market missing from the answer is not taken as closed.
 */
export function marketsClosed(out: Pick<MarketBookOutput, 'markets'>, marketIds: readonly string[]): boolean {
  const status = new Map(out.markets.map((m) => [m.market_id, m.status]));
  return marketIds.length > 0 && marketIds.every((id) => status.get(id) === 'CLOSED');
}

export const marketBookPipeline = definePipeline<Params, MarketBookResponse, MarketBookOutput>({
  name: 'betfair.market_book',
  provider: 'betfair',
  description:
    'Live prices of a set of Betfair markets: one Exchange API-NG listMarketBook request (best offers, traded volume, SP). What the live poller runs every few seconds.',
  paramsSchema: params,
  scopeParams: ['market_ids'],
  parserVersion: 'betfair.market_book.parse/1',
  normalizerVersion: 'betfair.market_book.norm/1',
  outputSchema: marketBookOutput,
  schedulable: true,
  plan: (p, fetched) =>
    fetched.length
      ? []
      : [
          {
            resourceType: 'market_book',
            resourceKey: p.market_ids,
            url: MARKET_BOOK_URL,
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: marketBookRequestBody(p),
            // API-NG takes the app key and the session token (the provider's login, shared with the historic sync).
            session: true,
          },
        ],
  parse: (_p, fetched) => book(fetched),
  normalize(p, parsed) {
    const markets = parsed.map(normalizeMarket).sort((a, b) => (a.market_id < b.market_id ? -1 : 1));
    const answered = new Set(markets.map((m) => m.market_id));
    const asked = p.market_ids.split(',');
    return { market_ids: asked, markets, missing_market_ids: asked.filter((id) => !answered.has(id)) };
  },
  entities: (out) => marketEntityRows(out.markets),
  // A live book legitimately loses runners (removals) and whole markets (settled): never hold it as drift.
  drift: false,
});
