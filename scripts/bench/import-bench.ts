// Snapshot import benchmark, run with tsx by scripts/bench.mjs (section "import"). The bytes: the snapshot the
// basketball_reference extractor makes of the real 2018-19 totals page (446 records), and the same records repeated
// 5 times under other player ids (2 230 records). Measured: what the two import jobs compute
// from the bytes (snapshots.import: strict validation and receipt; snapshots.season: a plain parse of the bytes the
// import validated, identified by sha256, so the file is validated once; then entities, entity hashes, canonical
// sha256), against a floor in the same process on the same bytes: JSON.parse plus a zod strict-object schema
// check. Prints one JSON document on stdout.
import { readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { sha256Hex } from '../../src/core/canonical-json';
import type { FetchedResource } from '../../src/core/pipeline';
import { parseTotalsPage } from '../../src/pipelines/snapshots/extractors/bbref-parse';
import { totalsToRecords } from '../../src/pipelines/snapshots/extractors/bbref-season-totals';
import { importFilePipeline } from '../../src/pipelines/snapshots/import-file';
import { fileParams } from '../../src/pipelines/snapshots/prefixes';
import { RECORD_FIELDS, type SnapshotRecord } from '../../src/pipelines/snapshots/schema';
import { seasonPipeline } from '../../src/pipelines/snapshots/season';
import { runNormalizeStep } from '../../src/runtime/normalize-step';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const budgetMs = Number(process.env.BENCH_PARSE_BUDGET_MS ?? 1500);

const page = readFileSync(join(ROOT, 'testdata/basketball-reference/NBA_2019_totals.html'), 'utf8');
const base = totalsToRecords({ league: 'NBA', season: 2019, include_raw_payload: false }, parseTotalsPage(page).rows);
const docOf = (records: SnapshotRecord[]) =>
  new TextEncoder().encode(JSON.stringify({ source_name: 'basketball_reference', snapshot_date: '2026-03-13', records }, null, 2));
const cases = [
  { name: 'bbref NBA 2018-19 (real page)', bytes: docOf(base) },
  {
    name: 'bbref x5 (synthetic ids)',
    bytes: docOf(
      Array.from({ length: 5 }, (_, i) => base.map((r) => ({ ...r, player_external_id: `${r.player_external_id}-${i}` }))).flat(),
    ),
  },
];

// The floor's schema check: zod strict objects with the same field types (no dates, bounds or cross-record rules).
const field = (s: (typeof RECORD_FIELDS)[string]) => {
  const t =
    s.kind === 'integer' || s.kind === 'number' || s.kind === 'pct'
      ? z.number()
      : s.kind === 'object'
        ? z.record(z.string(), z.unknown())
        : s.kind === 'json'
          ? z.unknown()
          : z.string();
  const n = s.nullable ? t.nullable() : t;
  return s.optional ? n.optional() : n;
};
const floorSchema = z.strictObject({
  source_name: z.string(),
  snapshot_date: z.string(),
  records: z.array(z.strictObject(Object.fromEntries(Object.entries(RECORD_FIELDS).map(([k, s]) => [k, field(s)])))).min(1),
  source_metadata: z.record(z.string(), z.unknown()).optional(),
  raw_payload: z.unknown().optional(),
});

async function sample(fn: () => unknown, budget: number, min = 5): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn();
  const out: number[] = [];
  const until = performance.now() + budget;
  while (performance.now() < until || out.length < min) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}
const median = (s: number[]) => s[Math.floor(s.length / 2)]!;

const rows = [];
for (const c of cases) {
  const sha256 = await sha256Hex(c.bytes);
  const key = 'incoming/bench.json';
  const res: FetchedResource = {
    resourceType: 'snapshot_file',
    resourceKey: key,
    url: `r2:${key}`,
    status: 200,
    contentType: 'application/json',
    body: '',
    bytes: c.bytes,
    sha256,
  };
  const fp = fileParams({ key, size: c.bytes.byteLength, eTag: 'bench' }, 'incoming/')!;
  const sp = {
    source_name: 'basketball_reference',
    competition: 'NBA',
    season: '2018-2019',
    snapshot_date: '2026-03-13',
    sha256,
    key,
    archive_key: key,
  };
  const records = JSON.parse(new TextDecoder().decode(c.bytes)).records.length as number;
  const importer = await sample(async () => {
    await runNormalizeStep(importFilePipeline, fp, [res]);
    await runNormalizeStep(seasonPipeline, sp, [res]);
  }, budgetMs);
  const floor = await sample(() => {
    const ok = floorSchema.safeParse(JSON.parse(new TextDecoder().decode(c.bytes))).success;
    if (!ok) throw new Error('floor schema refused the bench file');
  }, budgetMs);
  const mb = c.bytes.byteLength / 1e6;
  const ms = median(importer);
  const floorMs = median(floor);
  rows.push({
    case: c.name,
    bytes: c.bytes.byteLength,
    records,
    import_ms: ms,
    import_records_per_s: records / (ms / 1000),
    import_mb_per_s: mb / (ms / 1000),
    floor_ms: floorMs,
    floor_records_per_s: records / (floorMs / 1000),
    floor_mb_per_s: mb / (floorMs / 1000),
    ratio: ms / floorMs,
    samples: importer.length,
  });
}
process.stdout.write(JSON.stringify({ cases: rows }));
