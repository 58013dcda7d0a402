/**
 * The track list shows "Last Updated" as relative text ("3 hours ago", "Yesterday", "last month"). Turned into an
 * absolute time against the moment the page was fetched; the precision says how coarse the text was, since
 * "last month" can be anything from 30 to 59 days back. Unknown text gives null, never a guess.
 */
export type Precision = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

const UNIT: Record<string, Precision> = {
  minute: 'minute',
  minutes: 'minute',
  hour: 'hour',
  hours: 'hour',
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
  month: 'month',
  months: 'month',
  year: 'year',
  years: 'year',
};
const MS: Record<'minute' | 'hour' | 'day' | 'week', number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

export function absoluteFromRelative(text: string | null, fetchedAtMs: number | null): { at: string; precision: Precision } | null {
  if (!text || fetchedAtMs === null) return null;
  const t = text.trim().toLowerCase();
  let n: number;
  let unit: Precision | undefined;
  const m = /^(\d+|an?|one)\s+(minutes?|hours?|days?|weeks?|months?|years?)\s+ago$/.exec(t);
  if (m) {
    n = /^\d+$/.test(m[1] ?? '') ? Number(m[1]) : 1;
    unit = UNIT[m[2] ?? ''];
  } else if (t === 'yesterday') {
    n = 1;
    unit = 'day';
  } else if (/^(just now|now|a few seconds ago|seconds ago)$/.test(t)) {
    n = 0;
    unit = 'minute';
  } else {
    const last = /^last\s+(week|month|year)$/.exec(t);
    if (!last) return null;
    n = 1;
    unit = UNIT[last[1] ?? ''];
  }
  if (!unit) return null;
  const d = new Date(fetchedAtMs);
  if (unit === 'month') d.setUTCMonth(d.getUTCMonth() - n);
  else if (unit === 'year') d.setUTCFullYear(d.getUTCFullYear() - n);
  else d.setTime(d.getTime() - n * MS[unit]);
  return { at: d.toISOString(), precision: unit };
}
