/** The `racerLaps[driverId] = {...};` JavaScript blocks of a race result page: per-driver lap series. */
import { parseError } from '../../core/errors';
import { type JsValue, JsLiteralError, readJsLiteral } from './js-literal';
import { clockToMs, toInt } from './values';

export interface RacerLap {
  lapNumber: number;
  position: number | null;
  lapTimeMs: number | null;
}

export interface RacerLaps {
  driverId: string;
  driverName: string;
  laps: RacerLap[];
  /** The block's unrounded standard deviation (the results table rounds it to hundredths). */
  stdDeviationMs: number | null;
}

const BLOCK_RE = /racerLaps\[\s*['"]?(\d+)['"]?\s*\]\s*=\s*(?=\{)/g;

const str = (v: JsValue | undefined): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function parseRacerLaps(html: string): RacerLaps[] {
  const out: RacerLaps[] = [];
  BLOCK_RE.lastIndex = 0;
  for (let m = BLOCK_RE.exec(html); m; m = BLOCK_RE.exec(html)) {
    let value: JsValue;
    try {
      const r = readJsLiteral(html, m.index + m[0].length);
      value = r.value;
      BLOCK_RE.lastIndex = r.end;
    } catch (err) {
      if (err instanceof JsLiteralError) throw parseError('RACER_LAPS_UNREADABLE', `racerLaps[${m[1]}]: ${err.message}`);
      throw err;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw parseError('RACER_LAPS_UNREADABLE', `racerLaps[${m[1]}] is not an object`);
    }
    const rawLaps = value.laps;
    if (rawLaps !== undefined && !Array.isArray(rawLaps))
      throw parseError('RACER_LAPS_UNREADABLE', `racerLaps[${m[1]}].laps is not an array`);
    const laps: RacerLap[] = [];
    for (const l of rawLaps ?? []) {
      if (l === null || typeof l !== 'object' || Array.isArray(l)) continue;
      const lapNumber = toInt(str(l.lapNum));
      // Lap 0 is the start-line crossing (time 0), not a lap.
      if (lapNumber === null || lapNumber < 1) continue;
      laps.push({ lapNumber, position: toInt(str(l.pos)), lapTimeMs: clockToMs(str(l.time)) });
    }
    laps.sort((a, b) => a.lapNumber - b.lapNumber);
    out.push({
      driverId: m[1] ?? '',
      driverName: str(value.driverName).replace(/\s+/g, ' ').trim(),
      laps,
      stdDeviationMs: clockToMs(str(value.stdDeviation), false),
    });
  }
  return out;
}
