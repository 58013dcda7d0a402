/** `sofascore.tournament_seasons {unique_tournament_id}`: `/api/v1/unique-tournament/{id}/seasons`, newest first. */
import { z } from 'zod';
import { definePipeline } from '../../core/pipeline';
import { JSON_HEADERS, urls } from './provider';
import { idParam } from './schemas';
import { arr, bool, id, jsonBody, obj, requireResource, shapeError, str } from './values';

const params = z.strictObject({ unique_tournament_id: idParam });
type Params = z.infer<typeof params>;

export const seasonsOutput = z.object({
  unique_tournament_id: z.string(),
  seasons: z.array(
    z.object({ season_id: z.string(), name: z.string().nullable(), year: z.string().nullable(), editor: z.boolean().nullable() }),
  ),
});
export type SeasonsOutput = z.infer<typeof seasonsOutput>;

export const tournamentSeasonsPipeline = definePipeline<Params, Record<string, unknown>, SeasonsOutput>({
  name: 'sofascore.tournament_seasons',
  provider: 'sofascore',
  description: 'Seasons of one SofaScore unique tournament, newest first (provider order).',
  paramsSchema: params,
  scopeParams: ['unique_tournament_id'],
  parserVersion: 'sofascore.tournament_seasons.parse/1',
  normalizerVersion: 'sofascore.tournament_seasons.norm/1',
  outputSchema: seasonsOutput,
  plan: (p, fetched) =>
    fetched.length
      ? []
      : [
          {
            resourceType: 'seasons',
            resourceKey: p.unique_tournament_id,
            url: urls.seasons(p.unique_tournament_id),
            headers: JSON_HEADERS,
            optional: true,
          },
        ],
  parse: (p, fetched) => jsonBody(requireResource(fetched, 'seasons'), `unique tournament ${p.unique_tournament_id}`),
  normalize(p, body) {
    if (!Array.isArray(body.seasons)) throw shapeError('seasons', 'seasons');
    const seen = new Set<string>();
    const seasons = [];
    for (const raw of arr(body.seasons)) {
      const s = obj(raw);
      const sid = s ? id(s.id) : null;
      if (!s || sid === null) throw shapeError('seasons', 'seasons[].id');
      if (seen.has(sid)) continue;
      seen.add(sid);
      seasons.push({ season_id: sid, name: str(s.name), year: str(s.year), editor: bool(s.editor) });
    }
    return { unique_tournament_id: p.unique_tournament_id, seasons };
  },
  entities: (out) => out.seasons.map((s) => [`season:${s.season_id}`, s] as const),
});
