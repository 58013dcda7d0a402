import { describe, expect, it } from 'vitest';
import { deriveScopeKey } from '../../core/scope-key';
import metadata from '../../../testdata/liverc/486677_metadata.json';
import { eventDeepPipeline as p } from './event-deep';
import type { EventDeepOutput } from './event-deep-schema';
import silverState from '../../../testdata/liverc/Silver.State.entry.list.html?raw';
import { driverNameKey } from './event-deep-normalize';
import { PAGES, completeEvent, entryListRes, eventRes, raceRes } from './test-fixtures';

const params = p.paramsSchema.parse({ track_slug: 'canberraoffroad', event_id: '486677' });
const run = (fetched = completeEvent()) => p.outputSchema.parse(p.normalize(params, p.parse(params, fetched)));

describe('liverc.event_deep params, scope and plan', () => {
  it('validates params and derives the scope from track and event only', () => {
    expect(p.paramsSchema.parse({ track_slug: 'CanberraOffroad', event_id: 486677 })).toEqual({
      track_slug: 'canberraoffroad',
      event_id: '486677',
      refetch: false,
    });
    expect(p.paramsSchema.safeParse({ track_slug: 'canberraoffroad', event_id: '48a' }).success).toBe(false);
    const withRefetch = p.paramsSchema.parse({ track_slug: 'canberraoffroad', event_id: '486677', refetch: true });
    expect(deriveScopeKey(p.scopeParams, withRefetch)).toBe('track_slug=canberraoffroad&event_id=486677');
    expect(deriveScopeKey(p.scopeParams, params)).toBe(deriveScopeKey(p.scopeParams, withRefetch));
  });

  it('round 1 asks for the entry list and event page; round 2 for every listed race, optional', () => {
    expect(p.plan(params, [])).toEqual([
      {
        resourceType: 'entry_list',
        resourceKey: '486677',
        url: 'https://canberraoffroad.liverc.com/results/?p=view_entry_list&id=486677',
        optional: true,
      },
      { resourceType: 'event', resourceKey: '486677', url: 'https://canberraoffroad.liverc.com/results/?p=view_event&id=486677' },
    ]);
    const round2 = p.plan(params, [entryListRes(), eventRes(PAGES.eventPage)]);
    expect(round2).toHaveLength(32);
    expect(round2[0]).toEqual({
      resourceType: 'race_result',
      resourceKey: '6304829',
      url: 'https://canberraoffroad.liverc.com/results/?p=view_race_result&id=6304829',
      optional: true,
    });
    expect(round2.every((r) => r.optional === true && r.resourceType === 'race_result')).toBe(true);
    expect(p.plan(params, completeEvent())).toEqual([]);
  });

  it('round 2 fetches no race page when the entry list already fails the job', () => {
    expect(p.plan(params, [entryListRes(PAGES.emptyEntryList), eventRes()])).toEqual([]);
    expect(p.plan(params, [entryListRes('no fixture', 404), eventRes()])).toEqual([]);
  });
});

describe('liverc.event_deep on event 486677', () => {
  const out = run();

  it('reads the event header and stats', () => {
    expect(out.event).toEqual({
      source_event_id: '486677',
      track_slug: 'canberraoffroad',
      track_name: 'Canberra Off Road Model Car Club',
      name: 'Cormcc 2025 Rudi Wensing Memorial, Clay Cup',
      date: '2025-11-16',
      entries: 71,
      drivers: 60,
      total_race_laps: 4129,
      url: 'https://canberraoffroad.liverc.com/results/?p=view_event&id=486677',
      entry_list_url: 'https://canberraoffroad.liverc.com/results/?p=view_entry_list&id=486677',
    });
    expect(out.complete).toBe(true);
    expect(out.missing_races).toEqual([]);
  });

  it('lists the races of the real event page with class, label, round and time', () => {
    const full = p.parse(params, [entryListRes(), eventRes(PAGES.eventPage)]).eventPage.races;
    expect(full).toHaveLength(32);
    expect(full.filter((r) => r.round === 'Main Events')).toHaveLength(14);
    expect(full.find((r) => r.id === '6297913')).toEqual({
      id: '6297913',
      key: '6297913',
      round: 'Qualifier Round 3',
      raceNumber: 6,
      className: '1/8 Nitro Buggy',
      label: '1/8 Nitro Buggy (Heat 3/3)',
      completedAt: '2025-11-16T11:58:00',
    });
    expect(out.races).toEqual([
      {
        source_race_id: '6304822',
        race_key: '6304822',
        race_number: 13,
        round: 'Main Events',
        class_name: '1/8 Electric Buggy',
        race_label: '1/8 Electric Buggy A3-Main',
        main_label: 'A3-Main',
        completed_local: '2025-11-16T16:47:00',
        length_text: '10:00 Timed',
        duration_sec: 600,
        url: 'https://canberraoffroad.liverc.com/results/?p=view_race_result&id=6304822',
        results_available: true,
      },
      {
        source_race_id: '6304829',
        race_key: '6304829',
        race_number: 14,
        round: 'Main Events',
        class_name: '1/8 Nitro Buggy',
        race_label: '1/8 Nitro Buggy A-Main',
        main_label: 'A-Main',
        completed_local: '2025-11-16T17:30:00',
        length_text: '30:00 Timed',
        duration_sec: 1800,
        url: 'https://canberraoffroad.liverc.com/results/?p=view_race_result&id=6304829',
        results_available: true,
      },
    ]);
  });

  it('laps per driver in race 6304829 match 486677_metadata.json (LiveRC driver ids from racerLaps)', () => {
    const expected = metadata.laps_expected as Record<string, number>;
    expect(Object.keys(expected).sort()).toEqual(['152729', '298958', '346997']);
    for (const [driverId, laps] of Object.entries(expected)) {
      const result = out.results.find((r) => r.source_race_id === '6304829' && r.source_driver_id === driverId);
      expect(result?.laps).toBe(laps);
      expect(result?.lap_count).toBe(laps);
      const series = out.laps.filter((l) => l.source_race_id === '6304829' && l.driver_key === driverId);
      expect(series.map((l) => l.lap_number)).toEqual(Array.from({ length: laps }, (_, i) => i + 1));
    }
    expect(metadata.races_expected.map(String)).toEqual(expect.arrayContaining(out.races.map((r) => r.source_race_id)));
  });

  it('every classified driver has a lap series as long as the laps column', () => {
    for (const r of out.results.filter((x) => x.status === 'classified')) expect(r.lap_count).toBe(r.laps);
    expect(out._anomalies).toEqual([]);
    expect(out.counts).toEqual({ entries: 22, races: 2, results: 22, laps: out.laps.length });
    expect(out.laps.length).toBe(out.results.reduce((n, r) => n + r.lap_count, 0));
  });

  it('normalizes the winner row to numbers in milliseconds', () => {
    expect(out.results.find((r) => r.source_race_id === '6304829' && r.position === 1)).toEqual({
      source_race_id: '6304829',
      driver_key: '346997',
      source_driver_id: '346997',
      driver_name: 'FELIX KOEGLER',
      car_number: '1',
      status: 'classified',
      position: 1,
      qualifying_position: 1,
      laps: 47,
      total_time_ms: 1831382,
      behind: null,
      fastest_lap_ms: 37234,
      fastest_lap_number: 10,
      avg_lap_ms: 38983,
      avg_top5_ms: 37267,
      avg_top10_ms: 37362,
      avg_top15_ms: 37468,
      top3_consecutive_ms: 111828,
      std_deviation_ms: 2799,
      consistency_pct: 92.82,
      lap_count: 47,
    });
    expect(out.laps.find((l) => l.source_race_id === '6304829' && l.driver_key === '346997' && l.lap_number === 1)).toEqual({
      source_race_id: '6304829',
      driver_key: '346997',
      lap_number: 1,
      position: 1,
      lap_time_ms: 38170,
    });
  });

  it('represents drivers who did not start, with their racerLaps driver id and no laps', () => {
    const dns = out.results.filter((r) => r.status === 'DNS');
    expect(dns.map((r) => `${r.source_race_id}:${r.driver_name}:${r.source_driver_id}`).sort()).toEqual([
      '6304822:LEE BAGGULEY:433628',
      '6304822:RILEY LANDER:731648',
      '6304822:STEPHEN SNEDDEN:505722',
      '6304829:RILEY LANDER:731648',
    ]);
    const riley = dns.find((r) => r.source_race_id === '6304829');
    expect(riley).toMatchObject({
      position: 12,
      laps: 0,
      total_time_ms: null,
      fastest_lap_ms: null,
      car_number: '11',
      lap_count: 0,
      behind: '13 Laps',
    });
    expect(out.laps.some((l) => l.driver_key === '731648')).toBe(false);
  });

  it('entries come from the entry list, matched to LiveRC driver ids by name', () => {
    expect(out.entries.filter((e) => e.class_name === '1/8 Nitro Buggy')).toHaveLength(12);
    expect(out.entries.find((e) => e.driver_name === 'MATTHEW COUPER' && e.class_name === '1/8 Electric Buggy')).toEqual({
      driver_key: '600723',
      source_driver_id: '600723',
      driver_name: 'MATTHEW COUPER',
      class_name: '1/8 Electric Buggy',
      source_class_id: '90001',
      entry_number: 5,
      transponder: null,
    });
    expect(out.drivers).toHaveLength(19);
  });

  it('entity keys are unique and follow the documented shapes', () => {
    const keys = [...p.entities(out)].map(([k]) => k);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining([
        'event:486677',
        'driver:346997',
        'entry:600723:1/8 Nitro Buggy',
        'race:6304829',
        'result:6304829:731648',
        'lap:6304829:346997:47',
      ]),
    );
    expect(keys).not.toContain('lap:6304829:346997:48');
  });

  it('skipFetch: a complete event is not fetched again unless refetch is set', () => {
    expect(p.skipFetch?.(params, out as EventDeepOutput)).toBe('EVENT_ALREADY_COMPLETE');
    expect(p.skipFetch?.({ ...params, refetch: true }, out)).toBeNull();
    expect(p.skipFetch?.(params, { ...out, complete: false })).toBeNull();
    expect(p.skipFetch?.(params, null)).toBeNull();
    expect(p.drift).toBe(false);
  });
});

describe('liverc.event_deep race keys and driver identity', () => {
  it('keeps a listed race without a LiveRC id under a stable synthetic key, and the event open', () => {
    // the trimmed event page with the result link of race 13 removed (what a not-yet-run race looks like)
    const page = PAGES.trimmedEvent.replace(
      /<a href="\/results\/\?p=view_race_result&id=6304822" class="block">(<i class="fa fa-trophy"><\/i> Race 13:[^<]*)<\/a>/,
      '$1',
    );
    expect(page).not.toContain('id=6304822');
    const fetched = [entryListRes(), eventRes(page), raceRes('6304829', PAGES.nitroA)];
    expect(p.plan(params, [entryListRes(), eventRes(page)]).map((r) => r.resourceKey)).toEqual(['6304829']);
    const a = run(fetched);
    const b = run([...fetched].reverse());
    const syn = a.races.find((r) => r.source_race_id === null)!;
    expect(syn).toMatchObject({ race_number: 13, class_name: '1/8 Electric Buggy', url: null, results_available: false });
    expect(syn.race_key).toMatch(/^syn-[a-z0-9-]+-race-13-1-8-electric-buggy-1-8-electric-buggy-a3-main$/);
    expect(b.races.find((r) => r.source_race_id === null)!.race_key).toBe(syn.race_key);
    expect(a.complete).toBe(false);
    expect(a.missing_races).toEqual([]);
    expect(a._anomalies.some((x) => x.includes('no LiveRC id'))).toBe(true);
    expect([...p.entities(a)].map(([k]) => k)).toContain(`race:${syn.race_key}`);
  });
  it('gives each driver a normalized name key and the transponders of its entry-list rows (real entry list)', () => {
    expect(['SMITH, JOHN', 'John  Smith', 'Jöhn Smith', "JOHN O'SMITH"].map(driverNameKey)).toEqual([
      'john smith',
      'john smith',
      'john smith',
      'john o smith',
    ]);
    const out = run([entryListRes(silverState), eventRes()]);
    const bratton = out.drivers.find((d) => d.driver_name === 'RICHARD BRATTON')!;
    expect(bratton).toMatchObject({ name_key: 'richard bratton', transponders: ['2821333', '3326002'] });
    expect(out.drivers.every((d) => d.name_key !== '' && d.transponders.length > 0)).toBe(true);
    expect(run().drivers.find((d) => d.driver_key === '346997')).toMatchObject({ transponders: [] });
  });
});
