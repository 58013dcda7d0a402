/**
 * The records of one (source, competition, season) to the entities the seed upserts (Competition, Season, Team,
 * Player, PlayerSeason, PlayerSeasonStats), keyed by the source's external ids so the publication diff names the
 * added/removed/changed players and stat lines. A player season is (player, team): a traded player has one line per
 * team, as a team filter needs. `raw_payload` is not republished (it stays in the archived file and raw snapshot).
 */
import { z } from 'zod';
import type { SnapshotRecord } from './schema';

const nStr = z.string().nullable();
const nNum = z.number().nullable();
export const playerSchema = z.object({
  external_id: z.string(),
  full_name: z.string(),
  first_name: nStr,
  last_name: nStr,
  birth_date: nStr,
  nationality: nStr,
  height_cm: nNum,
  weight_kg: nNum,
});
export const statsSchema = z.object({
  games_played: z.number().int(),
  minutes_per_game: nNum,
  points_per_game: nNum,
  rebounds_per_game: nNum,
  assists_per_game: nNum,
  steals_per_game: nNum,
  blocks_per_game: nNum,
  turnovers_per_game: nNum,
  fg_pct: nNum,
  three_pt_pct: nNum,
  ft_pct: nNum,
});
export const playerSeasonSchema = z.object({
  player_external_id: z.string(),
  team_external_id: z.string(),
  position: nStr,
  role: nStr,
  source_metadata: z.record(z.string(), z.unknown()),
  stats: statsSchema,
});
export const seasonOutput = z.object({
  source_name: z.string(),
  competition: z.object({ external_id: z.string(), name: z.string() }),
  season: z.string(),
  teams: z.array(z.object({ external_id: z.string(), name: nStr })),
  players: z.array(playerSchema),
  player_seasons: z.array(playerSeasonSchema),
  record_count: z.number().int(),
  /** Outside the hashes (leading `_`): a new file with the same data publishes nothing. */
  _snapshot_date: z.string(),
  _file_sha256: z.string(),
  _file_key: z.string(),
});
export type SeasonOutput = z.infer<typeof seasonOutput>;

const byId = <T extends { external_id: string }>(a: T, b: T) =>
  a.external_id < b.external_id ? -1 : a.external_id > b.external_id ? 1 : 0;

export function normalizeSeason(
  records: readonly SnapshotRecord[],
  meta: { source_name: string; snapshot_date: string; sha256: string; key: string },
): SeasonOutput {
  const first = records[0]!;
  const teams = new Map<string, { external_id: string; name: string | null }>();
  const players = new Map<string, z.infer<typeof playerSchema>>();
  const lines: Array<z.infer<typeof playerSeasonSchema>> = [];
  for (const r of records) {
    teams.set(r.team_external_id, { external_id: r.team_external_id, name: r.team_name });
    players.set(r.player_external_id, {
      external_id: r.player_external_id,
      full_name: r.full_name,
      first_name: r.first_name,
      last_name: r.last_name,
      birth_date: r.birth_date,
      nationality: r.nationality,
      height_cm: r.height_cm,
      weight_kg: r.weight_kg,
    });
    lines.push({
      player_external_id: r.player_external_id,
      team_external_id: r.team_external_id,
      position: r.position,
      role: r.role,
      source_metadata: r.source_metadata ?? {},
      stats: {
        games_played: r.games_played,
        minutes_per_game: r.minutes_per_game,
        points_per_game: r.points_per_game,
        rebounds_per_game: r.rebounds_per_game,
        assists_per_game: r.assists_per_game,
        steals_per_game: r.steals_per_game,
        blocks_per_game: r.blocks_per_game,
        turnovers_per_game: r.turnovers_per_game,
        fg_pct: r.fg_pct,
        three_pt_pct: r.three_pt_pct,
        ft_pct: r.ft_pct,
      },
    });
  }
  lines.sort((a, b) => (lineKey(a) < lineKey(b) ? -1 : lineKey(a) > lineKey(b) ? 1 : 0));
  return {
    source_name: meta.source_name,
    competition: { external_id: first.competition_external_id, name: first.competition_name },
    season: first.season,
    teams: [...teams.values()].sort(byId),
    players: [...players.values()].sort(byId),
    player_seasons: lines,
    record_count: records.length,
    _snapshot_date: meta.snapshot_date,
    _file_sha256: meta.sha256,
    _file_key: meta.key,
  };
}

const enc = encodeURIComponent;
function lineKey(l: { player_external_id: string; team_external_id: string }): string {
  return `${enc(l.player_external_id)}/${enc(l.team_external_id)}`;
}

export function* seasonEntities(n: SeasonOutput): Generator<readonly [string, unknown]> {
  yield [`competition:${enc(n.competition.external_id)}`, n.competition];
  yield [
    `season:${enc(n.competition.external_id)}/${enc(n.season)}`,
    { competition_external_id: n.competition.external_id, season: n.season },
  ];
  for (const t of n.teams) yield [`team:${enc(t.external_id)}`, t];
  for (const p of n.players) yield [`player:${enc(p.external_id)}`, p];
  for (const l of n.player_seasons) {
    const { stats, ...season } = l;
    yield [`player_season:${lineKey(l)}`, season];
    yield [`player_season_stats:${lineKey(l)}`, stats];
  }
}
