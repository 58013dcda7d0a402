/**
 * Score parts and the winner. Every part the provider gives is kept under its own name (current, display,
 * normaltime, period1..n, extra1/2, overtime, penalties, aggregated, series, tennis point and tie-breaks, nested
 * cricket innings); a part that is absent or null stays absent: nothing is derived or filled in.
 */
import { obj, type Obj } from './values';

export type ScoreParts = { [part: string]: number | string | boolean | ScoreParts };

export function scoreParts(raw: unknown): ScoreParts {
  const o = obj(raw);
  const out: ScoreParts = {};
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) out[k] = v;
    } else if (typeof v === 'string' || typeof v === 'boolean') {
      out[k] = v;
    } else if (obj(v)) {
      const nested = scoreParts(v);
      if (Object.keys(nested).length) out[k] = nested;
    }
  }
  return out;
}

export const WINNERS = ['home', 'away', 'draw', 'none'] as const;
export type Winner = (typeof WINNERS)[number];

/** `winnerCode` 1 home, 2 away, 3 draw; absent (or any other value, kept raw beside it) is none. */
export function winnerFrom(event: Obj): Winner {
  switch (event.winnerCode) {
    case 1:
      return 'home';
    case 2:
      return 'away';
    case 3:
      return 'draw';
    default:
      return 'none';
  }
}
