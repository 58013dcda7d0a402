/**
 * Named CSV mapping profiles: which column is which race-data field. Header names match case-insensitively after
 * trimming; each field lists the names it accepts. `derive` fills fields a layout encodes in another column
 * (Betfair's PATH `Competition/Home v Away`).
 */
export type CsvField =
  | 'event_id'
  | 'event_name'
  | 'track'
  | 'start_time'
  | 'selection_id'
  | 'selection_name'
  | 'price'
  | 'volume'
  | 'market_id'
  | 'market_type'
  | 'race_type'
  | 'status'
  | 'result'
  | 'is_winner'
  | 'currency'
  | 'country_code'
  | 'path';

export interface CsvProfile {
  name: string;
  description: string;
  /** Field → accepted header names. Fields in `required` must be present as columns. */
  columns: Partial<Record<CsvField, readonly string[]>>;
  required: readonly CsvField[];
  /** Zone of date-times without an offset, unless the job says otherwise. */
  timezone: string;
  /** Currency of prices and volumes when no column says, null when the layout does not say. */
  currency: string | null;
  /**
   * Type inference: the price column may hold decimal, fractional (`5/2`) or evens (`EVS`) prices and is told
   * apart per cell. A profile without it accepts decimal only (a fractional-looking cell is a `price_format`
   * refusal, e.g. a date mangled into `9/7`).
   */
  inferPriceFormat: boolean;
  derive?(row: Partial<Record<CsvField, string>>): Partial<Record<CsvField, string>>;
}

/** The seed's own layout (its BetfairCSVParser): event_id, event_name, track, start_time, selection_id,
 * selection_name, price, volume; status, currency and race_type optional. */
const SEED: CsvProfile = {
  name: 'seed',
  description:
    "The seed's CSV layout: event_id, event_name, track, start_time, selection_id, selection_name, price, volume (+ optional status, result, currency, race_type, market_id).",
  columns: {
    event_id: ['event_id'],
    event_name: ['event_name'],
    track: ['track'],
    start_time: ['start_time'],
    selection_id: ['selection_id'],
    selection_name: ['selection_name'],
    price: ['price'],
    volume: ['volume'],
    status: ['status'],
    result: ['result'],
    currency: ['currency'],
    race_type: ['race_type'],
    market_id: ['market_id'],
  },
  required: ['event_id', 'event_name', 'track', 'start_time', 'selection_id', 'selection_name', 'price', 'volume'],
  timezone: 'Europe/London',
  currency: null,
  inferPriceFormat: true,
};

/**
 * The Betfair Data Scientists' match-odds CSVs (e.g. NBL_2024-2025_Match_Odds.csv): one row per runner, prices at
 * fixed moments of the game. The price taken is the best back at the first bounce (the nearest to "at the off"),
 * the volume the total matched. The file states no currency.
 */
const BETFAIR_MATCH_ODDS: CsvProfile = {
  name: 'betfair_match_odds',
  description:
    'Betfair Data Scientists match-odds CSV: EVENT_DATE, PATH, EVENT_ID, MARKET_TYPE, MARKET_ID, SELECTION_ID, RUNNER_NAME, RUNNER_STATUS, IS_WINNER, BEST_BACK_FIRST_BOUNCE, TOTAL_MATCHED_VOLUME.',
  columns: {
    start_time: ['EVENT_DATE'],
    path: ['PATH'],
    event_id: ['EVENT_ID'],
    market_type: ['MARKET_TYPE'],
    market_id: ['MARKET_ID'],
    selection_id: ['SELECTION_ID'],
    selection_name: ['RUNNER_NAME'],
    status: ['RUNNER_STATUS'],
    is_winner: ['IS_WINNER'],
    price: ['BEST_BACK_FIRST_BOUNCE'],
    volume: ['TOTAL_MATCHED_VOLUME'],
  },
  required: ['start_time', 'path', 'event_id', 'market_id', 'selection_id', 'selection_name', 'price', 'volume'],
  timezone: 'UTC',
  currency: null,
  inferPriceFormat: false,
  derive(row) {
    const path = row.path ?? '';
    const cut = path.lastIndexOf('/');
    return cut < 0 ? { event_name: path } : { track: path.slice(0, cut), event_name: path.slice(cut + 1) };
  },
};

export const CSV_PROFILES: Record<string, CsvProfile> = { seed: SEED, betfair_match_odds: BETFAIR_MATCH_ODDS };
export const CSV_PROFILE_NAMES = Object.keys(CSV_PROFILES) as [string, ...string[]];
