/**
 * Reader for one match: `GET /{loc}/getBracketMatchData/{matchId}` (dossier §5 "One match" [CAP ZC, VR]; real body in
 * testdata/smoothcomp/real/). Each side is `{first_name, last_name, club, club_id, affiliation, country (English name),
 * country_flag (lower-case ISO-2), result, isWinner, wonBy (display text), score, penalty, advantage, id (= user id),
 * profile_link, age, weight ("62.40 kg"), wins}`; a BYE side is only `{first_name: "", last_name: "BYE"}`.
 * `matchInfo` carries round, state ("finished" for byes, "end" for fought matches), mat, match_number, bracket_id and
 * event_id. This is the only feed that names the win method per side and the score, penalties and advantages.
 */
import { z } from 'zod';
import { parseError } from '../../core/errors';
import { winMethod, WIN_METHODS } from './shared/win-method';
import { bool, countryCode, id, int, num, obj, str } from './shared/values';

export const matchSideSchema = z.object({
  side: z.enum(['left', 'right']),
  kind: z.enum(['athlete', 'bye', 'empty']),
  profile_id: z.string().nullable(),
  name: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  club: z.string().nullable(),
  club_id: z.string().nullable(),
  affiliation: z.string().nullable(),
  country: z.string().nullable(),
  country_code: z.string().nullable(),
  result: z.string().nullable(),
  is_winner: z.boolean(),
  score: z.number().nullable(),
  penalty: z.number().nullable(),
  advantage: z.number().nullable(),
  won_by: z.enum(WIN_METHODS).nullable(),
  won_by_raw: z.string().nullable(),
  age: z.number().nullable(),
  weight_kg: z.number().nullable(),
});
export const matchDetailSchema = z.object({
  match_id: z.string(),
  event_id: z.string().nullable(),
  bracket_id: z.string().nullable(),
  division: z.string().nullable(),
  round_label: z.string().nullable(),
  state: z.string().nullable(),
  finished: z.boolean(),
  match_number: z.number().nullable(),
  mat: z.string().nullable(),
  time: z.string().nullable(),
  is_bye: z.boolean(),
  winner_side: z.enum(['left', 'right']).nullable(),
  won_by: z.enum(WIN_METHODS).nullable(),
  won_by_raw: z.string().nullable(),
  sides: z.array(matchSideSchema),
});
export type MatchSide = z.infer<typeof matchSideSchema>;
export type MatchDetail = z.infer<typeof matchDetailSchema>;

function side(which: 'left' | 'right', raw: unknown): MatchSide {
  const o = obj(raw) ?? {};
  const first = str(o.first_name);
  const last = str(o.last_name);
  const name = [first, last].filter(Boolean).join(' ') || null;
  const kind: MatchSide['kind'] = name && /^bye$/i.test(name) ? 'bye' : name ? 'athlete' : 'empty';
  const link = str(o.profile_link);
  const weight = str(o.weight);
  const wonByRaw = str(o.wonBy);
  return {
    side: which,
    kind,
    profile_id: id(o.id) ?? (link ? (/\/profile\/(\d+)/.exec(link)?.[1] ?? null) : null),
    name,
    first_name: first,
    last_name: last,
    club: str(o.club),
    club_id: id(o.club_id),
    affiliation: str(o.affiliation),
    country: str(o.country),
    country_code: countryCode(o.country_flag),
    result: str(o.result),
    is_winner: bool(o.isWinner) === true || str(o.result) === 'won',
    score: num(o.score),
    penalty: num(o.penalty),
    advantage: num(o.advantage),
    won_by: winMethod(wonByRaw),
    won_by_raw: wonByRaw,
    age: int(o.age),
    weight_kg: weight ? num(/^\s*(\d+(?:[.,]\d+)?)/.exec(weight)?.[1]) : null,
  };
}

/** Reads a getBracketMatchData body; `matchId` comes from the URL (the body does not repeat it). */
export function parseMatchDetail(matchId: string, data: unknown): MatchDetail {
  const o = obj(data);
  if (!o || (!obj(o.left) && !obj(o.right)))
    throw parseError('SMOOTHCOMP_MATCH_SHAPE', `getBracketMatchData/${matchId} has no left/right sides`);
  const info = obj(o.matchInfo) ?? {};
  const sides = [side('left', o.left), side('right', o.right)];
  const winner = sides.find((s) => s.is_winner && s.kind === 'athlete') ?? null;
  const state = str(info.state);
  const isBye = sides.some((s) => s.kind === 'bye') || winner?.won_by === 'bye';
  return {
    match_id: matchId,
    event_id: id(info.event_id),
    bracket_id: id(info.bracket_id),
    division: str(o.group),
    round_label: str(info.round),
    state,
    // "finished" for byes, "end" for fought matches [CAP ZC, VR]
    finished: state !== null && /^(finished|end|ended|done|completed?)$/i.test(state),
    match_number: int(info.match_number),
    mat: str(info.mat),
    time: str(info.time),
    is_bye: isBye,
    winner_side: winner?.side ?? null,
    won_by: winner?.won_by ?? null,
    won_by_raw: winner?.won_by_raw ?? null,
    sides,
  };
}
