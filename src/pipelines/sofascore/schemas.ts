/** Output schemas shared by the SofaScore pipelines. Ids are strings, times UTC ISO strings. */
import { z } from 'zod';
import { WINNERS } from './scores';
import { CANONICAL_STATUSES, ENDED_BY } from './status';

export const idParam = z.union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative()]).transform((v) => String(Number(v)));

export const teamSchema = z.object({
  team_id: z.string(),
  name: z.string().nullable(),
  short_name: z.string().nullable(),
  full_name: z.string().nullable(),
  slug: z.string().nullable(),
  name_code: z.string().nullable(),
  gender: z.string().nullable(),
  national: z.boolean().nullable(),
  country_alpha2: z.string().nullable(),
  sport: z.string().nullable(),
});
export type Team = z.infer<typeof teamSchema>;

const scorePartsSchema: z.ZodType<Record<string, unknown>> = z.record(
  z.string(),
  z.union([z.number(), z.string(), z.boolean(), z.lazy(() => scorePartsSchema)]),
);

export const statusSchema = z.object({
  status: z.enum(CANONICAL_STATUSES),
  period: z.string().nullable(),
  ended_by: z.enum(ENDED_BY).nullable(),
  final: z.boolean(),
  code: z.number().int().nullable(),
  type: z.string().nullable(),
  description: z.string().nullable(),
  type_mismatch: z.boolean(),
});

export const roundInfoSchema = z.object({
  round: z.number().int().nullable(),
  slug: z.string().nullable(),
  name: z.string().nullable(),
  prefix: z.string().nullable(),
});

export const matchSchema = z.object({
  match_id: z.string(),
  custom_id: z.string().nullable(),
  slug: z.string().nullable(),
  sport: z.string().nullable(),
  unique_tournament_id: z.string().nullable(),
  tournament_id: z.string().nullable(),
  season_id: z.string().nullable(),
  round: roundInfoSchema.nullable(),
  start_time: z.string().nullable(),
  home_team_id: z.string().nullable(),
  away_team_id: z.string().nullable(),
  status: statusSchema,
  winner: z.enum(WINNERS),
  winner_code: z.number().int().nullable(),
  aggregated_winner: z.enum(WINNERS).nullable(),
  scores: z.object({ home: scorePartsSchema, away: scorePartsSchema }),
  red_cards: z.object({ home: z.number().int().nullable(), away: z.number().int().nullable() }),
  final_result_only: z.boolean().nullable(),
  /** Provider time of the latest change (`changes.changeTimestamp`): volatile, out of every hash; lifecycle uses it. */
  _changed_at: z.number().nullable().optional(),
  _changed_fields: z.array(z.string()).optional(),
});
export type Match = z.infer<typeof matchSchema>;
