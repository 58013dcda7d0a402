/**
 * One SofaScore event object (from `/event/{id}` or a round's `events` list) to the canonical match and its two
 * teams. Fields are picked, not copied: user counts, colours, translations, feature flags and editor markers never
 * enter the output; the change timestamp is kept under `_changed_at`, outside the hashes.
 */
import type { Match, Team } from './schemas';
import { scoreParts, winnerFrom, type Winner } from './scores';
import { mapStatus } from './status';
import { arr, bool, id, int, isoFromUnix, obj, shapeError, str, type Obj } from './values';

export function normalizeTeam(raw: unknown): Team | null {
  const t = obj(raw);
  const teamId = t ? id(t.id) : null;
  if (!t || teamId === null) return null;
  return {
    team_id: teamId,
    name: str(t.name),
    short_name: str(t.shortName),
    full_name: str(t.fullName),
    slug: str(t.slug),
    name_code: str(t.nameCode),
    gender: str(t.gender),
    national: bool(t.national),
    country_alpha2: str(obj(t.country)?.alpha2),
    sport: str(obj(t.sport)?.slug),
  };
}

function winnerOf(code: unknown): Winner | null {
  return code === undefined || code === null ? null : winnerFrom({ winnerCode: code });
}

export function normalizeEvent(raw: unknown, where: string): { match: Match; teams: Team[] } {
  const e = obj(raw);
  const matchId = e ? id(e.id) : null;
  if (!e || matchId === null) throw shapeError(where, 'event.id');
  const tournament = obj(e.tournament) ?? {};
  const unique = obj(tournament.uniqueTournament) ?? {};
  const ri = obj(e.roundInfo);
  const changes = obj(e.changes) ?? {};
  const teams = [normalizeTeam(e.homeTeam), normalizeTeam(e.awayTeam)].filter((t): t is Team => t !== null);
  const match: Match = {
    match_id: matchId,
    custom_id: str(e.customId),
    slug: str(e.slug),
    sport: str(obj(obj(tournament.category)?.sport)?.slug),
    unique_tournament_id: id(unique.id),
    tournament_id: id(tournament.id),
    season_id: id(obj(e.season)?.id),
    round: ri ? { round: int(ri.round), slug: str(ri.slug), name: str(ri.name), prefix: str(ri.prefix) } : null,
    start_time: isoFromUnix(e.startTimestamp),
    home_team_id: id(obj(e.homeTeam)?.id),
    away_team_id: id(obj(e.awayTeam)?.id),
    status: mapStatus(e.status),
    winner: winnerFrom(e),
    winner_code: int(e.winnerCode),
    aggregated_winner: winnerOf(e.aggregatedWinnerCode),
    scores: { home: scoreParts(e.homeScore), away: scoreParts(e.awayScore) },
    red_cards: { home: int(e.homeRedCards), away: int(e.awayRedCards) },
    final_result_only: bool(e.finalResultOnly),
    _changed_at: typeof changes.changeTimestamp === 'number' && changes.changeTimestamp > 0 ? changes.changeTimestamp : null,
    _changed_fields: arr(changes.changes).filter((c): c is string => typeof c === 'string'),
  };
  return { match, teams };
}

/** Teams by id, sorted; the same team named twice (home in one match, away in another) appears once. */
export function uniqueTeams(teams: Iterable<Team>): Team[] {
  const byId = new Map<string, Team>();
  for (const t of teams) if (!byId.has(t.team_id)) byId.set(t.team_id, t);
  return [...byId.values()].sort((a, b) => Number(a.team_id) - Number(b.team_id));
}

export type { Obj };
