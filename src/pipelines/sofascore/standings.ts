/**
 * `sofascore.standings {unique_tournament_id, season_id, type: total|home|away}`: `.../standings/{type}`. One table
 * per group (leagues have one); rows with team, position, played, wins, draws, losses, goals for/against, points and
 * promotion/relegation marks. A collector's `{"__trimmed__": n}` row (a capture cut short) is not a team: it is
 * counted in `trimmed_rows` and the table says `complete: false`. `updatedAtTimestamp` is volatile (`_updated_at`).
 */
import { z } from 'zod';
import { definePipeline } from '../../core/pipeline';
import { normalizeTeam, uniqueTeams } from './match-normalize';
import { JSON_HEADERS, urls } from './provider';
import { idParam, teamSchema, type Team } from './schemas';
import { arr, id, int, isoFromUnix, jsonBody, obj, requireResource, shapeError, str } from './values';

const params = z.strictObject({ unique_tournament_id: idParam, season_id: idParam, type: z.enum(['total', 'home', 'away']) });
type Params = z.infer<typeof params>;

const mark = z.object({ id: z.string().nullable(), text: z.string().nullable() }).nullable();
const rowSchema = z.object({
  row_id: z.string().nullable(),
  team_id: z.string(),
  position: z.number().int().nullable(),
  played: z.number().int().nullable(),
  wins: z.number().int().nullable(),
  draws: z.number().int().nullable(),
  losses: z.number().int().nullable(),
  goals_for: z.number().int().nullable(),
  goals_against: z.number().int().nullable(),
  points: z.number().int().nullable(),
  promotion: mark,
});
export const standingsOutput = z.object({
  unique_tournament_id: z.string(),
  season_id: z.string(),
  type: z.enum(['total', 'home', 'away']),
  tables: z.array(
    z.object({
      standing_id: z.string(),
      name: z.string().nullable(),
      tie_breaking_rule: z.string().nullable(),
      rows: z.array(rowSchema),
      trimmed_rows: z.number().int(),
      complete: z.boolean(),
      _updated_at: z.string().nullable().optional(),
    }),
  ),
  teams: z.array(teamSchema),
});
export type StandingsOutput = z.infer<typeof standingsOutput>;

function markOf(v: unknown) {
  const m = obj(v);
  return m ? { id: id(m.id), text: str(m.text) } : null;
}

export const standingsPipeline = definePipeline<Params, Record<string, unknown>, StandingsOutput>({
  name: 'sofascore.standings',
  provider: 'sofascore',
  description:
    'Standings of a season (total, home or away): team, position, played, W/D/L, goals for/against, points, promotion/relegation marks.',
  paramsSchema: params,
  scopeParams: ['unique_tournament_id', 'season_id', 'type'],
  parserVersion: 'sofascore.standings.parse/1',
  normalizerVersion: 'sofascore.standings.norm/1',
  outputSchema: standingsOutput,
  plan: (p, fetched) =>
    fetched.length
      ? []
      : [
          {
            resourceType: 'standings',
            resourceKey: `${p.unique_tournament_id}:${p.season_id}:${p.type}`,
            url: urls.standings(p.unique_tournament_id, p.season_id, p.type),
            headers: JSON_HEADERS,
            optional: true,
          },
        ],
  parse: (p, fetched) => jsonBody(requireResource(fetched, 'standings'), `${p.type} standings of season ${p.season_id}`),
  normalize(p, body) {
    if (!Array.isArray(body.standings)) throw shapeError('standings', 'standings');
    const teams: Team[] = [];
    const tables = arr(body.standings).map((rawTable) => {
      const t = obj(rawTable);
      const sid = t ? id(t.id) : null;
      if (!t || sid === null) throw shapeError('standings', 'standings[].id');
      let trimmed = 0;
      const rows = [];
      for (const rawRow of arr(t.rows)) {
        const r = obj(rawRow);
        if (r && typeof r.__trimmed__ === 'number') {
          trimmed += r.__trimmed__;
          continue;
        }
        const team = normalizeTeam(r?.team);
        if (!r || !team) throw shapeError('standings', 'standings[].rows[].team.id');
        teams.push(team);
        rows.push({
          row_id: id(r.id),
          team_id: team.team_id,
          position: int(r.position),
          played: int(r.matches),
          wins: int(r.wins),
          draws: int(r.draws),
          losses: int(r.losses),
          goals_for: int(r.scoresFor),
          goals_against: int(r.scoresAgainst),
          points: int(r.points),
          promotion: markOf(r.promotion),
        });
      }
      return {
        standing_id: sid,
        name: str(t.name),
        tie_breaking_rule: str(obj(t.tieBreakingRule)?.text),
        rows,
        trimmed_rows: trimmed,
        complete: trimmed === 0,
        _updated_at: isoFromUnix(t.updatedAtTimestamp),
      };
    });
    return { unique_tournament_id: p.unique_tournament_id, season_id: p.season_id, type: p.type, tables, teams: uniqueTeams(teams) };
  },
  entities: (out) => [
    ...out.tables.flatMap((t) => t.rows.map((r) => [`standing_row:${t.standing_id}:${r.team_id}`, r] as const)),
    ...out.teams.map((t) => [`team:${t.team_id}`, t] as const),
  ],
});
