/**
 * Value normalization for LiveRC's display strings. Units used in every output: durations and lap times in
 * integer milliseconds, race length in seconds, dates as ISO `YYYY-MM-DD`, wall-clock times as ISO local date-times
 * without an offset (LiveRC shows track-local time and never says which zone).
 */

/** "4,129" → 4129; blank or non-numeric → null. */
export function toInt(s: string | null | undefined): number | null {
  if (s == null) return null;
  const t = s.replace(/[,\s]/g, '');
  if (!/^-?\d+$/.test(t)) return null;
  return Number.parseInt(t, 10);
}

/** "92.82%" / "2.80" → number; blank → null. */
export function toNumber(s: string | null | undefined): number | null {
  if (s == null) return null;
  const t = s.replace(/[,%\s]/g, '');
  if (!/^-?(?:\d+\.?\d*|\.\d+)$/.test(t)) return null;
  return Number(t);
}

/** "37.234", "1:51.828", "1:02:03.5" → milliseconds; "0", blank → null when `zeroIsNull`. */
export function clockToMs(s: string | null | undefined, zeroIsNull = true): number | null {
  if (s == null) return null;
  const t = s.trim();
  const m = /^(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d+)?)$/.exec(t);
  if (!m) return null;
  const ms = Math.round(((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3])) * 1000);
  return zeroIsNull && ms === 0 ? null : ms;
}

/** "47/30:31.382" → laps 47, total 1831382 ms; "0" → laps 0, total null. */
export function parseLapsTime(s: string): { laps: number | null; totalTimeMs: number | null } {
  const t = s.trim();
  const m = /^(\d+)\s*\/\s*(\S+)$/.exec(t);
  if (m) return { laps: Number(m[1]), totalTimeMs: clockToMs(m[2] ?? '') };
  const n = toInt(t);
  return { laps: n, totalTimeMs: null };
}

/** "30:00 Timed" → 1800 seconds; anything else → null. */
export function parseLengthSec(s: string | null): number | null {
  if (!s) return null;
  const m = /^(?:(\d+):)?(\d+):(\d{2})\b/.exec(s.trim());
  if (!m) return null;
  return (Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3]);
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function validDate(y: number, mo: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** "Nov 16, 2025" (first date of a range like "Apr 23, 2025 to Apr 27, 2025") → "2025-11-16". */
export function parseUsDate(s: string): string | null {
  const m = /([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),\s*(\d{4})/.exec(s);
  if (!m) return null;
  const mo = MONTHS[(m[1] ?? '').toLowerCase()];
  const d = Number(m[2]);
  const y = Number(m[3]);
  if (!mo || !validDate(y, mo, d)) return null;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

/** "Nov 16, 2025 at 5:30pm" → "2025-11-16T17:30:00" (track-local). */
export function parseCompletedAt(s: string): string | null {
  const date = parseUsDate(s);
  const m = /at\s+(\d{1,2}):(\d{2})\s*([ap])\.?m\.?/i.exec(s);
  if (!date || !m) return null;
  let h = Number(m[1]) % 12;
  if ((m[3] ?? '').toLowerCase() === 'p') h += 12;
  const min = Number(m[2]);
  if (min > 59) return null;
  return `${date}T${pad(h)}:${pad(min)}:00`;
}

/** "2025-11-16 08:30:00" → date and local date-time; zero dates → nulls. */
export function parseSqlDateTime(s: string): { date: string | null; local: string | null } {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s.trim());
  if (!m) return { date: null, local: null };
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (!validDate(y, mo, d)) return { date: null, local: null };
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  const local = m[4] ? `${date}T${m[4]}:${m[5]}:${m[6] ?? '00'}` : null;
  return { date, local };
}
