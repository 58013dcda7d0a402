/**
 * The seed's validation rules, applied per record (one selection of one race):
 * - `selection_name_required`: non-empty selection name;
 * - `price_range`: decimal price within 1.01–1000 (a record without a price is not refused: it never traded);
 * - `volume_non_negative`: volume ≥ 0 when present;
 * - `start_time_window`: start in the future or within the last 30 days **of the snapshot's capture time**, never
 *   of the wall clock, so replaying a stored snapshot gives the same answer;
 * - `currency_mixed`: a race's records share one currency;
 * - `duplicate_selection`: a selection appears once per race (the first record wins).
 * Parsers add format rules (`price_format`, `volume_format`, `start_time_format`, `required`) before this runs.
 */
import type { Rejection } from '../../core/source';
import { type Race, type RaceRecord, raceSchema } from './race-data';

export const PRICE_MIN = 1.01;
export const PRICE_MAX = 1000;
export const START_WINDOW_MS = 30 * 24 * 3600 * 1000;

export const RULES = [
  'selection_name_required',
  'price_range',
  'volume_non_negative',
  'start_time_window',
  'currency_mixed',
  'duplicate_selection',
] as const;

export interface ValidationContext {
  /** Epoch ms the snapshot was captured (the recording's last publish time, a file's stored time). */
  capturedAt: number;
}

/** The first rule the record breaks, or null. Order is fixed so a record is always refused for the same reason. */
export function checkRecord(rec: RaceRecord, ctx: ValidationContext): Rejection | null {
  const s = rec.selection;
  if (s.name.trim().length === 0)
    return {
      locator: rec.locator,
      field: 'selection_name',
      rule: 'selection_name_required',
      message: `selection ${s.selection_id} has no name`,
    };
  if (s.price !== null && !(s.price >= PRICE_MIN && s.price <= PRICE_MAX))
    return { locator: rec.locator, field: 'price', rule: 'price_range', message: `price ${s.price} is outside ${PRICE_MIN}-${PRICE_MAX}` };
  if (s.volume !== null && !(s.volume >= 0))
    return { locator: rec.locator, field: 'volume', rule: 'volume_non_negative', message: `volume ${s.volume} is negative` };
  if (rec.race.start_time_ms < ctx.capturedAt - START_WINDOW_MS) {
    return {
      locator: rec.locator,
      field: 'start_time',
      rule: 'start_time_window',
      message: `start ${new Date(rec.race.start_time_ms).toISOString()} is more than 30 days before the capture time ${new Date(ctx.capturedAt).toISOString()}`,
    };
  }
  return null;
}

export interface Assembled {
  races: Race[];
  seen: number;
  rejected: Rejection[];
}

/** Validates records and groups the accepted ones into races, in input order. */
export function assembleRaces(
  records: Iterable<RaceRecord>,
  ctx: ValidationContext,
  earlier: Rejection[] = [],
  earlierSeen = 0,
): Assembled {
  const races = new Map<string, Race>();
  const selectionIds = new Map<string, Set<string>>();
  const rejected = [...earlier];
  let seen = earlierSeen;
  for (const rec of records) {
    seen += 1;
    const bad = checkRecord(rec, ctx);
    if (bad) {
      rejected.push(bad);
      continue;
    }
    const key = `${rec.race.event_id}\u0000${rec.race.market_id ?? ''}`;
    let race = races.get(key);
    if (!race) {
      const { start_time_ms, ...header } = rec.race;
      race = { ...header, start_time: new Date(start_time_ms).toISOString(), selections: [] };
      races.set(key, race);
      selectionIds.set(key, new Set());
    } else if (race.currency !== rec.race.currency) {
      rejected.push({
        locator: rec.locator,
        field: 'currency',
        rule: 'currency_mixed',
        message: `currency ${rec.race.currency ?? 'none'} differs from the race's ${race.currency ?? 'none'}`,
      });
      continue;
    }
    const ids = selectionIds.get(key)!;
    if (ids.has(rec.selection.selection_id)) {
      rejected.push({
        locator: rec.locator,
        field: 'selection_id',
        rule: 'duplicate_selection',
        message: `selection ${rec.selection.selection_id} appears twice in race ${rec.race.event_id}`,
      });
      continue;
    }
    ids.add(rec.selection.selection_id);
    race.selections.push(rec.selection);
  }
  return { races: [...races.values()].map((r) => raceSchema.parse(r)), seen, rejected };
}

export function countByRule(rejections: readonly Rejection[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rejections) out[r.rule] = (out[r.rule] ?? 0) + 1;
  return out;
}

/** The acceptance part of a normalized output: the races kept, records seen, rejections with their rule counts. */
export function acceptanceFields(a: Assembled) {
  return { races: a.races, records_seen: a.seen, rejected_by_rule: countByRule(a.rejected), rejections: a.rejected };
}

/** Entity rows of market-shaped outputs: each market without its runners, then each runner (keyed by handicap too). */
export function marketEntityRows<R extends { selection_id: number; handicap: number }>(
  markets: ReadonlyArray<{ market_id: string; runners: readonly R[] }>,
): Array<readonly [string, unknown]> {
  const rows: Array<readonly [string, unknown]> = [];
  for (const m of markets) {
    const { runners, ...market } = m;
    rows.push([`market:${m.market_id}`, market]);
    for (const r of runners) rows.push([`runner:${m.market_id}:${r.selection_id}:${r.handicap}`, r]);
  }
  return rows;
}
