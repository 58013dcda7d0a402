import { describe, expect, it } from 'vitest';
import { eventDeepPipeline as p } from './event-deep';
import { PAGES, entryListRes, eventRes, raceRes } from './test-fixtures';

const params = p.paramsSchema.parse({ track_slug: 'canberraoffroad', event_id: '486677' });
const parse = (fetched: Parameters<typeof p.parse>[1]) => p.parse(params, fetched);

describe('liverc.event_deep failures and partial data', () => {
  it('a 404 entry list fails the job as a validation error (not retryable)', () => {
    expect(() => parse([entryListRes('no fixture', 404), eventRes()])).toThrowError(
      expect.objectContaining({ code: 'ENTRY_LIST_MISSING', category: 'validation', retryable: false }),
    );
    expect(() => parse([eventRes()])).toThrowError(expect.objectContaining({ code: 'ENTRY_LIST_MISSING' }));
  });

  it('an entry list page that loads with no entries fails with ENTRY_LIST_EMPTY', () => {
    expect(() => parse([entryListRes(PAGES.emptyEntryList), eventRes()])).toThrowError(
      expect.objectContaining({ code: 'ENTRY_LIST_EMPTY', category: 'validation', retryable: false }),
    );
  });

  it('a race page whose racerLaps blocks are gone while drivers show laps is drift', () => {
    expect(() =>
      parse([entryListRes(), eventRes(), raceRes('6304829', PAGES.noRacerLaps), raceRes('6304822', PAGES.electricA3)]),
    ).toThrowError(expect.objectContaining({ code: 'RACER_LAPS_MISSING', category: 'parse', retryable: false }));
  });

  it('a 404 on a listed race page publishes an incomplete event that names the missing race', () => {
    const out = p.outputSchema.parse(
      p.normalize(params, parse([entryListRes(), eventRes(), raceRes('6304829', PAGES.nitroA), raceRes('6304822', 'no fixture', 404)])),
    );
    expect(out.complete).toBe(false);
    expect(out.missing_races).toEqual(['6304822']);
    expect(out.races.find((r) => r.source_race_id === '6304822')).toMatchObject({
      results_available: false,
      race_label: '1/8 Electric Buggy A3-Main',
      duration_sec: null,
    });
    expect(out.results.some((r) => r.source_race_id === '6304822')).toBe(false);
    expect(out.results.filter((r) => r.source_race_id === '6304829')).toHaveLength(12);
    expect(p.skipFetch?.(params, out)).toBeNull();
  });

  it('the real event page with only two race pages captured reports the other 30 as missing', () => {
    const out = p.normalize(
      params,
      parse([entryListRes(), eventRes(PAGES.eventPage), raceRes('6304829', PAGES.nitroA), raceRes('6304822', PAGES.electricA3)]),
    );
    expect(out.complete).toBe(false);
    expect(out.missing_races).toHaveLength(30);
    expect(out.missing_races).toContain('6304830');
    expect(out.races).toHaveLength(32);
  });

  it('an event page that lists no races yet is not complete (so skipFetch lets a later run fetch it)', () => {
    const noRaces = PAGES.trimmedEvent.replace(/<span class="class_header">Race Results<\/span>[\s\S]*?<\/table>/, '</table>');
    const out = p.normalize(params, parse([entryListRes(), eventRes(noRaces)]));
    expect(out.races).toEqual([]);
    expect(out.complete).toBe(false);
    expect(out.entries).toHaveLength(22);
    expect(p.skipFetch?.(params, out)).toBeNull();
  });

  it('an event page whose race list heading changed (links still there) is drift, not an event without races', () => {
    const renamed = PAGES.trimmedEvent.replace('class_header">Race Results<', 'class_header">Heat Results<');
    expect(() => parse([entryListRes(), eventRes(renamed)])).toThrowError(
      expect.objectContaining({ code: 'RACE_LIST_UNRECOGNIZED', category: 'parse' }),
    );
  });

  it('a race page without table.race_result is drift', () => {
    expect(() =>
      parse([entryListRes(), eventRes(), raceRes('6304829', PAGES.eventPage), raceRes('6304822', PAGES.electricA3)]),
    ).toThrowError(expect.objectContaining({ code: 'RACE_RESULT_UNRECOGNIZED', category: 'parse' }));
  });

  it('a page that is not an entry list is drift, not an empty list', () => {
    expect(() => parse([entryListRes(PAGES.eventPage), eventRes()])).toThrowError(
      expect.objectContaining({ code: 'ENTRY_LIST_UNRECOGNIZED', category: 'parse' }),
    );
  });
});
