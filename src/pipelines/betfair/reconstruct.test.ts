/**
 * Stream reconstruction on the real recordings. Expected values were read off the files' lines by hand (line
 * numbers in the comments; `sed -n 477p testdata/betfair/BASIC-1.132153978`).
 */
import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../core/errors';
import { LineSplitter } from './lines';
import { reconstructBytes, StreamReconstructor } from './reconstructor';
import { type MarketSummary, summarizeMarket } from './summary';
import { BZ2, gzip, lines, TEXT, utf8 } from './test-fixtures';

function market(bytes: Uint8Array): MarketSummary {
  const { reconstructor } = reconstructBytes(bytes);
  expect(reconstructor.markets.size).toBe(1);
  return summarizeMarket([...reconstructor.markets.values()][0]!);
}

const runner = (m: MarketSummary, id: number) => m.runners.find((r) => r.selection_id === id)!;

describe('BASIC historic file 1.132153978 (horse racing WIN, Hamilton 2017-06-14)', () => {
  const m = market(utf8(TEXT.basic));

  it('reconstructs the definition: event, venue, market, start, winners, 14 named runners in card order', () => {
    expect(m).toMatchObject({
      market_id: '1.132153978',
      event_id: '28270094',
      event_name: 'Ham 14th Jun',
      event_type_id: '7',
      venue: 'Hamilton',
      country_code: 'GB',
      timezone: 'Europe/London',
      market_type: 'WIN',
      market_name: '1m Hcap',
      market_time: '2017-06-14T18:55:00.000Z',
      number_of_winners: 1,
      bsp_market: true,
    });
    // line 1: the first definition's sortPriority 1..14 is the card order.
    expect(m.runners.map((r) => r.name)).toEqual([
      'Brother Mcgonagall',
      'Match My Fire',
      'Sakhalin Star',
      'Im Super Too',
      'Symbolic Star',
      'Panther In Pink',
      'Hellavashock',
      'Penelope Pitstop',
      'Hymn For The Dudes',
      'Hazy Manor',
      'Bonnie Gals',
      'Ten In The Hat',
      'Sandgate',
      'Whats Up Walter',
    ]);
    expect(m.runners.every((r) => r.trap === null)).toBe(true);
  });

  it('status timeline: open, in play at line 477, suspended at 479, closed at 480', () => {
    expect(m.timeline).toEqual([
      { status: 'OPEN', in_play: false, at: new Date(1497351220318).toISOString() },
      { status: 'OPEN', in_play: true, at: new Date(1497466542053).toISOString() },
      { status: 'SUSPENDED', in_play: true, at: new Date(1497466662097).toISOString() },
      { status: 'CLOSED', in_play: true, at: new Date(1497466782073).toISOString() },
    ]);
    expect(m.off_at).toBe(new Date(1497466542053).toISOString());
    expect(m.off_source).toBe('in_play');
    expect(m.settled_time).toBe('2017-06-14T18:57:59.000Z');
  });

  it('winner, BSP and last traded price before the off', () => {
    const l = lines(TEXT.basic);
    expect(l[475]).toContain('{"ltp":4.0,"id":12115648}'); // last pre-off trade of the winner
    expect(l[477]).toContain('"inPlay":true');
    const winner = runner(m, 12115648);
    expect(winner).toMatchObject({
      name: 'Brother Mcgonagall',
      status: 'WINNER',
      result: 'winner',
      bsp: 4.15,
      ltp_before_off: 4,
      ltp_last: 1.01,
    });
    expect(m.runners.filter((r) => r.result === 'winner')).toHaveLength(1);
    // line 475 also: Sandgate 180.0 before the off; line 477 (the off message) says 190.0, which is after it.
    expect(runner(m, 8560724)).toMatchObject({ ltp_before_off: 180, bsp: 150, result: 'loser' });
    expect(m.runners.filter((r) => r.result === 'loser')).toHaveLength(11);
  });

  it('removals (scratched) with their dates, last traded price from before they went (lines 68 and 126)', () => {
    expect(runner(m, 11198538)).toMatchObject({
      name: 'Hellavashock',
      status: 'REMOVED',
      result: 'removed',
      removal_date: '2017-06-14T07:00:50.000Z',
      bsp: null,
      ltp_before_off: 16,
    });
    expect(runner(m, 9606433)).toMatchObject({
      name: 'Hymn For The Dudes',
      status: 'REMOVED',
      result: 'removed',
      removal_date: '2017-06-14T09:23:43.000Z',
      ltp_before_off: 28,
    });
  });

  it('a BASIC file has no ladders or volumes', () => {
    expect(m.runners.every((r) => r.ladders_at_off === null && r.traded_volume === null)).toBe(true);
  });
});

describe('greyhound recording 1.197931750 (Sheffield 2022-04-19, never in play, with ladders)', () => {
  const m = market(utf8(TEXT.greyhound));

  it('six runners named only by the last definition (line 166), traps from the names', () => {
    expect(lines(TEXT.greyhound)[1]).not.toContain('"name"');
    expect(m.runners.map((r) => [r.trap, r.name])).toEqual([
      [1, '1. Paradise Mission'],
      [2, '2. Sandwood Jet'],
      [3, '3. Kirabilly Kathy'],
      [4, '4. Gurtnacrehyblake'],
      [5, '5. Castlehill Jil'],
      [6, '6. Coolavanny Galiv'],
    ]);
    expect(m).toMatchObject({
      event_type_id: '4339',
      venue: 'Sheffield',
      event_name: 'Sheffield 19th Apr',
      market_name: 'OR 280m',
      market_time: '2022-04-19T18:26:00.000Z',
      turn_in_play_enabled: false,
    });
  });

  it('the off is the suspension after the scheduled start (line 165); last traded prices from line 164', () => {
    expect(m.off_source).toBe('suspended_after_start');
    expect(m.off_at).toBe(new Date(1650392838735).toISOString());
    expect(m.timeline.map((t) => t.status)).toEqual(['OPEN', 'SUSPENDED', 'CLOSED']);
    expect(runner(m, 37947503)).toMatchObject({
      trap: 2,
      status: 'WINNER',
      result: 'winner',
      ltp_before_off: 25,
      traded_volume_before_off: 547.4,
      bsp: 25,
    });
    expect(runner(m, 39823721)).toMatchObject({ ltp_before_off: 1.56, traded_volume: 18581.2, bsp: 1.55 });
    // line 165 carries the reconciled 9.9089325297506, line 166 the settled 9.9: the last definition wins.
    expect(runner(m, 42930960)).toMatchObject({ ltp_before_off: 9.8, bsp: 9.9 });
    expect(m.total_matched).toBe(25102.51);
  });

  it('ladders at the off: best back/lay and the traded ladder summing to the traded volume', () => {
    const l = runner(m, 37947503).ladders_at_off!;
    expect(l.back.slice(0, 3)).toEqual([
      [25, 0.33],
      [24, 9.58],
      [23, 28.21],
    ]);
    expect(l.lay.slice(0, 3)).toEqual([
      [26, 2.99],
      [27, 7.94],
      [28, 14.71],
    ]);
    expect(Math.round(l.traded.reduce((s, [, v]) => s + v, 0) * 100) / 100).toBe(547.4);
  });
});

describe('compression, framing and bad input', () => {
  it('bz2 and gzip of the same bytes give the same result as the plain file', async () => {
    for (const [plain, bz2] of [
      [TEXT.basic, BZ2.basic],
      [TEXT.greyhound, BZ2.greyhound],
    ] as const) {
      const expected = market(utf8(plain));
      expect(reconstructBytes(bz2).compression).toBe('bz2');
      expect(market(bz2)).toEqual(expected);
      const gz = await gzip(utf8(plain));
      expect(reconstructBytes(gz).compression).toBe('gzip');
      expect(market(gz)).toEqual(expected);
    }
  });

  it('a truncated last line is a rejection with its line number, not a crash', () => {
    const text = TEXT.basic.trimEnd();
    const cut = text.slice(0, text.length - 400);
    const { reconstructor } = reconstructBytes(utf8(cut));
    expect(reconstructor.rejections).toEqual([
      { locator: 'line:480', field: null, rule: 'malformed_line', message: expect.stringContaining('line 480') },
    ]);
    const m = summarizeMarket([...reconstructor.markets.values()][0]!);
    expect(m.status).toBe('SUSPENDED'); // the CLOSED definition was on the cut line
    expect(runner(m, 12115648).ltp_before_off).toBe(4);
  });

  it('a stream whose first message has no market definition is classified, not guessed', () => {
    const withoutFirst = lines(TEXT.basic).slice(2).join('\n');
    let err: unknown;
    try {
      reconstructBytes(utf8(withoutFirst));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AdapterError);
    expect(err).toMatchObject({
      code: 'BETFAIR_NO_MARKET_DEFINITION',
      category: 'parse',
      retryable: false,
      details: { line: 1, market_id: '1.132153978' },
    });
    // The real delta update alone (streaming_mcm_update.json) is the same case.
    expect(() => reconstructBytes(utf8(TEXT.update))).toThrow(/without a marketDefinition/);
  });

  it('heartbeats and unknown ops are counted and skipped; the result is unchanged', () => {
    const l = lines(TEXT.basic);
    const mixed = [
      l[1],
      TEXT.heartbeat.trim(),
      '{"op":"connection","connectionId":"002-051134157842-432409"}',
      '{"op":"status","statusCode":"SUCCESS"}',
      ...l.slice(2),
    ].join('\r\n');
    const { reconstructor } = reconstructBytes(utf8(mixed));
    expect(reconstructor.stats).toMatchObject({
      heartbeats: 1,
      unknown_ops: { connection: 1, status: 1 },
      rejected: 0,
      market_changes: 480,
    });
    expect(summarizeMarket([...reconstructor.markets.values()][0]!)).toEqual(market(utf8(TEXT.basic)));
  });

  it('the real definition and delta messages: level-keyed best-offer ladders', () => {
    // streaming_market_definition.json is a bare definition; wrapped here in the mcm it travels in.
    const def = `{"op":"mcm","id":2,"clk":"A","pt":1471370160000,"mc":[{"id":"1.126235656","marketDefinition":${TEXT.definition.trim()}}]}`;
    const m = market(utf8([def, TEXT.heartbeat.trim(), TEXT.update.trim()].join('\n')));
    expect(m.runners).toHaveLength(7);
    expect(m).toMatchObject({ venue: 'Kempton', market_type: 'WIN', status: 'OPEN' });
    expect(m.off_at).toBeNull();
    expect(runner(m, 11527192).ltp_before_off).toBeNull();
  });

  it('lines split anywhere across chunks (even inside a UTF-8 sequence) reassemble exactly', () => {
    const text = 'é{"a":1}\n{"b":"ü€"}\r\n\n{"c":3}';
    const bytes = utf8(text);
    const got: Array<[string, number]> = [];
    const s = new LineSplitter((line, n) => got.push([line, n]));
    for (let i = 0; i < bytes.length; i += 3) s.push(bytes.subarray(i, i + 3));
    s.end();
    expect(got).toEqual([
      ['é{"a":1}', 1],
      ['{"b":"ü€"}', 2],
      ['', 3],
      ['{"c":3}', 4],
    ]);
  });

  it('a message that is JSON but not a market change is rejected by line', () => {
    const r = new StreamReconstructor();
    r.line(lines(TEXT.basic)[1]!, 1);
    r.line('[1,2]', 2);
    r.line('{"op":"mcm","pt":1,"mc":[{"id":"1.132153978","rc":[{"ltp":2}]}]}', 3);
    expect(r.rejections.map((x) => [x.locator, x.rule])).toEqual([
      ['line:2', 'malformed_message'],
      ['line:3', 'malformed_message'],
    ]);
  });
});
