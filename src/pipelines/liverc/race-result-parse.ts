/** Parser for a race result page, `?p=view_race_result&id=N`: the `table.race_result` and its racerLaps blocks. */
import { parseError } from '../../core/errors';
import { attr, hiddenOrText, rows, sliceElement, spanText, lineText } from './html';
import { type RacerLaps, parseRacerLaps } from './racer-laps';
import { clockToMs, parseLapsTime, parseLengthSec, toInt, toNumber } from './values';

export interface ParsedResultRow {
  position: number | null;
  driverName: string;
  /** From the row's "View Laps" link; absent for drivers who did not start. */
  linkedDriverId: string | null;
  carNumber: string | null;
  qualifyingPosition: number | null;
  laps: number | null;
  totalTimeMs: number | null;
  behind: string | null;
  fastestLapMs: number | null;
  fastestLapNumber: number | null;
  avgLapMs: number | null;
  avgTop5Ms: number | null;
  avgTop10Ms: number | null;
  avgTop15Ms: number | null;
  top3ConsecutiveMs: number | null;
  stdDeviationMs: number | null;
  consistencyPct: number | null;
}

export interface ParsedRaceResult {
  raceNumber: number | null;
  title: string | null;
  round: string | null;
  lengthText: string | null;
  durationSec: number | null;
  rows: ParsedResultRow[];
  racerLaps: RacerLaps[];
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

export function parseRaceResult(html: string, raceId: string): ParsedRaceResult {
  const table = sliceElement(html, /<table\b[^>]*class="[^"]*\brace_result\b[^"]*"[^>]*>/i, 'table');
  if (!table) throw parseError('RACE_RESULT_UNRECOGNIZED', `race ${raceId}: no table.race_result`);
  const thead = sliceElement(table.inner, /<thead\b[^>]*>/i, 'thead')?.inner ?? '';
  const tbody = sliceElement(table.inner, /<tbody\b[^>]*>/i, 'tbody')?.inner ?? '';
  const headRows = rows(thead);
  const columns = (headRows[headRows.length - 1]?.cells ?? []).map((c) => norm(lineText(c)));
  const col = (name: string) => columns.findIndex((c) => c === name || c.startsWith(`${name} `));
  const idx = {
    pos: col('pos'),
    driver: col('driver'),
    qual: col('qual'),
    lapsTime: col('laps time'),
    behind: col('behind'),
    fastest: col('fastest lap'),
    avg: col('avg lap'),
    top5: col('avg top 5'),
    top10: col('avg top 10'),
    top15: col('avg top 15'),
    top3c: col('top 3 consecutive'),
    std: col('std deviation'),
    consistency: col('consistency'),
  };
  if (idx.pos < 0 || idx.driver < 0 || idx.lapsTime < 0) {
    throw parseError('RACE_RESULT_UNRECOGNIZED', `race ${raceId}: result columns not found (${columns.join('|')})`);
  }
  const subHeaders = [...thead.matchAll(/<span\s+class="class_sub_header">([\s\S]*?)<\/span>/gi)].map((m) => lineText(m[1] ?? ''));
  const sub = (label: string) =>
    subHeaders
      .find((s) => s.toLowerCase().startsWith(`${label}:`))
      ?.slice(label.length + 1)
      .trim() ?? null;
  const lengthText = sub('length');

  const result: ParsedResultRow[] = [];
  for (const row of rows(tbody)) {
    if (row.header) continue;
    const cell = (i: number) => (i >= 0 ? (row.cells[i] ?? '') : '');
    const driverCell = cell(idx.driver);
    const driverName = spanText(driverCell, 'driver_name') ?? lineText(driverCell);
    if (!driverName) continue;
    const fastest = cell(idx.fastest);
    const { laps, totalTimeMs } = parseLapsTime(lineText(cell(idx.lapsTime)));
    const idAttr = /<a\b[^>]*data-driver-id=[^>]*>/i.exec(driverCell);
    result.push({
      position: toInt(lineText(cell(idx.pos))),
      driverName,
      linkedDriverId: idAttr ? attr(idAttr[0], 'data-driver-id') : null,
      carNumber: spanText(driverCell, 'car_num') || null,
      qualifyingPosition: toInt(lineText(cell(idx.qual))),
      laps,
      totalTimeMs,
      behind: lineText(cell(idx.behind)) || null,
      fastestLapMs: clockToMs(lineText(fastest.replace(/<sup>[\s\S]*?<\/sup>/i, ''))),
      fastestLapNumber: toInt(/<sup>([\s\S]*?)<\/sup>/i.exec(fastest)?.[1]),
      avgLapMs: clockToMs(hiddenOrText(cell(idx.avg))),
      avgTop5Ms: clockToMs(hiddenOrText(cell(idx.top5))),
      avgTop10Ms: clockToMs(hiddenOrText(cell(idx.top10))),
      avgTop15Ms: clockToMs(hiddenOrText(cell(idx.top15))),
      top3ConsecutiveMs: clockToMs(hiddenOrText(cell(idx.top3c))),
      stdDeviationMs: clockToMs(lineText(cell(idx.std)), false),
      consistencyPct: toNumber(lineText(cell(idx.consistency))),
    });
  }
  return {
    raceNumber: toInt(/<div\s+class="race_num"[^>]*>([\s\S]*?)<\/div>/i.exec(thead)?.[1]),
    title: spanText(thead, 'class_header'),
    round: sub('round'),
    lengthText,
    durationSec: parseLengthSec(lengthText),
    rows: result,
    racerLaps: parseRacerLaps(html),
  };
}
