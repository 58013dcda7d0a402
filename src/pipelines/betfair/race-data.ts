/**
 * The one race-data shape every racing source normalizes to (the seed's NormalizedRaceData): event id and name,
 * track, start time in UTC, race type, and selections with id, name, decimal price, volume, status and result.
 * Currency is carried per race and never mixed inside one.
 */
import { z } from 'zod';

export const SELECTION_STATUSES = ['active', 'inactive', 'scratched'] as const;
export const RESULTS = ['winner', 'placed', 'loser'] as const;

export const selectionSchema = z.object({
  selection_id: z.string(),
  name: z.string(),
  /** Decimal odds; null when the source has no price for the selection (never traded). */
  price: z.number().nullable(),
  /** The fractional input (`5/2`, evens `1/1`) the decimal came from, null for decimal inputs. */
  price_fraction: z.string().nullable(),
  volume: z.number().nullable(),
  status: z.enum(SELECTION_STATUSES),
  result: z.enum(RESULTS).nullable(),
  /** Betfair starting price, when the source has one. */
  bsp: z.number().nullable(),
});
export type Selection = z.infer<typeof selectionSchema>;

export const raceSchema = z.object({
  event_id: z.string(),
  event_name: z.string().nullable(),
  market_id: z.string().nullable(),
  track: z.string().nullable(),
  country_code: z.string().nullable(),
  /** UTC ISO 8601. */
  start_time: z.string(),
  /** `horse`, `greyhound`, or the source's own word (a CSV column), null when unknown. */
  race_type: z.string().nullable(),
  market_type: z.string().nullable(),
  /** ISO 4217 of prices' stakes and volumes; null when the source does not say. */
  currency: z.string().nullable(),
  selections: z.array(selectionSchema),
});
export type Race = z.infer<typeof raceSchema>;

/** Race fields of one input record (one selection of one race: the seed's `Record`). */
export type RaceHeader = Omit<Race, 'selections' | 'start_time'> & { start_time_ms: number };

/** One input record before validation: where it came from, its race and its selection. */
export interface RaceRecord {
  locator: string;
  race: RaceHeader;
  selection: Selection;
}

export const rejectionCountsSchema = z.record(z.string(), z.number());

/** Betfair event type ids to the seed's race types. */
export function raceTypeOf(eventTypeId: string | null): string | null {
  if (eventTypeId === '7') return 'horse';
  if (eventTypeId === '4339') return 'greyhound';
  return null;
}
