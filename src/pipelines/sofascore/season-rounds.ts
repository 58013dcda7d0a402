/**
 * `sofascore.season_rounds {unique_tournament_id, season_id}`: `.../season/{sid}/rounds`. League rounds are bare
 * numbers; cup rounds carry `slug`, `name` and sometimes `prefix`, and two cup rounds may share a number, so a
 * round's key is its number plus its slug (the slug is what `round_matches` addresses it by).
 */
import { z } from 'zod';
import { definePipeline } from '../../core/pipeline';
import { JSON_HEADERS, urls } from './provider';
import { idParam, roundInfoSchema } from './schemas';
import { arr, int, jsonBody, obj, requireResource, shapeError, str } from './values';

const params = z.strictObject({ unique_tournament_id: idParam, season_id: idParam });
type Params = z.infer<typeof params>;

const roundSchema = roundInfoSchema.extend({ round: z.number().int(), key: z.string() });
export const roundsOutput = z.object({
  unique_tournament_id: z.string(),
  season_id: z.string(),
  current_round: roundSchema.nullable(),
  rounds: z.array(roundSchema),
});
export type RoundsOutput = z.infer<typeof roundsOutput>;

function round(raw: unknown, where: string) {
  const r = obj(raw);
  const n = r ? int(r.round) : null;
  if (!r || n === null) throw shapeError('rounds', where);
  const slug = str(r.slug);
  return { round: n, slug, name: str(r.name), prefix: str(r.prefix), key: slug ? `${n}:${slug}` : String(n) };
}

export const seasonRoundsPipeline = definePipeline<Params, Record<string, unknown>, RoundsOutput>({
  name: 'sofascore.season_rounds',
  provider: 'sofascore',
  description: 'Rounds of one season: the current round, league rounds, and cup rounds with their slug, prefix and name.',
  paramsSchema: params,
  scopeParams: ['unique_tournament_id', 'season_id'],
  parserVersion: 'sofascore.season_rounds.parse/1',
  normalizerVersion: 'sofascore.season_rounds.norm/1',
  outputSchema: roundsOutput,
  plan: (p, fetched) =>
    fetched.length
      ? []
      : [
          {
            resourceType: 'rounds',
            resourceKey: `${p.unique_tournament_id}:${p.season_id}`,
            url: urls.rounds(p.unique_tournament_id, p.season_id),
            headers: JSON_HEADERS,
            optional: true,
          },
        ],
  parse: (p, fetched) =>
    jsonBody(requireResource(fetched, 'rounds'), `season ${p.season_id} of unique tournament ${p.unique_tournament_id}`),
  normalize(p, body) {
    if (!Array.isArray(body.rounds)) throw shapeError('rounds', 'rounds');
    const byKey = new Map<string, ReturnType<typeof round>>();
    for (const raw of arr(body.rounds)) {
      const r = round(raw, 'rounds[].round');
      if (!byKey.has(r.key)) byKey.set(r.key, r);
    }
    return {
      unique_tournament_id: p.unique_tournament_id,
      season_id: p.season_id,
      current_round: body.currentRound === undefined || body.currentRound === null ? null : round(body.currentRound, 'currentRound.round'),
      rounds: [...byKey.values()],
    };
  },
  entities: (out) => out.rounds.map((r) => [`round:${out.season_id}:${r.key}`, r] as const),
});
