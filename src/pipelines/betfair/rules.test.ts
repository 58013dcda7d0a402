/** Validation rules, price normalization and date-time handling of the race-data shape. */
import { describe, expect, it } from 'vitest';
import { parseAmount, parsePrice } from './prices';
import type { RaceRecord } from './race-data';
import { parseTime } from './times';
import { assembleRaces, checkRecord, START_WINDOW_MS } from './validate';

const CAPTURED = Date.parse('2022-04-19T18:30:00Z');

function rec(over: Partial<RaceRecord['selection']> = {}, race: Partial<RaceRecord['race']> = {}, locator = 'row:2'): RaceRecord {
  return {
    locator,
    race: {
      event_id: 'E',
      event_name: 'Sheffield 19th Apr',
      market_id: '1.197931750',
      track: 'Sheffield',
      country_code: 'GB',
      start_time_ms: Date.parse('2022-04-19T18:26:00Z'),
      race_type: 'greyhound',
      market_type: 'WIN',
      currency: 'GBP',
      ...race,
    },
    selection: {
      selection_id: '37947503',
      name: '2. Sandwood Jet',
      price: 25,
      price_fraction: null,
      volume: 547.4,
      status: 'active',
      result: 'winner',
      bsp: 25,
      ...over,
    },
  };
}

const rule = (r: RaceRecord, capturedAt = CAPTURED) => checkRecord(r, { capturedAt })?.rule ?? null;

describe('validation rules (seed: price 1.01-1000, name, volume, start window of the capture time)', () => {
  it('a good record passes', () => expect(rule(rec())).toBeNull());

  it('price_range: 1.01 and 1000 pass, 1.0 and 1000.5 fail; no price is not a failure', () => {
    expect(rule(rec({ price: 1.01 }))).toBeNull();
    expect(rule(rec({ price: 1000 }))).toBeNull();
    expect(rule(rec({ price: 1 }))).toBe('price_range');
    expect(rule(rec({ price: 1000.5 }))).toBe('price_range');
    expect(rule(rec({ price: null }))).toBeNull();
  });

  it('selection_name_required: empty and blank names fail, with field and locator', () => {
    expect(checkRecord(rec({ name: '' }), { capturedAt: CAPTURED })).toEqual({
      locator: 'row:2',
      field: 'selection_name',
      rule: 'selection_name_required',
      message: 'selection 37947503 has no name',
    });
    expect(rule(rec({ name: '   ' }))).toBe('selection_name_required');
  });

  it('volume_non_negative: 0 passes, -0.01 fails, no volume passes', () => {
    expect(rule(rec({ volume: 0 }))).toBeNull();
    expect(rule(rec({ volume: -0.01 }))).toBe('volume_non_negative');
    expect(rule(rec({ volume: null }))).toBeNull();
  });

  it('start_time_window: judged against the capture time, not the wall clock (a 2022 recording passes today)', () => {
    const start = Date.parse('2022-04-19T18:26:00Z');
    expect(rule(rec({}, { start_time_ms: start }), start + START_WINDOW_MS)).toBeNull(); // exactly 30 days
    expect(rule(rec({}, { start_time_ms: start }), start + START_WINDOW_MS + 1)).toBe('start_time_window');
    expect(rule(rec({}, { start_time_ms: start + 365 * 86400000 }), start)).toBeNull(); // future
    expect(Date.now() - start).toBeGreaterThan(START_WINDOW_MS); // the wall clock would have refused it
  });

  it('currency_mixed and duplicate_selection are judged per race; accepted records group into races', () => {
    const out = assembleRaces(
      [
        rec({}, {}, 'row:2'),
        rec({ selection_id: '1', name: 'A' }, { currency: 'EUR' }, 'row:3'),
        rec({}, {}, 'row:4'),
        rec({ selection_id: '2', name: 'B' }, { event_id: 'F' }, 'row:5'),
      ],
      { capturedAt: CAPTURED },
    );
    expect(out.rejected.map((r) => [r.locator, r.rule])).toEqual([
      ['row:3', 'currency_mixed'],
      ['row:4', 'duplicate_selection'],
    ]);
    expect(out.races.map((r) => [r.event_id, r.selections.length, r.start_time, r.currency])).toEqual([
      ['E', 1, '2022-04-19T18:26:00.000Z', 'GBP'],
      ['F', 1, '2022-04-19T18:26:00.000Z', 'GBP'],
    ]);
    expect(out.seen).toBe(4);
  });
});

describe('prices to decimal odds', () => {
  it('fractional a/b is (a+b)/b, the fraction kept', () => {
    expect(parsePrice('5/2')).toEqual({ ok: true, price: { decimal: 3.5, fraction: '5/2' } });
    expect(parsePrice(' 1/3 ')).toEqual({ ok: true, price: { decimal: 4 / 3, fraction: '1/3' } });
    expect(parsePrice('100/30')).toEqual({ ok: true, price: { decimal: 130 / 30, fraction: '100/30' } });
    expect(parsePrice('11-4')).toEqual({ ok: true, price: { decimal: 3.75, fraction: '11/4' } });
  });
  it('evens in its spellings is 2.0', () => {
    for (const e of ['EVS', 'evs', 'Evens', 'EVEN']) expect(parsePrice(e)).toEqual({ ok: true, price: { decimal: 2, fraction: '1/1' } });
  });
  it('decimal strings and numbers pass through exactly; empty is no price', () => {
    expect(parsePrice('9.9')).toEqual({ ok: true, price: { decimal: 9.9, fraction: null } });
    expect(parsePrice(1.556124059615065)).toEqual({ ok: true, price: { decimal: 1.556124059615065, fraction: null } });
    expect(parsePrice('')).toEqual({ ok: true, price: null });
    expect(parsePrice(null)).toEqual({ ok: true, price: null });
  });
  it('garbage and zero denominators are refused', () => {
    expect(parsePrice('5/0').ok).toBe(false);
    expect(parsePrice('abc').ok).toBe(false);
    expect(parsePrice('3,5').ok).toBe(false);
  });
  it('amounts: thousands separators, empty, garbage', () => {
    expect(parseAmount('1,030.00')).toEqual({ ok: true, value: 1030 });
    expect(parseAmount(' ')).toEqual({ ok: true, value: null });
    expect(parseAmount('12x').ok).toBe(false);
  });
});

describe('date-times to UTC', () => {
  const ms = (raw: unknown, zone = 'Europe/London') => {
    const t = parseTime(raw, zone);
    return t.ok ? new Date(t.ms).toISOString() : t.message;
  };
  it('offsets win over the zone; Betfair CSV "2024-09-07 00:00:00.000 Z"', () => {
    expect(ms('2024-09-07 00:00:00.000 Z')).toBe('2024-09-07T00:00:00.000Z');
    expect(ms('2017-06-14T19:55:00+01:00', 'Australia/Sydney')).toBe('2017-06-14T18:55:00.000Z');
  });
  it('local times convert with the configured zone, DST included', () => {
    expect(ms('2017-06-14 19:55')).toBe('2017-06-14T18:55:00.000Z'); // BST
    expect(ms('14/12/2017 19:55')).toBe('2017-12-14T19:55:00.000Z'); // GMT, day first
    expect(ms('2024-10-05 19:30', 'Australia/Sydney')).toBe('2024-10-05T09:30:00.000Z'); // AEST, before the switch
    expect(ms('2024-10-06 19:30', 'Australia/Sydney')).toBe('2024-10-06T08:30:00.000Z'); // AEDT
  });
  it('epoch seconds and ms; impossible dates and unknown formats are refused', () => {
    expect(ms('1650392838')).toBe('2022-04-19T18:27:18.000Z');
    expect(ms(1650392838735)).toBe('2022-04-19T18:27:18.735Z');
    expect(ms('31/02/2024 10:00')).toContain('not a calendar');
    expect(ms('next tuesday')).toContain('not a known date-time format');
  });
});
