/**
 * `sofascore.round_matches {unique_tournament_id, season_id, round, slug?}`: the round's events,
 * `.../events/round/{round}` for league rounds and `.../events/round/{round}/slug/{slug}` for cup rounds. Each match
 * with its teams, UTC start time, canonical status, every score part and the winner; teams are entities of their
 * own (`team:<id>`). The lifecycle hook lists matches that became final or had a final result corrected.
 */
import { z } from 'zod';
import { definePipeline } from '../../core/pipeline';
import { matchLifecycle } from './lifecycle';
import { normalizeEvent, uniqueTeams } from './match-normalize';
import { JSON_HEADERS, urls } from './provider';
import { idParam, matchSchema, teamSchema, type Match, type Team } from './schemas';
import { arr, jsonBody, requireResource, shapeError } from './values';

const params = z.strictObject({
  unique_tournament_id: idParam,
  season_id: idParam,
  // A number when enqueued as JSON; a digit string when it arrives as a lookup's query filter.
  round: z.union([
    z.number().int().nonnegative().max(100_000),
    z
      .string()
      .regex(/^(0|[1-9]\d{0,4})$/)
      .transform(Number),
  ]),
  /** A cup round's slug from `season_rounds` (e.g. `qualification-round-2`); lower-case words and dashes. */
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(100)
    .optional(),
});
type Params = z.infer<typeof params>;

export const roundMatchesOutput = z.object({
  unique_tournament_id: z.string(),
  season_id: z.string(),
  round: z.number().int(),
  slug: z.string().nullable(),
  matches: z.array(matchSchema),
  teams: z.array(teamSchema),
});
export type RoundMatchesOutput = z.infer<typeof roundMatchesOutput>;

export const roundMatchesPipeline = definePipeline<Params, Record<string, unknown>, RoundMatchesOutput>({
  name: 'sofascore.round_matches',
  provider: 'sofascore',
  description:
    "One round's matches (cup rounds by slug): teams, UTC start time, canonical status, score parts, winner; lifecycle changes for settlement.",
  paramsSchema: params,
  scopeParams: ['unique_tournament_id', 'season_id', 'round', 'slug'],
  parserVersion: 'sofascore.round_matches.parse/1',
  normalizerVersion: 'sofascore.round_matches.norm/1',
  outputSchema: roundMatchesOutput,
  plan: (p, fetched) =>
    fetched.length
      ? []
      : [
          {
            resourceType: 'round_events',
            resourceKey: `${p.unique_tournament_id}:${p.season_id}:${p.round}:${p.slug ?? ''}`,
            url: urls.roundEvents(p.unique_tournament_id, p.season_id, p.round, p.slug),
            headers: JSON_HEADERS,
            optional: true,
          },
        ],
  parse: (p, fetched) =>
    jsonBody(requireResource(fetched, 'round_events'), `round ${p.round}${p.slug ? ` (${p.slug})` : ''} of season ${p.season_id}`),
  normalize(p, body) {
    if (!Array.isArray(body.events)) throw shapeError('round events', 'events');
    const matches = new Map<string, Match>();
    const teams: Team[] = [];
    for (const raw of arr(body.events)) {
      const n = normalizeEvent(raw, 'round events');
      if (!matches.has(n.match.match_id)) matches.set(n.match.match_id, n.match);
      teams.push(...n.teams);
    }
    return {
      unique_tournament_id: p.unique_tournament_id,
      season_id: p.season_id,
      round: p.round,
      slug: p.slug ?? null,
      matches: [...matches.values()].sort((a, b) => Number(a.match_id) - Number(b.match_id)),
      teams: uniqueTeams(teams),
    };
  },
  entities: (out) => [
    ...out.matches.map((m) => [`match:${m.match_id}`, m] as const),
    ...out.teams.map((t) => [`team:${t.team_id}`, t] as const),
  ],
  lifecycle: (previous, next) => matchLifecycle(previous?.matches ?? null, next.matches),
});
