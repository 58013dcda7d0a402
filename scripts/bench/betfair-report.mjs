// The Betfair section of the bench's outputs (figures from scripts/bench/betfair-bench.ts). Pure formatting.
import { f } from './report.mjs';

export function betfairReport(b) {
  const L = ['## Betfair stream reconstruction', ''];
  L.push(
    `\`reconstructBytes\` + \`summarizeMarket\` (src/pipelines/betfair/: lines → JSON.parse → market state; what \`betfair.historic_market\` parses) on the real recordings, under tsx in Node ${b.node}, against a floor measured in the same run on the same bytes: a bare \`JSON.parse\` of every line, no market state. An update is one market change (an \`mc\` entry); runner changes are the \`rc\` entries inside them. Interleaved rounds, medians. Reference: betfairlightweight, about 45k updates/s on its author's machine.`,
    '',
  );
  L.push(
    '| file | KB | updates | runner changes | median ms | updates/s | runner changes/s | MB/s | floor ms | floor MB/s | ratio to floor |',
  );
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of b.cases)
    L.push(
      `| ${c.name} | ${f(c.bytes / 1024, 0)} | ${c.updates} | ${c.runner_changes} | ${f(c.median_ms, 2)} | ${f(c.updates_per_s, 0)} | ${f(c.runner_changes_per_s, 0)} | ${f(c.mb_per_s, 1)} | ${f(c.floor_median_ms, 2)} | ${f(c.floor_mb_per_s, 1)} | ${f(c.ratio, 2)}x |`,
    );
  L.push('');
  const d = b.decompression;
  L.push(
    `Decompression alone (output MB/s of the greyhound file, ${f(d.plain_bytes / 1024, 0)} KB): bz2 (seek-bzip) ${f(d.bz2.out_mb_per_s, 2)} MB/s, gzip (fflate) ${f(d.gzip.out_mb_per_s, 2)} MB/s.`,
    '',
  );
  const s = b.stream;
  L.push(
    `Peak heap on a ${f(s.file_mb, 0)} MB stream built at bench time from the real greyhound file's messages (temp dir, deleted afterwards; streamed from disk in 64 KB chunks): baseline ${f(s.heap_baseline_mb, 1)} MB, peak ${f(s.heap_peak_mb, 1)} MB, after GC ${f(s.heap_after_gc_mb, 1)} MB; heap at 10% / 50% / 100% of the file ${f(s.heap_at['10%']?.heap_mb, 1)} / ${f(s.heap_at['50%']?.heap_mb, 1)} / ${f(s.heap_at['100%']?.heap_mb, 1)} MB (flat). ${s.updates} updates in ${f(s.ms / 1000, 1)} s: ${f(s.updates_per_s, 0)} updates/s, ${f(s.mb_per_s, 1)} MB/s (full ladders on every update).`,
    '',
  );
  if (b.runtime) {
    L.push(
      `The runtime's stream path on the same lines (\`parseStreamed\` in src/runtime/stream-source.ts, what a \`betfair.historic_market\` job runs on its FILES object: an R2-like web ReadableStream of 64 KB chunks read from disk on demand → incremental sha256 (node:crypto here, DigestStream in workerd) → DecompressionStream / the bz2 window decoder → lines → reconstruction → summaries). bz2: the real greyhound archive's bzip2 streams back to back (multistream).`,
      '',
      '| archive | file MB | lines MB | updates | s | updates/s | MB/s of lines | heap baseline MB | heap peak MB | heap 10% / 50% / 100% MB |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    );
    for (const r of b.runtime)
      L.push(
        `| ${r.compression} | ${f(r.file_mb, 1)} | ${f(r.lines_mb, 0)} | ${r.updates} | ${f(r.ms / 1000, 1)} | ${f(r.updates_per_s, 0)} | ${f(r.mb_per_s, 1)} | ${f(r.heap_baseline_mb, 1)} | ${f(r.heap_peak_mb, 1)} | ${f(r.heap_at['10%']?.heap_mb, 1)} / ${f(r.heap_at['50%']?.heap_mb, 1)} / ${f(r.heap_at['100%']?.heap_mb, 1)} |`,
      );
    L.push('');
  }
  return L.join('\n');
}

export function betfairLines(b) {
  const lines = ['betfair stream reconstruction (median ms / floor ms / ratio, updates/s):'];
  for (const c of b.cases)
    lines.push(
      `  ${c.name.padEnd(44)} ${f(c.median_ms, 2).padStart(7)} ${f(c.floor_median_ms, 2).padStart(7)} ${f(c.ratio, 2).padStart(6)}x  ${f(c.updates_per_s, 0)} updates/s  ${f(c.mb_per_s, 1)} MB/s`,
    );
  const s = b.stream;
  lines.push(
    `  ${f(s.file_mb, 0)} MB stream: heap baseline ${f(s.heap_baseline_mb, 1)} MB, peak ${f(s.heap_peak_mb, 1)} MB; ${f(s.updates_per_s, 0)} updates/s ${f(s.mb_per_s, 1)} MB/s`,
  );
  for (const r of b.runtime ?? [])
    lines.push(
      `  runtime stream path, ${r.compression} (${f(r.file_mb, 0)} MB file): heap baseline ${f(r.heap_baseline_mb, 1)} MB, peak ${f(r.heap_peak_mb, 1)} MB; ${f(r.updates_per_s, 0)} updates/s ${f(r.mb_per_s, 1)} MB/s`,
    );
  return lines.join('\n');
}
