/**
 * A reconstructed market to race-data records: the selection's price is its last traded price before the off
 * (the last one seen when the recording ends before an off), its volume the traded volume at the off.
 */
import type { Rejection } from '../../core/source';
import { type RaceRecord, raceTypeOf, type Selection } from './race-data';
import type { MarketSummary, RunnerSummary } from './summary';

function status(r: RunnerSummary): Selection['status'] {
  if (r.status === 'REMOVED' || r.status === 'REMOVED_VACANT') return 'scratched';
  if (r.status === 'HIDDEN') return 'inactive';
  return 'active';
}

function result(r: RunnerSummary): Selection['result'] {
  return r.result === 'winner' || r.result === 'placed' || r.result === 'loser' ? r.result : null;
}

export function marketRecords(m: MarketSummary, currency: string): { records: RaceRecord[]; rejected: Rejection[] } {
  const start = m.market_time ? Date.parse(m.market_time) : Number.NaN;
  if (!Number.isFinite(start)) {
    return {
      records: [],
      rejected: [
        {
          locator: `market:${m.market_id}`,
          field: 'marketTime',
          rule: 'start_time_format',
          message: `market ${m.market_id} has no start time`,
        },
      ],
    };
  }
  const race = {
    event_id: m.event_id ?? m.market_id,
    event_name: m.event_name,
    market_id: m.market_id,
    track: m.venue,
    country_code: m.country_code,
    start_time_ms: start,
    race_type: raceTypeOf(m.event_type_id),
    market_type: m.market_type,
    currency,
  };
  const records = m.runners.map((r): RaceRecord => {
    const price = m.off_at === null ? r.ltp_last : r.ltp_before_off;
    return {
      locator: `market:${m.market_id}/runner:${r.selection_id}`,
      race,
      selection: {
        selection_id: r.handicap === 0 ? String(r.selection_id) : `${r.selection_id}:${r.handicap}`,
        name: r.name ?? '',
        price,
        price_fraction: null,
        volume: m.off_at === null ? r.traded_volume : r.traded_volume_before_off,
        status: status(r),
        result: result(r),
        bsp: r.bsp,
      },
    };
  });
  return { records, rejected: [] };
}
