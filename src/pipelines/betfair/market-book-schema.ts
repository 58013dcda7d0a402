/**
 * The Exchange API-NG `listMarketBook` answer as far as `betfair.market_book` reads it (MarketBook, Runner,
 * ExchangePrices, StartingPrices), and the normalized output. Unknown fields are ignored, so a new field Betfair
 * adds is not drift; a missing required one is.
 */
import { z } from 'zod';

const priceSize = z.object({ price: z.number(), size: z.number() });

const runnerBook = z.object({
  selectionId: z.number(),
  handicap: z.number().default(0),
  status: z.string(),
  adjustmentFactor: z.number().nullish(),
  lastPriceTraded: z.number().nullish(),
  totalMatched: z.number().nullish(),
  removalDate: z.string().nullish(),
  sp: z.object({ nearPrice: z.number().nullish(), farPrice: z.number().nullish(), actualSP: z.number().nullish() }).nullish(),
  ex: z
    .object({
      availableToBack: z.array(priceSize).default([]),
      availableToLay: z.array(priceSize).default([]),
      tradedVolume: z.array(priceSize).default([]),
    })
    .nullish(),
});

export const marketBookResponse = z.array(
  z.object({
    marketId: z.string(),
    status: z.string(),
    isMarketDataDelayed: z.boolean().nullish(),
    betDelay: z.number().nullish(),
    bspReconciled: z.boolean().nullish(),
    complete: z.boolean().nullish(),
    inplay: z.boolean().nullish(),
    numberOfWinners: z.number().nullish(),
    numberOfActiveRunners: z.number().nullish(),
    lastMatchTime: z.string().nullish(),
    totalMatched: z.number().nullish(),
    version: z.number().nullish(),
    runners: z.array(runnerBook).default([]),
  }),
);
export type MarketBookResponse = z.infer<typeof marketBookResponse>;

const pair = z.tuple([z.number(), z.number()]);
const nn = z.number().nullable();

export const bookRunnerSchema = z.object({
  selection_id: z.number(),
  handicap: z.number(),
  status: z.string(),
  adjustment_factor: nn,
  removal_date: z.string().nullable(),
  last_price_traded: nn,
  total_matched: nn,
  sp_near: nn,
  sp_far: nn,
  bsp: nn,
  back: z.array(pair),
  lay: z.array(pair),
  traded: z.array(pair),
});

export const bookMarketSchema = z.object({
  market_id: z.string(),
  status: z.string(),
  inplay: z.boolean(),
  delayed: z.boolean().nullable(),
  bet_delay: nn,
  bsp_reconciled: z.boolean().nullable(),
  complete: z.boolean().nullable(),
  number_of_winners: nn,
  number_of_active_runners: nn,
  last_match_time: z.string().nullable(),
  total_matched: nn,
  version: nn,
  runners: z.array(bookRunnerSchema),
});

export const marketBookOutput = z.object({
  market_ids: z.array(z.string()),
  markets: z.array(bookMarketSchema),
  /** Asked for but not answered: Betfair leaves out markets it no longer serves (settled long ago, unknown). */
  missing_market_ids: z.array(z.string()),
});
export type MarketBookOutput = z.infer<typeof marketBookOutput>;
export type BookMarket = z.infer<typeof bookMarketSchema>;
