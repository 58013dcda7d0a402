/** The async path (DecompressionStream for gzip) gives what the synchronous path gives, and state stays bounded. */
import { describe, expect, it } from 'vitest';
import { historicMarketPipeline } from './historic-market';
import { MAX_STORED_REJECTIONS, reconstructBytes, StreamReconstructor } from './reconstructor';
import { reconstructReadable } from './stream-read';
import { summarizeMarket } from './summary';
import { BZ2, gzip, lines, TEXT, utf8 } from './test-fixtures';

/** A ReadableStream that hands the bytes over in small, odd-sized chunks. */
function trickle(bytes: Uint8Array, size = 997): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

const summary = (r: { reconstructor: StreamReconstructor }) => [...r.reconstructor.markets.values()].map(summarizeMarket);

describe('reconstructReadable', () => {
  it('plain, gzip (DecompressionStream) and bz2 streams give the synchronous result', async () => {
    const expected = summary(reconstructBytes(utf8(TEXT.greyhound)));
    const plain = await reconstructReadable(trickle(utf8(TEXT.greyhound)));
    expect(plain.compression).toBe('plain');
    expect(summary(plain)).toEqual(expected);
    const gz = await reconstructReadable(trickle(await gzip(utf8(TEXT.greyhound))));
    expect(gz.compression).toBe('gzip');
    expect(summary(gz)).toEqual(expected);
    const bz = await reconstructReadable(trickle(BZ2.greyhound));
    expect(bz.compression).toBe('bz2');
    expect(summary(bz)).toEqual(expected);
  });

  it('a corrupt gzip stream is classified', async () => {
    const gz = await gzip(utf8(TEXT.basic));
    const broken = gz.slice();
    for (let i = 20; i < 400; i++) broken[i] = 0xff;
    await expect(reconstructReadable(trickle(broken))).rejects.toMatchObject({ code: 'BETFAIR_ARCHIVE_CORRUPT' });
  });
});

describe('bounded state', () => {
  it('the same messages replayed 20 times leave the same runners, timeline and ladders (state does not grow)', () => {
    const l = lines(TEXT.greyhound);
    const middle = l.slice(2, 165);
    const once = [l[1], ...middle, ...l.slice(165)].join('\n');
    const many = [l[1], ...Array.from({ length: 20 }, () => middle).flat(), ...l.slice(165)].join('\n');
    const a = summary(reconstructBytes(utf8(once)))[0]!;
    const b = summary(reconstructBytes(utf8(many)))[0]!;
    expect(b.runners.length).toBe(6);
    expect(b.timeline).toEqual(a.timeline);
    expect(b.runners.map((r) => r.ladders_at_off)).toEqual(a.runners.map((r) => r.ladders_at_off));
  });

  it('stored rejections are capped, the count is not; a garbage file fails the acceptance threshold', () => {
    const r = new StreamReconstructor();
    r.line(lines(TEXT.basic)[1]!, 1);
    for (let i = 2; i < MAX_STORED_REJECTIONS + 500; i++) r.line('{"op":"mcm", broken', i);
    expect(r.rejections).toHaveLength(MAX_STORED_REJECTIONS);
    expect(r.stats.rejected).toBe(MAX_STORED_REJECTIONS + 498);

    const garbage = [lines(TEXT.basic)[1], ...Array.from({ length: 50 }, () => '{"op":"mcm","pt":'), ''].join('\n');
    const p = { key: 'betfair/historic/garbage' };
    const fetched = [
      {
        resourceType: 'historic_file',
        resourceKey: p.key,
        url: `r2:${p.key}`,
        status: 200,
        contentType: null,
        body: '',
        bytes: utf8(garbage),
        sha256: '',
      },
    ];
    const parsed = historicMarketPipeline.parse(p, fetched);
    const out = historicMarketPipeline.normalize(p, parsed);
    const acc = historicMarketPipeline.acceptance!(p, parsed, out);
    expect(acc.rejected.length / acc.seen).toBeGreaterThan(historicMarketPipeline.acceptancePolicy!.maxRejectedRatio);
    expect(out.rejected_by_rule).toEqual({ malformed_line: 50 });
  });

  it('the historic file trigger takes stream files and ignores sidecars', () => {
    const t = historicMarketPipeline.fileTrigger!;
    expect(t.params({ key: 'betfair/historic/2017/Jun/14/1.132153978.bz2', size: 9 }, t.prefix)).toEqual({
      key: 'betfair/historic/2017/Jun/14/1.132153978.bz2',
    });
    expect(t.params({ key: 'betfair/historic/1.197931750.json', size: 9 }, t.prefix)).toBeNull();
  });
});
