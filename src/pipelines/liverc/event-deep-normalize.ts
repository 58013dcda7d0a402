/** Normalize step of `liverc.event_deep`: driver identity, stable ordering, units. */
import type { ParsedEventDeep } from './event-deep-parse';
import type { EventDeepOutput, EventDeepParams } from './event-deep-schema';
import { entryListUrl, eventUrl, raceResultUrl } from './urls';

type Out = EventDeepOutput;

const nameKey = (name: string) => name.toUpperCase().replace(/\s+/g, ' ').trim();
const tempKey = (name: string) =>
  `entry_${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
/** "SMITH, JOHN" / "John  Smith" / "Jöhn Smith" → "john smith". */
export const driverNameKey = (name: string) => {
  const turned = /^([^,]+),\s*([^,]+)$/.exec(name.trim());
  return (turned ? `${turned[2]} ${turned[1]}` : name)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
};
const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

export function normalizeEventDeep(params: EventDeepParams, parsed: ParsedEventDeep): Out {
  const { track_slug: slug, event_id: eventId } = params;
  const anomalies: string[] = [];

  // Driver ids by name, from every parsed race: the "View Laps" links first, then racerLaps driver names.
  const idByName = new Map<string, string>();
  for (const r of parsed.races)
    for (const row of r.result?.rows ?? []) if (row.linkedDriverId) idByName.set(nameKey(row.driverName), row.linkedDriverId);
  for (const r of parsed.races)
    for (const s of r.result?.racerLaps ?? []) if (!idByName.has(nameKey(s.driverName))) idByName.set(nameKey(s.driverName), s.driverId);

  const drivers = new Map<string, Out['drivers'][number]>();
  const driverFor = (name: string, id: string | null) => {
    const sourceId = id ?? idByName.get(nameKey(name)) ?? null;
    const key = sourceId ?? tempKey(name);
    if (!drivers.has(key))
      drivers.set(key, { driver_key: key, source_driver_id: sourceId, driver_name: name, name_key: driverNameKey(name), transponders: [] });
    return { driver_key: key, source_driver_id: sourceId };
  };

  const entries = new Map<string, Out['entries'][number]>();
  for (const e of parsed.entryList.entries) {
    const d = driverFor(e.driverName, null);
    const k = `${d.driver_key}\u0000${e.className}`;
    if (entries.has(k)) continue;
    entries.set(k, {
      ...d,
      driver_name: e.driverName,
      class_name: e.className,
      source_class_id: e.sourceClassId,
      entry_number: e.entryNumber,
      transponder: e.transponder,
    });
    const driver = drivers.get(d.driver_key);
    if (driver && e.transponder && !driver.transponders.includes(e.transponder))
      driver.transponders = [...driver.transponders, e.transponder].sort();
  }

  const races: Out['races'] = [];
  const results: Out['results'] = [];
  const laps: Out['laps'] = [];
  const missing: string[] = [];
  for (const { listed, result } of parsed.races) {
    const cls = listed.className;
    const main =
      cls && listed.label.startsWith(cls)
        ? listed.label
            .slice(cls.length)
            .trim()
            .replace(/^\((.*)\)$/, '$1')
            .trim()
        : null;
    races.push({
      source_race_id: listed.id,
      race_key: listed.key,
      race_number: listed.raceNumber ?? result?.raceNumber ?? null,
      round: listed.round ?? result?.round ?? null,
      class_name: cls,
      race_label: listed.label,
      main_label: main || null,
      completed_local: listed.completedAt,
      length_text: result?.lengthText ?? null,
      duration_sec: result?.durationSec ?? null,
      url: listed.id ? raceResultUrl(slug, listed.id) : null,
      results_available: result !== null,
    });
    if (!listed.id) {
      anomalies.push(`race "${listed.label}" (${listed.round ?? 'no round'}) has no LiveRC id: kept as ${listed.key}`);
      continue;
    }
    if (!result) {
      missing.push(listed.id);
      continue;
    }
    const raceId = listed.id;
    const seriesById = new Map(result.racerLaps.map((s) => [s.driverId, s]));
    const seriesByName = new Map(result.racerLaps.map((s) => [nameKey(s.driverName), s]));
    const used = new Set<string>();
    for (const row of result.rows) {
      const series = (row.linkedDriverId ? seriesById.get(row.linkedDriverId) : undefined) ?? seriesByName.get(nameKey(row.driverName));
      const d = driverFor(row.driverName, row.linkedDriverId ?? series?.driverId ?? null);
      let key = d.driver_key;
      for (let n = 2; used.has(key); n++) key = `${d.driver_key}~${n}`;
      used.add(key);
      const series_laps = series?.laps ?? [];
      if ((row.laps ?? 0) > 0 && !series) anomalies.push(`race ${raceId}: no racerLaps for ${row.driverName}`);
      else if (row.laps !== null && series_laps.length !== row.laps)
        anomalies.push(`race ${raceId}: ${row.driverName} shows ${row.laps} laps, series has ${series_laps.length}`);
      const dns = (row.laps ?? 0) === 0 && series_laps.length === 0;
      results.push({
        source_race_id: raceId,
        driver_key: key,
        source_driver_id: d.source_driver_id,
        driver_name: row.driverName,
        car_number: row.carNumber,
        status: dns ? 'DNS' : 'classified',
        position: row.position,
        qualifying_position: row.qualifyingPosition,
        laps: row.laps,
        total_time_ms: row.totalTimeMs,
        behind: row.behind,
        fastest_lap_ms: row.fastestLapMs,
        fastest_lap_number: row.fastestLapNumber,
        avg_lap_ms: row.avgLapMs,
        avg_top5_ms: row.avgTop5Ms,
        avg_top10_ms: row.avgTop10Ms,
        avg_top15_ms: row.avgTop15Ms,
        top3_consecutive_ms: row.top3ConsecutiveMs,
        std_deviation_ms: series?.stdDeviationMs ?? row.stdDeviationMs,
        consistency_pct: row.consistencyPct,
        lap_count: series_laps.length,
      });
      for (const l of series_laps)
        laps.push({ source_race_id: raceId, driver_key: key, lap_number: l.lapNumber, position: l.position, lap_time_ms: l.lapTimeMs });
    }
  }

  const byRace = (a: { source_race_id: string }, b: { source_race_id: string }) => Number(a.source_race_id) - Number(b.source_race_id);
  // Races with an id by id; synthetic ones after them, by key.
  races.sort((a, b) =>
    (a.source_race_id === null) !== (b.source_race_id === null)
      ? a.source_race_id === null
        ? 1
        : -1
      : Number(a.source_race_id ?? 0) - Number(b.source_race_id ?? 0) || cmp(a.race_key, b.race_key),
  );
  results.sort((a, b) => byRace(a, b) || (a.position ?? 1e9) - (b.position ?? 1e9) || cmp(a.driver_key, b.driver_key));
  laps.sort((a, b) => byRace(a, b) || cmp(a.driver_key, b.driver_key) || a.lap_number - b.lap_number);
  const entryList = [...entries.values()].sort((a, b) => cmp(a.class_name, b.class_name) || cmp(a.driver_key, b.driver_key));
  const ev = parsed.eventPage;
  return {
    event: {
      source_event_id: eventId,
      track_slug: slug,
      track_name: ev.trackName,
      name: ev.name,
      date: ev.date,
      entries: ev.entries,
      drivers: ev.drivers,
      total_race_laps: ev.totalRaceLaps,
      url: eventUrl(slug, eventId),
      entry_list_url: entryListUrl(slug, eventId),
    },
    drivers: [...drivers.values()].sort((a, b) => cmp(a.driver_key, b.driver_key)),
    entries: entryList,
    races,
    results,
    laps,
    // An event page that lists no race yet (upcoming event) is not complete: a later run must fetch it again.
    // A listed race without an id (not run yet) keeps the event open too.
    complete: races.length > 0 && missing.length === 0 && races.every((r) => r.source_race_id !== null),
    missing_races: missing.sort((a, b) => Number(a) - Number(b)),
    counts: { entries: entryList.length, races: races.length, results: results.length, laps: laps.length },
    _anomalies: anomalies.sort(),
  };
}
