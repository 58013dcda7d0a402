/**
 * Market state to its output: the market as it evolved (definition, status timeline, the off) and per runner the
 * last traded price before the off, BSP, traded volume, removal, result and the ladders at the off.
 */
import type { PriceSize } from './ladder';
import type { MarketState, OffSource, TimelineEntry } from './market-state';
import type { RunnerState } from './runner-state';

export type RunnerResult = 'winner' | 'placed' | 'loser' | 'removed' | null;

export interface RunnerSummary {
  selection_id: number;
  handicap: number;
  name: string | null;
  /** Greyhound trap, from the runner name ("2. Sandwood Jet"); null for other sports. */
  trap: number | null;
  /** Card order: the runner's sortPriority in the first definition (later ones re-sort removed runners first). */
  sort_priority: number | null;
  status: string;
  removal_date: string | null;
  adjustment_factor: number | null;
  bsp: number | null;
  ltp_before_off: number | null;
  ltp_last: number | null;
  traded_volume_before_off: number | null;
  traded_volume: number | null;
  sp_near: number | null;
  sp_far: number | null;
  result: RunnerResult;
  ladders_at_off: { back: PriceSize[]; lay: PriceSize[]; traded: PriceSize[] } | null;
}

export interface MarketSummary {
  market_id: string;
  event_id: string | null;
  event_name: string | null;
  event_type_id: string | null;
  venue: string | null;
  country_code: string | null;
  timezone: string | null;
  market_type: string | null;
  market_name: string | null;
  betting_type: string | null;
  market_time: string | null;
  open_date: string | null;
  number_of_winners: number | null;
  bsp_market: boolean | null;
  turn_in_play_enabled: boolean | null;
  status: string | null;
  in_play: boolean | null;
  bsp_reconciled: boolean | null;
  settled_time: string | null;
  first_published: string | null;
  last_published: string | null;
  off_at: string | null;
  off_source: OffSource | null;
  timeline: TimelineEntry[];
  total_matched: number | null;
  definitions: number;
  changes: number;
  runners: RunnerSummary[];
}

const RESULTS: Record<string, RunnerResult> = {
  WINNER: 'winner',
  PLACED: 'placed',
  LOSER: 'loser',
  REMOVED: 'removed',
  REMOVED_VACANT: 'removed',
};

const s = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const b = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function trapOf(r: RunnerState, greyhound: boolean): number | null {
  if (greyhound && r.name) {
    const m = /^(\d{1,2})\.\s/.exec(r.name);
    if (m) return Number(m[1]);
  }
  return null;
}

function runnerSummary(r: RunnerState, greyhound: boolean, closed: boolean): RunnerSummary {
  return {
    selection_id: r.id,
    handicap: r.hc,
    name: r.name,
    trap: trapOf(r, greyhound),
    sort_priority: r.firstSortPriority,
    status: r.status,
    removal_date: r.removalDate,
    adjustment_factor: r.adjustmentFactor,
    bsp: r.bsp,
    ltp_before_off: r.offLtp,
    ltp_last: r.ltp,
    traded_volume_before_off: r.offTv,
    traded_volume: r.tv,
    sp_near: r.spn,
    sp_far: r.spf,
    // A removal is a result as soon as it happens; winner/placed/loser only once the market is closed.
    result: r.status === 'REMOVED' || r.status === 'REMOVED_VACANT' || closed ? (RESULTS[r.status] ?? null) : null,
    ladders_at_off: r.offLadders,
  };
}

export function summarizeMarket(m: MarketState): MarketSummary {
  const d = m.def;
  const greyhound = d.eventTypeId === '4339';
  const closed = d.status === 'CLOSED';
  const runners = [...m.runners.values()].map((r) => runnerSummary(r, greyhound, closed));
  runners.sort((x, y) => (x.sort_priority ?? 1e9) - (y.sort_priority ?? 1e9) || x.selection_id - y.selection_id);
  return {
    market_id: m.id,
    event_id: s(d.eventId),
    event_name: s(d.eventName),
    event_type_id: s(d.eventTypeId),
    venue: s(d.venue),
    country_code: s(d.countryCode),
    timezone: s(d.timezone),
    market_type: s(d.marketType),
    market_name: s(d.name),
    betting_type: s(d.bettingType),
    market_time: s(d.marketTime),
    open_date: s(d.openDate),
    number_of_winners: n(d.numberOfWinners),
    bsp_market: b(d.bspMarket),
    turn_in_play_enabled: b(d.turnInPlayEnabled),
    status: s(d.status),
    in_play: b(d.inPlay),
    bsp_reconciled: b(d.bspReconciled),
    settled_time: s(d.settledTime),
    first_published: iso(m.firstPt),
    last_published: iso(m.lastPt),
    off_at: iso(m.offAt),
    off_source: m.offSource,
    timeline: m.timeline,
    total_matched: m.totalMatched,
    definitions: m.definitions,
    changes: m.changes,
    runners,
  };
}
