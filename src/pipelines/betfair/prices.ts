/**
 * Prices to decimal odds. Inputs seen in racing data: decimal (`3.5`, Betfair), fractional (`5/2`, UK
 * bookmakers) and evens (`EVS`). Fractional a/b is decimal (a+b)/b; the fraction is kept beside the decimal so a
 * non-terminating value (`1/3` → 1.333…) loses nothing. Garbage is a `price_format` failure, never a guess.
 */
export interface Price {
  decimal: number;
  /** The fractional input as `a/b` (evens: `1/1`), null for a decimal input. */
  fraction: string | null;
}

export type PriceParse = { ok: true; price: Price | null } | { ok: false; message: string };

const FRACTION = /^(\d+)\s*[/-]\s*(\d+)$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;
const EVENS = /^(?:evs|evens|even|ev)$/i;

export function parsePrice(raw: unknown): PriceParse {
  if (raw === null || raw === undefined) return { ok: true, price: null };
  if (typeof raw === 'number')
    return Number.isFinite(raw)
      ? { ok: true, price: { decimal: raw, fraction: null } }
      : { ok: false, message: `price ${raw} is not a number` };
  const t = String(raw).trim();
  if (t === '' || t === '-' || t.toUpperCase() === 'NA' || t.toUpperCase() === 'N/A') return { ok: true, price: null };
  if (EVENS.test(t)) return { ok: true, price: { decimal: 2, fraction: '1/1' } };
  const f = FRACTION.exec(t);
  if (f) {
    const num = Number(f[1]);
    const den = Number(f[2]);
    if (den === 0) return { ok: false, message: `price "${t}" has a zero denominator` };
    return { ok: true, price: { decimal: (num + den) / den, fraction: `${num}/${den}` } };
  }
  if (DECIMAL.test(t)) return { ok: true, price: { decimal: Number(t), fraction: null } };
  return { ok: false, message: `price "${t}" is neither decimal, fractional (5/2) nor evens (EVS)` };
}

/** Volumes and other amounts: plain decimals, thousands separators tolerated, empty is null. */
export function parseAmount(raw: unknown): { ok: true; value: number | null } | { ok: false; message: string } {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  if (typeof raw === 'number') return Number.isFinite(raw) ? { ok: true, value: raw } : { ok: false, message: `${raw} is not a number` };
  const t = String(raw)
    .trim()
    .replace(/,(?=\d{3}(?:\D|$))/g, '');
  if (t === '') return { ok: true, value: null };
  if (!/^-?\d+(?:\.\d+)?$/.test(t)) return { ok: false, message: `"${String(raw).trim()}" is not a number` };
  return { ok: true, value: Number(t) };
}
