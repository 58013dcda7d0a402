/** Params and output schema of `liverc.event_deep`. Units: milliseconds for times, seconds for race length. */
import { z } from 'zod';
import { liveRcIdSchema, trackSlugSchema } from './urls';

export const eventDeepParamsSchema = z.object({
  track_slug: trackSlugSchema,
  event_id: liveRcIdSchema,
  refetch: z.boolean().default(false),
});
export type EventDeepParams = z.infer<typeof eventDeepParamsSchema>;

const id = z.string().regex(/^\d+$/);
const ms = z.number().int().nonnegative().nullable();
const count = z.number().int().nonnegative().nullable();
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .nullable();
/**
 * LiveRC shows track-local wall-clock time and never names the zone, so no offset can be given honestly; the
 * published JSON Schema says so, so a receiver does not read it as UTC.
 */
const isoLocal = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
  .describe("track-local wall-clock time, ISO 8601 without offset: LiveRC shows the track's local time and names no zone")
  .nullable();

export const eventSchema = z.object({
  source_event_id: id,
  track_slug: z.string(),
  track_name: z.string().nullable(),
  name: z.string(),
  date: isoDate,
  entries: count,
  drivers: count,
  total_race_laps: count,
  url: z.string().url(),
  entry_list_url: z.string().url(),
});

export const driverSchema = z.object({
  /** LiveRC driver id when known, else `entry_<name>` (a temporary id, as the ingestion spec allows). */
  driver_key: z.string(),
  source_driver_id: id.nullable(),
  driver_name: z.string(),
  /** For downstream fuzzy matching: lower case, accents and punctuation folded, "LAST, FIRST" turned around. */
  name_key: z.string(),
  /** Transponder numbers of this driver's entry-list rows (one per class; they may differ), sorted, unique. */
  transponders: z.array(z.string()),
});

export const entrySchema = z.object({
  driver_key: z.string(),
  source_driver_id: id.nullable(),
  driver_name: z.string(),
  class_name: z.string(),
  source_class_id: id.nullable(),
  entry_number: count,
  transponder: z.string().nullable(),
});

export const raceSchema = z.object({
  /** Null for a listed race without a LiveRC id; `race_key` is then synthetic (`syn-<round>-<title>`). */
  source_race_id: id.nullable(),
  race_key: z.string(),
  race_number: count,
  round: z.string().nullable(),
  class_name: z.string().nullable(),
  race_label: z.string(),
  /** The label without the class, e.g. "A-Main", "A3-Main", "Heat 1/3". */
  main_label: z.string().nullable(),
  /**
   * "Time Completed" on the event page: track-local wall clock. Named `_local`, not `_at`: every `*_at` of the
   * adapter is an instant with an offset, and LiveRC names no zone, so no instant can be derived without guessing.
   */
  completed_local: isoLocal,
  length_text: z.string().nullable(),
  duration_sec: count,
  url: z.string().url().nullable(),
  /** False when the race page answered 404: the race is listed in `missing_races`. */
  results_available: z.boolean(),
});

export const resultSchema = z.object({
  source_race_id: id,
  driver_key: z.string(),
  source_driver_id: id.nullable(),
  driver_name: z.string(),
  car_number: z.string().nullable(),
  status: z.enum(['classified', 'DNS']),
  position: count,
  qualifying_position: count,
  laps: count,
  total_time_ms: ms,
  behind: z.string().nullable(),
  fastest_lap_ms: ms,
  fastest_lap_number: count,
  avg_lap_ms: ms,
  avg_top5_ms: ms,
  avg_top10_ms: ms,
  avg_top15_ms: ms,
  top3_consecutive_ms: ms,
  std_deviation_ms: ms,
  consistency_pct: z.number().min(0).max(100).nullable(),
  lap_count: z.number().int().nonnegative(),
});

export const lapSchema = z.object({
  source_race_id: id,
  driver_key: z.string(),
  lap_number: z.number().int().positive(),
  position: count,
  lap_time_ms: ms,
});

export const eventDeepOutputSchema = z.object({
  event: eventSchema,
  drivers: z.array(driverSchema),
  entries: z.array(entrySchema),
  races: z.array(raceSchema),
  results: z.array(resultSchema),
  laps: z.array(lapSchema),
  /** True when the event page lists at least one race and every listed race was fetched and parsed. */
  complete: z.boolean(),
  /** Race ids listed on the event page whose result page answered 404 (sorted). */
  missing_races: z.array(id),
  counts: z.object({
    entries: z.number().int(),
    races: z.number().int(),
    results: z.number().int(),
    laps: z.number().int(),
  }),
  /** Parsing anomalies worth logging (lap-series length mismatch, unmatched drivers); not hashed. */
  _anomalies: z.array(z.string()),
});
export type EventDeepOutput = z.infer<typeof eventDeepOutputSchema>;
