import { describe, expect, it } from 'vitest';
import { decodeEntities, rows, lineText } from './html';
import { readJsLiteral } from './js-literal';
import { detectLiveRcBlock, LIVERC_PROVIDER } from './provider';
import { clockToMs, parseCompletedAt, parseLapsTime, parseLengthSec } from './values';
import { PAGES } from './test-fixtures';

describe('scanner helpers', () => {
  it('decodes entities and collapses whitespace', () => {
    expect(decodeEntities('Race Lineups &amp; Results &#39;x&#x27; &nbsp;&bogus;')).toBe("Race Lineups & Results 'x' \u00a0&bogus;");
    expect(lineText('<td> <a href="#">Rock &amp;\n Roll</a> </td>')).toBe('Rock & Roll');
    expect(rows('<tr><th>a</th></tr><tr class="x"><td>1</td><td></td></tr>')).toEqual([
      { attrs: '', cells: ['a'], header: true },
      { attrs: ' class="x"', cells: ['1', ''], header: false },
    ]);
  });

  it('reads JavaScript object literals (single quotes, trailing commas, escapes)', () => {
    const src = "x = { 'driverName' : 'O\\'NEIL', laps : [ { 'lapNum' : '1', }, ], n: -1.5e1, ok: true, // note\n };";
    expect(readJsLiteral(src, src.indexOf('{')).value).toEqual({ driverName: "O'NEIL", laps: [{ lapNum: '1' }], n: -15, ok: true });
    expect(() => readJsLiteral('{ a: foo() }', 0)).toThrow();
  });

  it('converts LiveRC display values', () => {
    expect(clockToMs('1:51.828')).toBe(111828);
    expect(clockToMs('37.234')).toBe(37234);
    expect(clockToMs('0')).toBeNull();
    expect(parseLapsTime('47/30:31.382')).toEqual({ laps: 47, totalTimeMs: 1831382 });
    expect(parseLapsTime('0')).toEqual({ laps: 0, totalTimeMs: null });
    expect(parseLengthSec('30:00 Timed')).toBe(1800);
    expect(parseCompletedAt('Nov 16, 2025 at 12:05am')).toBe('2025-11-16T00:05:00');
    expect(parseCompletedAt('Nov 16, 2025 at 12:30pm')).toBe('2025-11-16T12:30:00');
  });
});

describe('LIVERC_PROVIDER', () => {
  it('covers live.liverc.com and track subdomains only', () => {
    for (const h of ['live.liverc.com', 'canberraoffroad.liverc.com', 'FastandFunToyandHobby.liverc.com'])
      expect(LIVERC_PROVIDER.hostPattern.test(h)).toBe(true);
    for (const h of ['liverc.com.evil.example', 'notliverc.com']) expect(LIVERC_PROVIDER.hostPattern.test(h)).toBe(false);
    expect(LIVERC_PROVIDER.ratePerSec).toBe(1);
    expect(LIVERC_PROVIDER.burst).toBe(2);
  });

  it('never flags real LiveRC pages, flags access-denied and rate-limit pages', () => {
    for (const body of [PAGES.nitroA, PAGES.eventPage, PAGES.entryList])
      expect(detectLiveRcBlock(200, 'text/html; charset=utf-8', body)).toBeNull();
    expect(detectLiveRcBlock(403, 'text/html', '<html><head><title>Access Denied</title></head><body>denied</body></html>')).toBe(
      'LIVERC_ACCESS_DENIED',
    );
    expect(detectLiveRcBlock(429, 'text/plain', 'slow down')).toBeNull(); // the transport retries a 429
    expect(detectLiveRcBlock(200, 'text/html', '<title>Too Many Requests</title>')).toBe('LIVERC_RATE_LIMITED');
    expect(detectLiveRcBlock(404, 'text/plain', 'no fixture')).toBeNull();
  });
});
