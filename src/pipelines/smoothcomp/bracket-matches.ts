/**
 * Match and seat readers for the two bracket feeds (dossier §5):
 *  - `schedule/new/bracket.json/{bracketId}` [CAP VR]: `matches[]` with `seats[]` naming registrations;
 *  - `bracket/{bracketId}/getRenderData` [LIVE JF; SUP]: `state.matches` or, for round robin, `state.rounds`, with
 *    `{left,right}` seats whose `player` carries `profile_link` and `registration_id`.
 * BYE and placeholder seats ("Winner from 1-4", TBD) are kept as seats of their own kind, never dropped.
 */
import { z } from 'zod';
import { winMethod, WIN_METHODS } from './shared/win-method';
import { arr, bool, byKey, countryCode, id, int, obj, str } from './shared/values';

export const seatSchema = z.object({
  position: z.number(),
  kind: z.enum(['athlete', 'bye', 'placeholder', 'empty']),
  registration_id: z.string().nullable(),
  profile_id: z.string().nullable(),
  name: z.string().nullable(),
  club: z.string().nullable(),
  affiliation: z.string().nullable(),
  country_code: z.string().nullable(),
  is_winner: z.boolean(),
});
export const matchSchema = z.object({
  match_id: z.string().nullable(),
  number: z.number().nullable(),
  round: z.number().nullable(),
  round_label: z.string().nullable(),
  mat: z.string().nullable(),
  mat_match_nr: z.string().nullable(),
  state: z.string().nullable(),
  won_by: z.enum(WIN_METHODS).nullable(),
  won_by_raw: z.string().nullable(),
  time: z.string().nullable(),
  time_sec: z.number().nullable(),
  is_bye: z.boolean(),
  winner: z.object({ registration_id: z.string().nullable(), profile_id: z.string().nullable(), name: z.string().nullable() }).nullable(),
  seats: z.array(seatSchema),
  source: z.enum(['bracket_json', 'render_data']),
  /** Winner or method filled from getBracketMatchData because the bracket feed left them unknown. */
  detail_used: z.boolean(),
});
export type Seat = z.infer<typeof seatSchema>;
export type Match = z.infer<typeof matchSchema>;

function seatKind(type: string | null, name: string | null, hasReg: boolean): Seat['kind'] {
  if ((type && /bye/i.test(type)) || (name && /^\s*bye\s*$/i.test(name))) return 'bye';
  if (type === 'registration' || type === 'player' || hasReg) return 'athlete';
  return name ? 'placeholder' : 'empty';
}

function finish(m: Omit<Match, 'winner' | 'is_bye' | 'time_sec' | 'detail_used'> & { is_bye?: boolean }): Match {
  const w = m.seats.find((s) => s.is_winner);
  const byeSeat = m.seats.some((s) => s.kind === 'bye');
  const t = m.time ? /^(\d+):(\d{2})$/.exec(m.time) : null;
  return {
    ...m,
    is_bye: m.is_bye === true || byeSeat || m.won_by === 'bye',
    time_sec: t ? Number(t[1]) * 60 + Number(t[2]) : null,
    winner: w ? { registration_id: w.registration_id, profile_id: w.profile_id, name: w.name } : null,
    detail_used: false,
  };
}

/** "1-6" → mat "1" (mat number, then order on that mat). */
function matOf(matMatchNr: string | null): string | null {
  const m = matMatchNr ? /^(\d+)-\d+$/.exec(matMatchNr) : null;
  return m ? (m[1] ?? null) : null;
}

export function matchesFromBracketJson(data: unknown): Match[] {
  return arr(obj(data)?.matches)
    .map((raw) => {
      const m = obj(raw) ?? {};
      const seats = arr(m.seats).map((s, i): Seat => {
        const o = obj(s) ?? {};
        const reg = id(o.event_registration_id);
        const name = str(o.name);
        return {
          position: i,
          kind: seatKind(str(o.type), name, reg !== null),
          registration_id: reg,
          profile_id: null, // bracket.json seats name the registration, not the user
          name,
          club: str(o.club),
          affiliation: str(o.affiliation),
          country_code: countryCode(o.country),
          is_winner: bool(o.isWinner) === true,
        };
      });
      const matNr = str(m.mat_match_nr);
      return finish({
        match_id: id(m.id),
        number: int(m.match_nr),
        round: int(m.round),
        round_label: str(m.name),
        mat: matOf(matNr),
        mat_match_nr: matNr,
        state: str(m.state),
        won_by: winMethod(m.wonBy),
        won_by_raw: str(m.wonBy),
        time: str(m.time_passed),
        seats,
        source: 'bracket_json',
      });
    })
    .sort(byKey((m) => m.number ?? Number(m.match_id ?? 0)));
}

export interface RenderData {
  roundRobin: boolean;
  matches: Match[];
}

export function matchesFromRenderData(data: unknown): RenderData {
  const state = obj(obj(data)?.state) ?? {};
  const rounds = obj(state.rounds);
  const items: { round: number | null; m: Record<string, unknown> }[] = [];
  if (rounds && Object.keys(rounds).length > 0) {
    for (const k of Object.keys(rounds).sort((a, b) => Number(a) - Number(b))) {
      for (const m of arr(rounds[k])) items.push({ round: int(k), m: obj(m) ?? {} });
    }
  } else {
    for (const m of arr(state.matches)) items.push({ round: null, m: obj(m) ?? {} });
  }
  const matches = items.map(({ round, m }) => {
    const seats = (['left', 'right'] as const).map((side, i): Seat => {
      const o = obj(m[side]) ?? {};
      const player = obj(o.player) ?? {};
      const reg = id(player.registration_id);
      const name = str(player.name) ?? str(o.name);
      const link = str(player.profile_link);
      return {
        position: i,
        kind: seatKind(str(o.type), name, reg !== null),
        registration_id: reg,
        profile_id: link ? (/\/profile\/(\d+)/.exec(link)?.[1] ?? null) : null,
        name,
        club: str(player.club) ?? str(o.club),
        affiliation: null,
        country_code: countryCode(player.country) ?? countryCode(o.country),
        is_winner: bool(o.isWinner) === true || str(o.result) === 'won',
      };
    });
    const matNr = str(m.mat_match_nr);
    return finish({
      match_id: id(m.id),
      number: int(m.match_nr),
      round: int(m.round) ?? round,
      round_label: str(m.name),
      mat: str(m.mat_name) ?? matOf(matNr),
      mat_match_nr: matNr,
      state: str(m.state),
      won_by: winMethod(m.wonBy),
      won_by_raw: str(m.wonBy),
      time: null,
      is_bye: bool(m.isBye) === true,
      seats,
      source: 'render_data',
    });
  });
  return {
    roundRobin: !!rounds && Object.keys(rounds).length > 0,
    matches: matches.sort(byKey((m) => m.number ?? Number(m.match_id ?? 0))),
  };
}

export const placementSchema = z.object({
  placement: z.number().nullable(),
  name: z.string().nullable(),
  registration_id: z.string().nullable(),
  profile_id: z.string().nullable(),
  club: z.string().nullable(),
});
export type Placement = z.infer<typeof placementSchema>;

export function placementsFrom(data: unknown): Placement[] {
  const list = arr(obj(obj(data)?.placementTableState)?.placements);
  return list
    .map((raw) => {
      const p = obj(raw) ?? {};
      const club = obj(p.club);
      return {
        placement: int(p.placement),
        name: str(p.name),
        registration_id: id(p.registration_id) ?? id(p.event_registration_id),
        profile_id: id(p.user_id),
        club: club ? str(club.name) : str(p.club),
      };
    })
    .sort((a, b) => (a.placement ?? 99) - (b.placement ?? 99) || String(a.name).localeCompare(String(b.name)));
}
