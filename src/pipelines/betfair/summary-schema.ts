/** Output schema of a reconstructed market (summary.ts), checked on every normalization. */
import { z } from 'zod';

const priceSize = z.tuple([z.number(), z.number()]);
const ns = z.string().nullable();
const nn = z.number().nullable();
const nb = z.boolean().nullable();

export const runnerSummarySchema = z.object({
  selection_id: z.number(),
  handicap: z.number(),
  name: ns,
  trap: nn,
  sort_priority: nn,
  status: z.string(),
  removal_date: ns,
  adjustment_factor: nn,
  bsp: nn,
  ltp_before_off: nn,
  ltp_last: nn,
  traded_volume_before_off: nn,
  traded_volume: nn,
  sp_near: nn,
  sp_far: nn,
  result: z.enum(['winner', 'placed', 'loser', 'removed']).nullable(),
  ladders_at_off: z.object({ back: z.array(priceSize), lay: z.array(priceSize), traded: z.array(priceSize) }).nullable(),
});

export const marketSummarySchema = z.object({
  market_id: z.string(),
  event_id: ns,
  event_name: ns,
  event_type_id: ns,
  venue: ns,
  country_code: ns,
  timezone: ns,
  market_type: ns,
  market_name: ns,
  betting_type: ns,
  market_time: ns,
  open_date: ns,
  number_of_winners: nn,
  bsp_market: nb,
  turn_in_play_enabled: nb,
  status: ns,
  in_play: nb,
  bsp_reconciled: nb,
  settled_time: ns,
  first_published: ns,
  last_published: ns,
  off_at: ns,
  off_source: z.enum(['in_play', 'suspended_after_start']).nullable(),
  timeline: z.array(z.object({ status: z.string(), in_play: z.boolean(), at: z.string() })),
  total_matched: nn,
  definitions: z.number(),
  changes: z.number(),
  runners: z.array(runnerSummarySchema),
});
