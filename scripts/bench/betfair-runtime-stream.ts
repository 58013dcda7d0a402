/**
 * Peak heap of the runtime's stream path on a large file: `parseStreamed` (src/runtime/stream-source.ts, what a
 * `betfair.historic_market` job runs on its FILES object) over an R2-like body, a web ReadableStream of 64 KB
 * Uint8Array chunks read from disk on demand. Hashing is node:crypto's incremental sha256 in place of workerd's
 * DigestStream (Node has none); everything after it (decompression, lines, reconstruction, summaries) is the job's.
 * The heap is sampled on every chunk from inside the hash (a bz2 chunk can decode into many MB of lines).
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { historicMarketPipeline } from '../../src/pipelines/betfair/historic-market';
import { parseStreamed, type Sha256Stream } from '../../src/runtime/stream-source';

const CHUNK = 64 * 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function r2LikeBody(path: string): Promise<{ body: ReadableStream<Uint8Array>; size: number }> {
  const fh = await open(path, 'r');
  const size = (await stat(path)).size;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        const buf = new Uint8Array(CHUNK);
        const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
        if (bytesRead === 0) {
          await fh.close();
          c.close();
        } else c.enqueue(bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead));
      },
    },
    { highWaterMark: 0 },
  );
  return { body, size };
}

export async function runtimeStreamHeap(path: string, label: string) {
  const { body, size } = await r2LikeBody(path);
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  let chunks = 0;
  let read = 0;
  const samples: Array<{ mb_read: number; heap_mb: number }> = [];
  const sha = (): Sha256Stream => {
    const h = createHash('sha256');
    return {
      update(chunk) {
        h.update(chunk);
        read += chunk.byteLength;
        const used = process.memoryUsage().heapUsed;
        if (used > peak) peak = used;
        if (++chunks % 32 === 0) samples.push({ mb_read: read / 1e6, heap_mb: used / 1e6 });
      },
      hex: async () => h.digest('hex'),
    };
  };
  const t0 = performance.now();
  const req = { resourceType: 'historic_file', resourceKey: label, url: label };
  const run = await parseStreamed(historicMarketPipeline, { key: label }, req, { body, size, contentType: null }, sha);
  const ms = performance.now() - t0;
  if (!run.outcome.ok) throw run.outcome.error;
  const parsed = run.outcome.parsed as { compression: string; stats: { lines: number; bytes: number; market_changes: number } };
  gc();
  const after = process.memoryUsage().heapUsed;
  const pick = (f: number) => samples[Math.min(samples.length - 1, Math.floor(samples.length * f))];
  return {
    compression: parsed.compression,
    file_mb: size / 1e6,
    lines_mb: parsed.stats.bytes / 1e6,
    updates: parsed.stats.market_changes,
    ms,
    updates_per_s: parsed.stats.market_changes / (ms / 1000),
    mb_per_s: parsed.stats.bytes / 1e6 / (ms / 1000),
    heap_baseline_mb: baseline / 1e6,
    heap_peak_mb: peak / 1e6,
    heap_after_gc_mb: after / 1e6,
    heap_at: { '10%': pick(0.1), '50%': pick(0.5), '100%': samples[samples.length - 1] },
    sha256: run.sha256,
  };
}
