/** betfair.market_book parse and normalize on a listMarketBook answer (hand-made, API-NG MarketBook shape). */
import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../core/errors';
import type { FetchedResource } from '../../core/pipeline';
import { deriveScopeKey } from '../../core/scope-key';
import { MARKET_BOOK_URL, marketBookPipeline as p, marketBookRequestBody, marketSetOf, marketsClosed } from './market-book';

const BOOK = [
  {
    marketId: '1.197931750',
    isMarketDataDelayed: false,
    status: 'OPEN',
    betDelay: 0,
    inplay: false,
    numberOfWinners: 1,
    numberOfActiveRunners: 2,
    totalMatched: 3269.55,
    version: 4495990919,
    someNewField: 'ignored',
    runners: [
      {
        selectionId: 44331354,
        handicap: 0,
        status: 'ACTIVE',
        lastPriceTraded: 75,
        totalMatched: 43.02,
        sp: { nearPrice: 70 },
        ex: {
          availableToBack: [{ price: 70, size: 0.71 }],
          availableToLay: [{ price: 75, size: 6.59 }],
          tradedVolume: [
            { price: 80, size: 1 },
            { price: 55, size: 2 },
          ],
        },
      },
      { selectionId: 37947503, status: 'REMOVED', removalDate: '2022-04-19T17:00:00.000Z' },
    ],
  },
];

const fetched = (body: string): FetchedResource[] => [
  {
    resourceType: 'market_book',
    resourceKey: 'k',
    url: MARKET_BOOK_URL,
    status: 200,
    contentType: 'application/json',
    body,
    bytes: new Uint8Array(),
    sha256: 'x',
  },
];
const run = (market_ids: string, body: string) => p.normalize({ market_ids }, p.parse({ market_ids }, fetched(body)));

describe('betfair.market_book', () => {
  it('plans one listMarketBook POST for the set; the scope is the canonical set', () => {
    const ids = marketSetOf(['1.3', '1.197931750', '1.3']);
    expect(ids).toBe('1.197931750,1.3');
    const [req, ...rest] = p.plan({ market_ids: ids }, []);
    expect(rest).toEqual([]);
    expect(req).toMatchObject({ url: MARKET_BOOK_URL, method: 'POST', resourceKey: ids });
    expect(JSON.parse(req!.body!)).toMatchObject({
      marketIds: ['1.197931750', '1.3'],
      priceProjection: { exBestOffersOverrides: { bestPricesDepth: 3 } },
    });
    expect(JSON.parse(marketBookRequestBody({ market_ids: ids, depth: 5 })).priceProjection.exBestOffersOverrides.bestPricesDepth).toBe(5);
    expect(deriveScopeKey(p.scopeParams, { market_ids: ids })).toBe('market_ids=1.197931750%2C1.3');
    expect(p.plan({ market_ids: ids }, fetched('[]'))).toEqual([]);
  });

  it('refuses unsorted, repeated or malformed market sets', () => {
    expect(p.paramsSchema.safeParse({ market_ids: '1.3,1.197931750' }).success).toBe(false);
    expect(p.paramsSchema.safeParse({ market_ids: '1.3,1.3' }).success).toBe(false);
    expect(p.paramsSchema.safeParse({ market_ids: 'x' }).success).toBe(false);
    expect(p.paramsSchema.safeParse({ market_ids: '1.197931750' }).success).toBe(true);
  });

  it('normalizes markets and runners; markets Betfair left out are listed as missing', () => {
    const out = run('1.197931750,1.3', JSON.stringify(BOOK));
    expect(p.outputSchema.parse(out)).toEqual(out);
    expect(out.missing_market_ids).toEqual(['1.3']);
    const [m] = out.markets;
    expect(m).toMatchObject({
      market_id: '1.197931750',
      status: 'OPEN',
      inplay: false,
      total_matched: 3269.55,
      number_of_active_runners: 2,
    });
    expect(m!.runners[0]).toEqual({
      selection_id: 44331354,
      handicap: 0,
      status: 'ACTIVE',
      adjustment_factor: null,
      removal_date: null,
      last_price_traded: 75,
      total_matched: 43.02,
      sp_near: 70,
      sp_far: null,
      bsp: null,
      back: [[70, 0.71]],
      lay: [[75, 6.59]],
      traded: [
        [55, 2],
        [80, 1],
      ],
    });
    expect(m!.runners[1]).toMatchObject({ status: 'REMOVED', removal_date: '2022-04-19T17:00:00.000Z', back: [], last_price_traded: null });
    expect([...p.entities(out)].map(([k]) => k)).toEqual([
      'market:1.197931750',
      'runner:1.197931750:44331354:0',
      'runner:1.197931750:37947503:0',
    ]);
  });

  it('an answer that is not JSON or not a MarketBook list is a classified parse error', () => {
    for (const body of ['<html>', '{"faultcode":"Client"}', '[{"marketId":1}]']) {
      let err: unknown;
      try {
        p.parse({ market_ids: '1.3' }, fetched(body));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AdapterError);
      expect(err).toMatchObject({ code: 'BETFAIR_MARKET_BOOK_MALFORMED', category: 'parse', retryable: false });
    }
  });
});

describe('marketsClosed (what ends a live poller)', () => {
  const out = (...markets: Array<[string, string]>) => ({ markets: markets.map(([market_id, status]) => ({ market_id, status })) });
  it('is true only when every asked market is answered CLOSED', () => {
    expect(marketsClosed(out(['1.1', 'CLOSED'], ['1.2', 'CLOSED']) as never, ['1.1', '1.2'])).toBe(true);
    expect(marketsClosed(out(['1.1', 'CLOSED'], ['1.2', 'SUSPENDED']) as never, ['1.1', '1.2'])).toBe(false);
    // A market missing from the answer is not known to be closed.
    expect(marketsClosed(out(['1.1', 'CLOSED']) as never, ['1.1', '1.2'])).toBe(false);
    expect(marketsClosed(out() as never, [])).toBe(false);
  });
});
