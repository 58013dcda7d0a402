/**
 * `basketball_reference.season_totals {league, season}`: the season totals page of basketball-reference.com to a
 * HoopScout snapshot. Per-game values are totals / games (one decimal), percentages the page's fractions x 100
 * (one decimal), blank cells null. What the page does not show (birth date, nationality, height, weight, role, full
 * team names) is null, never guessed; the age the page shows (on 1 February of the season) is kept in
 * `source_metadata.age`.
 *
 * Traded players: the page has a combined `TOT` row and one row per team. A scout filters by team, competition and
 * season together (the seed's "same PlayerSeason context"), so each team stint is one record with that team's
 * numbers; the combined season line is not a team and is kept in each stint's `source_metadata.season_total`, so
 * the whole season is still readable without being counted twice.
 */
import { z } from 'zod';
import { parseError } from '../../../core/errors';
import type { SnapshotDoc, SnapshotRecord } from '../schema';
import { parseTotalsPage, type TotalsRow } from './bbref-parse';
import { isoDate, type Extractor } from './framework';

export const BBREF_HOST = 'https://www.basketball-reference.com';
export const BBREF_SOURCE = 'basketball_reference';

const params = z.strictObject({
  league: z.enum(['NBA', 'ABA', 'BAA']).default('NBA'),
  /** The season's ending year, as the site names it: 2019 is 2018-19. */
  season: z.coerce.number().int().min(1947).max(2100),
  include_raw_payload: z.boolean().default(false),
});
type Params = z.infer<typeof params>;

export const totalsUrl = (p: Pick<Params, 'league' | 'season'>) => `${BBREF_HOST}/leagues/${p.league}_${p.season}_totals.html`;
export const seasonLabel = (endYear: number) => `${endYear - 1}-${endYear}`;

const round1 = (x: number) => Math.round(x * 10) / 10;

function num(cells: Record<string, string>, stat: string): number | null {
  const v = cells[stat];
  if (v === undefined || v === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n)) throw parseError('BBREF_CELL', `${stat} is not a number: ${JSON.stringify(v)}`);
  return n;
}

function perGame(cells: Record<string, string>, stat: string, games: number): number | null {
  const total = num(cells, stat);
  return total === null || games === 0 ? null : round1(total / games);
}

function pct(cells: Record<string, string>, stat: string): number | null {
  const f = num(cells, stat);
  return f === null ? null : round1(f * 100);
}

function line(cells: Record<string, string>) {
  const g = num(cells, 'g');
  if (g === null) throw parseError('BBREF_CELL', `a row without games: ${JSON.stringify(cells.player)}`);
  return {
    games_played: g,
    minutes_per_game: perGame(cells, 'mp', g),
    points_per_game: perGame(cells, 'pts', g),
    rebounds_per_game: perGame(cells, 'trb', g),
    assists_per_game: perGame(cells, 'ast', g),
    steals_per_game: perGame(cells, 'stl', g),
    blocks_per_game: perGame(cells, 'blk', g),
    turnovers_per_game: perGame(cells, 'tov', g),
    fg_pct: pct(cells, 'fg_pct'),
    three_pt_pct: pct(cells, 'fg3_pct'),
    ft_pct: pct(cells, 'ft_pct'),
  };
}

function names(row: TotalsRow): { first: string | null; last: string | null } {
  // The page's own sort key `Last,First`; a single name (or none) leaves the split unknown.
  const parts = row.sort_name?.split(',');
  if (parts?.length !== 2 || !parts[0] || !parts[1]) return { first: null, last: null };
  return { first: parts[1].trim(), last: parts[0].trim() };
}

export function totalsToRecords(p: Params, rows: readonly TotalsRow[]): SnapshotRecord[] {
  const combined = new Map<string, TotalsRow>();
  for (const r of rows) if (r.kind === 'full' && r.cells.team_id === 'TOT') combined.set(r.player_id, r);
  const records: SnapshotRecord[] = [];
  for (const r of rows) {
    if (r.kind === 'full' && r.cells.team_id === 'TOT') continue; // the combined line: metadata of the stints
    const tot = combined.get(r.player_id);
    if (r.kind === 'partial' && !tot) throw parseError('BBREF_ROW_SHAPE', `a team row of ${r.player_id} without its TOT row`);
    const team = r.cells.team_id;
    if (!team) throw parseError('BBREF_CELL', `a row of ${r.player_id} without a team`);
    const { first, last } = names(r);
    records.push({
      competition_external_id: p.league,
      competition_name: p.league,
      season: seasonLabel(p.season),
      team_external_id: team,
      team_name: null,
      player_external_id: r.player_id,
      full_name: r.name,
      first_name: first,
      last_name: last,
      birth_date: null,
      nationality: null,
      height_cm: null,
      weight_kg: null,
      position: r.cells.pos || null,
      role: null,
      ...line(r.cells),
      source_metadata: {
        age: num(r.cells, 'age'),
        games_started: num(r.cells, 'gs'),
        traded: Boolean(tot),
        ...(tot ? { season_total: line(tot.cells) } : {}),
      },
      ...(p.include_raw_payload ? { raw_payload: r.cells } : {}),
    });
  }
  return records;
}

export const bbrefSeasonTotals: Extractor<Params> = {
  name: 'basketball_reference.season_totals',
  provider: 'basketball_reference',
  description: 'basketball-reference.com season totals page (one league and season) to a snapshot: one record per player and team stint.',
  paramsSchema: params as unknown as z.ZodType<Params>,
  requests: (p) => [{ resourceType: 'season_totals', resourceKey: `${p.league}_${p.season}`, url: totalsUrl(p) }],
  extract(p, pages, ctx): SnapshotDoc {
    const page = pages[0]!;
    if (page.status !== 200) throw parseError('BBREF_STATUS', `${page.url} answered ${page.status}`);
    const { title, rows } = parseTotalsPage(page.body);
    return {
      source_name: BBREF_SOURCE,
      snapshot_date: isoDate(ctx.now),
      records: totalsToRecords(p, rows),
      source_metadata: { url: totalsUrl(p), title, player_rows: rows.length, players: new Set(rows.map((r) => r.player_id)).size },
    };
  },
  fileName: (p, doc) => `${BBREF_SOURCE}/${p.league}/${seasonLabel(p.season)}/${doc.snapshot_date}.json`,
};
