/**
 * Where `bracket.json` (or render data) leaves a finished match's winner or method unknown, event_brackets asks
 * `getBracketMatchData/{match_id}` for it, at most `match_detail_limit` matches per job (each one is a request at
 * the provider's crawl delay). The detail names sides by first and last name and user id, bracket.json seats by
 * registration: sides are paired with seats by normalized name, never by position alone.
 */
import type { Match, Seat } from './bracket-matches';
import type { MatchDetail } from './match-detail-parse';

const DONE = /^(finished|end|ended|done|completed?)$/i;

/** A match whose outcome the bracket feed should know but does not. */
export function needsMatchDetail(m: Match): boolean {
  if (!m.match_id || !m.state || !DONE.test(m.state)) return false;
  if (m.seats.filter((s) => s.kind === 'athlete').length === 0) return false;
  return m.winner === null || m.won_by === null;
}

const nameKey = (s: string | null) =>
  (s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Fills winner, method and seat profile ids from the match detail; what the bracket feed knew is kept. */
export function applyMatchDetail(m: Match, d: MatchDetail): Match {
  const seatFor = (name: string | null): Seat | undefined => {
    const k = nameKey(name);
    return k === '' ? undefined : m.seats.find((s) => s.kind === 'athlete' && nameKey(s.name) === k);
  };
  const seats = m.seats.map((s) => {
    const side = s.kind === 'athlete' ? d.sides.find((x) => x.kind === 'athlete' && nameKey(x.name) === nameKey(s.name)) : undefined;
    return side ? { ...s, profile_id: s.profile_id ?? side.profile_id, is_winner: s.is_winner || d.winner_side === side.side } : s;
  });
  const winSide = d.sides.find((x) => x.side === d.winner_side && x.kind === 'athlete');
  const winSeat = winSide ? seatFor(winSide.name) : undefined;
  let winner = m.winner;
  if (!winner && winSide)
    winner = { registration_id: winSeat?.registration_id ?? null, profile_id: winSide.profile_id, name: winSeat?.name ?? winSide.name };
  else if (winner && winSide && winner.profile_id === null && nameKey(winner.name) === nameKey(winSide.name))
    winner = { ...winner, profile_id: winSide.profile_id };
  return { ...m, seats, winner, won_by: m.won_by ?? d.won_by, won_by_raw: m.won_by_raw ?? d.won_by_raw, detail_used: true };
}
