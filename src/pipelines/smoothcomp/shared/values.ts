/** Tolerant readers for Smoothcomp values: numbers arrive as strings ("69.50", "3"), text with trailing spaces. */

export function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const s = String(v).replace(/\s+/g, ' ').trim();
  return s === '' ? null : s;
}

export function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = v.trim().replace(',', '.');
  if (!/^[-+]?\d+(\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

export function int(v: unknown): number | null {
  const n = num(v);
  return n === null || !Number.isInteger(n) ? null : n;
}

/** An id as a decimal string (ids are compared and keyed as strings). */
export function id(v: unknown): string | null {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return String(v);
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) return String(Number(v.trim()));
  return null;
}

export function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true') return true;
  if (v === 0 || v === '0' || v === 'false') return false;
  return null;
}

/** A coordinate; `"0.0000000"` (Smoothcomp's "unknown") becomes null. */
export function coord(v: unknown): number | null {
  const n = num(v);
  return n === null || n === 0 ? null : n;
}

/** ISO-2 (or Smoothcomp's own GB-ENG style) country code in upper case; names are not codes. */
export function countryCode(v: unknown): string | null {
  const s = str(v);
  if (!s) return null;
  return /^[A-Za-z]{2,3}(-[A-Za-z]{2,3})?$/.test(s) ? s.toUpperCase() : null;
}

export function isoDate(v: unknown): string | null {
  const s = str(v);
  if (!s) return null;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(s);
  return m ? (m[1] ?? null) : null;
}

export function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

export function arr(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  // PHP/Laravel serializes sparse arrays as {"0": {...}, "1": {...}}.
  const o = obj(v);
  if (o && Object.keys(o).every((k) => /^\d+$/.test(k))) {
    return Object.keys(o)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => o[k]);
  }
  return [];
}

export function byKey<T>(key: (t: T) => string | number) {
  return (a: T, b: T): number => {
    const ka = key(a);
    const kb = key(b);
    if (typeof ka === 'number' && typeof kb === 'number') return ka - kb;
    const sa = String(ka);
    const sb = String(kb);
    if (/^\d+$/.test(sa) && /^\d+$/.test(sb) && sa.length !== sb.length) return sa.length - sb.length;
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  };
}
