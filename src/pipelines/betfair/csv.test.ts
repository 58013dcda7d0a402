/** CSV mapping profiles: the real Betfair Data Scientists CSV and the seed's layout (hand-made file). */
import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../core/errors';
import type { FetchedResource } from '../../core/pipeline';
import { csvImportPipeline as pipeline } from './csv-import';
import seedCsv from '../../../testdata/betfair/handmade/seed-layout.handmade.csv?raw';
import { TEXT, utf8 } from './test-fixtures';

function file(bytes: Uint8Array, fetchedAt = Date.parse('2026-12-01T00:00:00Z')): FetchedResource[] {
  return [
    { resourceType: 'csv_file', resourceKey: 'k', url: 'k', status: 200, contentType: 'text/csv', body: '', bytes, sha256: '', fetchedAt },
  ];
}

function run(params: Parameters<typeof pipeline.normalize>[0], bytes: Uint8Array, fetchedAt?: number) {
  const p = pipeline.paramsSchema.parse(params);
  return pipeline.normalize(p, pipeline.parse(p, file(bytes, fetchedAt)));
}

const NBL = { key: 'betfair/csv/betfair_match_odds/NBL_2024-2025_Match_Odds.csv', mapping: 'betfair_match_odds' as const };

describe('profile betfair_match_odds on the real NBL_2024-2025_Match_Odds.csv', () => {
  it('maps every row: 284 runners in 142 markets, PATH split into competition and event', () => {
    const out = run({ ...NBL, captured_at: '2024-09-01T00:00:00Z' }, utf8(TEXT.nblCsv));
    expect(out.rows).toBe(284);
    expect(out.records_seen).toBe(284);
    expect(out.rejections).toEqual([]);
    expect(out.races).toHaveLength(142);
    // Row 2-3 of the file.
    expect(out.races[0]).toEqual({
      event_id: '33560155',
      event_name: 'Tasmania JackJumpers v Brisbane Bullets',
      market_id: '232719366',
      track: 'Australian NBL Pre-Season',
      country_code: null,
      start_time: '2024-09-07T00:00:00.000Z',
      race_type: null,
      market_type: 'MATCH_ODDS',
      currency: null,
      selections: [
        {
          selection_id: '1196396',
          name: 'Brisbane Bullets',
          price: 1.13,
          price_fraction: null,
          volume: 170.41,
          status: 'active',
          result: 'winner',
          bsp: null,
        },
        {
          selection_id: '40796164',
          name: 'Tasmania JackJumpers',
          price: 1.18,
          price_fraction: null,
          volume: 24.18,
          status: 'active',
          result: 'loser',
          bsp: null,
        },
      ],
    });
    // Row 4: empty volume cells are no volume, not zero.
    expect(out.races[1]!.selections[0]).toMatchObject({ name: 'Cairns Taipans', price: 1.11, volume: null, result: 'loser' });
  });

  it('the 30-day window follows captured_at: rows of events more than 30 days before it are refused by row', () => {
    const captured = Date.parse('2024-11-15T00:00:00Z');
    const dataRows = TEXT.nblCsv.trim().split('\n').slice(1);
    const old = dataRows
      .map((l, i) => [i + 2, Date.parse(l.split(',')[0]!.replace(' Z', 'Z').replace(' ', 'T'))] as const)
      .filter(([, t]) => t < captured - 30 * 86400000);
    expect(old.length).toBeGreaterThan(0);
    const out = run({ ...NBL, captured_at: new Date(captured).toISOString() }, utf8(TEXT.nblCsv));
    expect(out.rejected_by_rule).toEqual({ start_time_window: old.length });
    expect(out.rejections.map((r) => r.locator)).toEqual(old.map(([row]) => `row:${row}`));
    expect(pipeline.acceptance!(NBL, null as never, out)).toEqual({ seen: 284, rejected: out.rejections });
  });

  it('without captured_at the stored time of the file is the capture time (deterministic on replay)', () => {
    const out = run(NBL, utf8(TEXT.nblCsv), Date.parse('2025-03-01T00:00:00Z'));
    expect(out.captured_at).toBe('2025-03-01T00:00:00.000Z');
    expect(out.rejected_by_rule.start_time_window).toBeGreaterThan(200);
  });

  it('a UTF-8 BOM (as other files of the series have) changes nothing', () => {
    const plain = run({ ...NBL, captured_at: '2024-09-01T00:00:00Z' }, utf8(TEXT.nblCsv));
    const bom = run({ ...NBL, captured_at: '2024-09-01T00:00:00Z' }, new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(TEXT.nblCsv)]));
    expect(bom).toEqual(plain);
  });

  it('the seed profile on the real CSV is a classified error naming the missing columns (EVENT_ID, SELECTION_ID match case-insensitively)', () => {
    let err: unknown;
    try {
      run({ key: 'x.csv', mapping: 'seed', captured_at: '2024-09-01T00:00:00Z' }, utf8(TEXT.nblCsv));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AdapterError);
    expect(err).toMatchObject({
      code: 'CSV_COLUMNS_MISSING',
      category: 'validation',
      retryable: false,
      details: { profile: 'seed', missing: ['event_name', 'track', 'start_time', 'selection_name', 'price', 'volume'] },
    });
  });
});

describe("profile seed on the seed's layout (hand-made: BOM, stray spaces, quotes, mixed dates, fractional/EVS)", () => {
  const out = run({ key: 'betfair/csv/seed/card.csv', mapping: 'seed', captured_at: '2017-06-14T12:00:00Z' }, utf8(seedCsv));

  it('accepted rows: trimmed, quoted names with commas, local times in Europe/London, fractional and evens prices', () => {
    expect(out.races.map((r) => [r.event_id, r.event_name, r.start_time, r.currency, r.selections.length])).toEqual([
      ['E1', 'Hamilton 19:55, 1m Hcap', '2017-06-14T18:55:00.000Z', 'GBP', 3],
      ['E2', 'Sheffield OR 280m', '2017-06-10T18:26:00.000Z', 'GBP', 1],
    ]);
    expect(out.races[0]!.selections.map((s) => [s.name, s.price, s.price_fraction, s.volume])).toEqual([
      ['Brother Mcgonagall', 3.5, '5/2', 1200.5],
      ['Match My Fire', 2, '1/1', 1030],
      ['Sakhalin Star', 6.4, null, 0],
    ]);
    expect(out.races[1]!.selections[0]).toMatchObject({ name: '2. Sandwood Jet', price: 25, price_fraction: '24/1' });
  });

  it('every refused row carries its rule, field and row', () => {
    expect(out.rejections.map((r) => [r.locator, r.rule, r.field])).toEqual([
      ['row:9', 'price_format', 'price'],
      ['row:5', 'selection_name_required', 'selection_name'],
      ['row:6', 'price_range', 'price'],
      ['row:7', 'volume_non_negative', 'volume'],
      ['row:8', 'currency_mixed', 'currency'],
      ['row:11', 'start_time_window', 'start_time'],
      ['row:12', 'duplicate_selection', 'selection_id'],
    ]);
    expect(out.records_seen).toBe(11);
  });
});

describe('file trigger and settle', () => {
  it('objects under betfair/csv/<mapping>/ become jobs; other keys are ignored', () => {
    const t = pipeline.fileTrigger!;
    expect(t.params({ key: 'betfair/csv/seed/card.csv', size: 1 }, t.prefix)).toEqual({
      key: 'betfair/csv/seed/card.csv',
      mapping: 'seed',
    });
    expect(t.params({ key: 'betfair/csv/unknown/card.csv', size: 1 }, t.prefix)).toBeNull();
    expect(t.params({ key: 'betfair/csv/seed/card.csv.error.json', size: 1 }, t.prefix)).toBeNull();
  });
  it('succeeded files move to the archive, failed ones to failed/ with the error beside them', () => {
    const p = { key: 'betfair/csv/seed/card.csv', mapping: 'seed' as const };
    expect(pipeline.settle!(p, { state: 'succeeded', decision: 'PUBLISH_NEW', publicationId: 'p', error: null })).toEqual([
      { kind: 'move', from: p.key, to: 'betfair/archive/csv/seed/card.csv' },
    ]);
    const failed = pipeline.settle!(p, {
      state: 'failed',
      decision: null,
      publicationId: null,
      error: { code: 'REJECTION_THRESHOLD', message: 'm' },
    });
    expect(failed[0]).toEqual({ kind: 'move', from: p.key, to: 'betfair/failed/csv/seed/card.csv' });
    expect(failed[1]).toMatchObject({ kind: 'put', key: 'betfair/failed/csv/seed/card.csv.error.json' });
  });
});
