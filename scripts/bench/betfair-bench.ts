/**
 * `npm run bench -- --only betfair`: Exchange Stream reconstruction on the real recordings (testdata/betfair/)
 * against a floor measured in the same run on the same bytes: a bare `JSON.parse` of every line, no market state.
 * Then the peak heap while reconstructing a ~200 MB stream built from the real greyhound file's messages (written
 * to a temp dir at bench time, streamed from disk in 64 KB chunks, deleted afterwards), sampled as it runs: it must
 * stay flat; then the same through the runtime's stream path (betfair-runtime-stream.ts), plain, gzip and bz2.
 * Prints JSON on stdout. Run with --expose-gc (bench.mjs does) so the baseline is a collected heap.
 */
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decompressInto } from '../../src/pipelines/betfair/decompress';
import { LineSplitter } from '../../src/pipelines/betfair/lines';
import { reconstructBytes, StreamReconstructor } from '../../src/pipelines/betfair/reconstructor';
import { summarizeMarket } from '../../src/pipelines/betfair/summary';
import { runtimeStreamHeap } from './betfair-runtime-stream';

const ROOT = join(import.meta.dirname, '..', '..');
const FILES = [
  { name: 'BASIC-1.132153978 (horse WIN, LTP only)', file: 'BASIC-1.132153978' },
  { name: '1.197931750 (greyhound WIN, full ladders)', file: '1.197931750' },
];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function floor(bytes: Uint8Array): number {
  const text = new TextDecoder().decode(bytes);
  let n = 0;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    if (nl > start) {
      JSON.parse(text.slice(start, nl));
      n++;
    }
    start = nl + 1;
  }
  if (start < text.length) JSON.parse(text.slice(start));
  return n;
}

function measured(bytes: Uint8Array): number {
  const { reconstructor } = reconstructBytes(bytes);
  for (const m of reconstructor.markets.values()) summarizeMarket(m);
  return reconstructor.stats.market_changes;
}

/** Interleaved rounds, each at least `minMs` of repeated calls: medians of per-call time. */
function compare(bytes: Uint8Array, rounds = 15, minMs = 60) {
  const a: number[] = [];
  const b: number[] = [];
  const time = (fn: () => unknown) => {
    let n = 0;
    const t0 = performance.now();
    do {
      fn();
      n++;
    } while (performance.now() - t0 < minMs);
    return (performance.now() - t0) / n;
  };
  for (let i = 0; i < 3; i++) {
    measured(bytes);
    floor(bytes);
  }
  for (let i = 0; i < rounds; i++) {
    a.push(time(() => measured(bytes)));
    b.push(time(() => floor(bytes)));
  }
  return { ms: median(a), floor_ms: median(b) };
}

const cases = [];
for (const c of FILES) {
  const bytes = new Uint8Array(readFileSync(join(ROOT, 'testdata', 'betfair', c.file)));
  const { reconstructor } = reconstructBytes(bytes);
  const updates = reconstructor.stats.market_changes;
  const runnerChanges = reconstructor.stats.runner_changes;
  const { ms, floor_ms } = compare(bytes);
  cases.push({
    name: c.name,
    bytes: bytes.byteLength,
    lines: reconstructor.stats.lines,
    updates,
    runner_changes: runnerChanges,
    median_ms: ms,
    floor_median_ms: floor_ms,
    updates_per_s: updates / (ms / 1000),
    runner_changes_per_s: runnerChanges / (ms / 1000),
    mb_per_s: bytes.byteLength / 1e6 / (ms / 1000),
    floor_updates_per_s: updates / (floor_ms / 1000),
    floor_mb_per_s: bytes.byteLength / 1e6 / (floor_ms / 1000),
    ratio: ms / floor_ms,
  });
}

// Decompression alone (output MB/s), on the greyhound file: what a bz2 or gzip archive adds per MB.
const ghPlain = new Uint8Array(readFileSync(join(ROOT, 'testdata', 'betfair', '1.197931750')));
const ghBz2 = Uint8Array.from(
  Buffer.from(readFileSync(join(ROOT, 'testdata', 'betfair', 'derived', '1.197931750.bz2.b64'), 'utf8'), 'base64'),
);
const { gzipSync } = await import('node:zlib');
const ghGz = new Uint8Array(gzipSync(ghPlain));
const decomp = (bytes: Uint8Array) => {
  const t: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    let n = 0;
    decompressInto(bytes, (c) => (n += c.byteLength));
    t.push(performance.now() - t0);
  }
  return { median_ms: median(t), out_mb_per_s: ghPlain.byteLength / 1e6 / (median(t) / 1000) };
};
const decompression = { bz2: decomp(ghBz2), gzip: decomp(ghGz), plain_bytes: ghPlain.byteLength };

// ~200 MB stream from the real greyhound messages: its definition, then the middle messages repeated with
// advancing publish times, then its closing definitions. Memory must not grow with the file.
const TARGET = Number(process.env.BENCH_BETFAIR_STREAM_MB ?? 200) * 1e6;
const dir = mkdtempSync(join(tmpdir(), 'betfair-bench-'));
const big = join(dir, 'stream-200mb.jsonl');
const gh = readFileSync(join(ROOT, 'testdata', 'betfair', '1.197931750'), 'utf8')
  .trimEnd()
  .split('\n');
const head = gh[0]!;
const middle = gh.slice(1, 164);
const tail = gh.slice(164);
const fd = openSync(big, 'w');
writeSync(fd, `${head}\n`);
let written = head.length + 1;
let shift = 0;
const span = 1650392837733 - 1650392673420;
while (written < TARGET) {
  shift += span;
  const block = `${middle.map((l) => l.replace(/"pt":(\d+)/, (_m, pt) => `"pt":${Number(pt) - span * 1000 + shift}`)).join('\n')}\n`;
  writeSync(fd, block);
  written += Buffer.byteLength(block);
}
writeSync(fd, `${tail.join('\n')}\n`);
closeSync(fd);
const size = statSync(big).size;

gc();
const baseline = process.memoryUsage().heapUsed;
const r = new StreamReconstructor();
const splitter = new LineSplitter((line, n) => r.line(line, n));
const samples: Array<{ mb_read: number; heap_mb: number }> = [];
let peak = baseline;
let read = 0;
let chunks = 0;
const t0 = performance.now();
await new Promise<void>((ok, fail) => {
  createReadStream(big, { highWaterMark: 64 * 1024 })
    .on('data', (chunk) => {
      const c = chunk as Buffer;
      splitter.push(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
      read += c.byteLength;
      if (++chunks % 32 === 0) {
        const h = process.memoryUsage().heapUsed;
        if (h > peak) peak = h;
        if (chunks % 320 === 0) samples.push({ mb_read: read / 1e6, heap_mb: h / 1e6 });
      }
    })
    .on('end', () => ok())
    .on('error', fail);
});
splitter.end();
const streamMs = performance.now() - t0;
const m = summarizeMarket([...r.markets.values()][0]!);
gc();
const after = process.memoryUsage().heapUsed;

// The runtime's stream path (what the job runs) on the same 200 MB of lines: plain, gzip'ed, and as bz2 (the real
// greyhound archive's bzip2 streams back to back until they hold as many bytes of lines: a multistream archive).
const { createGzip } = await import('node:zlib');
const { pipeline: pipe } = await import('node:stream/promises');
const { createWriteStream } = await import('node:fs');
await pipe(createReadStream(big), createGzip(), createWriteStream(`${big}.gz`));
const bzFd = openSync(`${big}.bz2`, 'w');
for (let n = 0; n < size; n += ghPlain.byteLength) writeSync(bzFd, ghBz2);
closeSync(bzFd);
const runtime = [
  await runtimeStreamHeap(big, 'plain'),
  await runtimeStreamHeap(`${big}.gz`, 'gzip'),
  await runtimeStreamHeap(`${big}.bz2`, 'bz2'),
];
rmSync(dir, { recursive: true, force: true });
const pick = (f: number) => samples[Math.min(samples.length - 1, Math.floor(samples.length * f))]!;

const stream = {
  file_mb: size / 1e6,
  lines: r.stats.lines,
  updates: r.stats.market_changes,
  ms: streamMs,
  updates_per_s: r.stats.market_changes / (streamMs / 1000),
  mb_per_s: size / 1e6 / (streamMs / 1000),
  heap_baseline_mb: baseline / 1e6,
  heap_peak_mb: peak / 1e6,
  heap_after_gc_mb: after / 1e6,
  heap_at: { '10%': pick(0.1), '50%': pick(0.5), '100%': samples[samples.length - 1] },
  winner: m.runners.find((x) => x.result === 'winner')?.name ?? null,
  rejected: r.stats.rejected,
};

console.log(JSON.stringify({ node: process.version, cases, decompression, stream, runtime }));
