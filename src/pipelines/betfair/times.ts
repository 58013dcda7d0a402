/**
 * Date-times to UTC epoch ms. Inputs carry an offset (ISO `Z`/`+01:00`, Betfair's CSV `2024-09-07 00:00:00.000 Z`)
 * or are local wall-clock times of a configured IANA zone (a racecard's `14/06/2017 19:55` in Europe/London), or
 * epoch seconds/ms. Day-first is assumed for slashed dates: the sources are British and Australian. Local times are
 * resolved with Intl (workerd ships the tz database), DST gaps shift forward like every calendar does.
 */
const OFFSET_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const EPOCH = /^\d{10}(?:\d{3})?$/;

interface Fields {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

const dtfCache = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(zone: string): Intl.DateTimeFormat {
  let f = dtfCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    dtfCache.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at `utcMs`, in ms. */
function offsetAt(zone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of zoneFormat(zone).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

export function isValidZone(zone: string): boolean {
  try {
    zoneFormat(zone);
    return true;
  } catch {
    return false;
  }
}

function localToUtc(f: Fields, zone: string): number {
  const wall = Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s, f.ms);
  let utc = wall - offsetAt(zone, wall);
  // Second pass: the offset at the guessed instant may differ across a DST change.
  utc = wall - offsetAt(zone, utc);
  return utc;
}

function valid(f: Fields): boolean {
  if (f.mo < 1 || f.mo > 12 || f.d < 1 || f.h > 23 || f.mi > 59 || f.s > 59) return false;
  const check = new Date(Date.UTC(f.y, f.mo - 1, f.d));
  return check.getUTCDate() === f.d;
}

const num = (v: string | undefined): number => (v === undefined ? 0 : Number(v));
const frac = (v: string | undefined): number => (v === undefined ? 0 : Math.round(Number(`0.${v}`) * 1000));

export type TimeParse = { ok: true; ms: number } | { ok: false; message: string };

export function parseTime(raw: unknown, zone: string): TimeParse {
  if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, ms: raw < 1e11 ? raw * 1000 : raw };
  const t = typeof raw === 'string' ? raw.trim() : '';
  if (t === '') return { ok: false, message: 'no date-time' };
  if (EPOCH.test(t)) return { ok: true, ms: t.length === 10 ? Number(t) * 1000 : Number(t) };
  let m = OFFSET_TIME.exec(t);
  if (m) {
    const f: Fields = { y: num(m[1]), mo: num(m[2]), d: num(m[3]), h: num(m[4]), mi: num(m[5]), s: num(m[6]), ms: frac(m[7]) };
    if (!valid(f)) return { ok: false, message: `"${t}" is not a calendar date-time` };
    const off = m[8]!.toUpperCase();
    let offMs = 0;
    if (off !== 'Z') {
      const sign = off[0] === '-' ? -1 : 1;
      const digits = off.slice(1).replace(':', '');
      offMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
    }
    return { ok: true, ms: Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s, f.ms) - offMs };
  }
  m = LOCAL_ISO.exec(t);
  let f: Fields | null = null;
  if (m) f = { y: num(m[1]), mo: num(m[2]), d: num(m[3]), h: num(m[4]), mi: num(m[5]), s: num(m[6]), ms: frac(m[7]) };
  else {
    m = DAY_FIRST.exec(t);
    if (m) f = { y: num(m[3]), mo: num(m[2]), d: num(m[1]), h: num(m[4]), mi: num(m[5]), s: num(m[6]), ms: 0 };
  }
  if (!f) return { ok: false, message: `"${t}" is not a known date-time format (ISO 8601, YYYY-MM-DD HH:mm, DD/MM/YYYY HH:mm, epoch)` };
  if (!valid(f)) return { ok: false, message: `"${t}" is not a calendar date-time` };
  return { ok: true, ms: localToUtc(f, zone) };
}
