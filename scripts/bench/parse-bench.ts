// Parse + normalize benchmark, run with tsx by scripts/bench.mjs (section "parse"). Feeds every bench case's
// captured bytes through runNormalizeStep (parse -> normalize -> schema check -> entity hashes -> canonical sha256
// hashes), the exact code path a job runs, and measures a floor on the same bytes in the same process:
// an htmlparser2 tokenize pass with no tree for HTML resources, JSON.parse for JSON resources.
// Prints one JSON document on stdout.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser } from 'htmlparser2';
import { canonicalHash, canonicalJson, entityHash } from '../../src/core/canonical-json';
import type { FetchedResource } from '../../src/core/pipeline';
import { LIVERC_BENCH_CASES } from '../../src/pipelines/liverc/bench-cases';
import { SMOOTHCOMP_BENCH_CASES } from '../../src/pipelines/smoothcomp/bench-cases';
import { SOFASCORE_BENCH_CASES } from '../../src/pipelines/sofascore/bench-cases';
import { getPipeline } from '../../src/pipelines/registry';
import { runNormalizeStep, sourceSnapshotHash } from '../../src/runtime/normalize-step';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const budgetMs = Number(process.env.BENCH_PARSE_BUDGET_MS ?? 1500);
const now = () => performance.now();

interface Case {
  name: string;
  pipeline: string;
  params: Record<string, unknown>;
  resources: Array<{ resourceType: string; resourceKey: string; url: string; file: string; status?: number }>;
}

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Runs fn repeatedly (after a warm-up) for about `budget` ms, at least `min` times; returns sorted samples (ms). */
async function sample(fn: () => unknown | Promise<unknown>, budget: number, min = 15): Promise<number[]> {
  const warmUntil = now() + Math.min(300, budget / 4);
  let w = 0;
  while (now() < warmUntil || w < 3) {
    await fn();
    w++;
  }
  const out: number[] = [];
  const until = now() + budget;
  while (now() < until || out.length < min) {
    const t0 = now();
    await fn();
    out.push(now() - t0);
    if (out.length >= 5000) break;
  }
  return out.sort((a, b) => a - b);
}

function floorPass(bodies: Array<{ body: string; json: boolean }>): number {
  let n = 0;
  for (const b of bodies) {
    if (b.json) {
      n += JSON.parse(b.body) === undefined ? 0 : 1;
    } else {
      const p = new Parser({ onopentag: () => void n++, ontext: () => void n++ }, { decodeEntities: true });
      p.write(b.body);
      p.end();
    }
  }
  return n;
}

const isJson = (file: string, body: string) => file.endsWith('.json') || /^\s*[[{]/.test(body);

const cases: Case[] = [...(LIVERC_BENCH_CASES as Case[]), ...(SMOOTHCOMP_BENCH_CASES as Case[]), ...(SOFASCORE_BENCH_CASES as Case[])];
const results = [];
for (const c of cases) {
  const pipeline = getPipeline(c.pipeline);
  if (!pipeline) throw new Error(`unknown pipeline ${c.pipeline}`);
  const fetched: FetchedResource[] = c.resources.map((r) => {
    const buf = readFileSync(join(ROOT, 'testdata', r.file));
    return {
      resourceType: r.resourceType,
      resourceKey: r.resourceKey,
      url: r.url,
      status: r.status ?? 200,
      contentType: r.file.endsWith('.json') ? 'application/json' : 'text/html; charset=utf-8',
      body: buf.toString('utf8'),
      bytes: new Uint8Array(buf),
      sha256: createHash('sha256').update(buf).digest('hex'),
    };
  });
  const bytes = fetched.reduce((s, f) => s + Buffer.byteLength(f.body), 0);
  const params = pipeline.paramsSchema.parse(c.params) as Record<string, unknown>;
  const bodies = fetched.map((f, i) => ({ body: f.body, json: isJson(c.resources[i]!.file, f.body) }));
  const htmlBytes = bodies.filter((b) => !b.json).reduce((s, b) => s + Buffer.byteLength(b.body), 0);

  // Sanity: the path must succeed on this input.
  const once = await runNormalizeStep(pipeline, params, fetched);

  // Interleave full and floor in rounds so drift on a noisy box hits both alike.
  const full: number[] = [];
  const floor: number[] = [];
  for (let round = 0; round < 3; round++) {
    full.push(...(await sample(() => runNormalizeStep(pipeline, params, fetched), budgetMs / 6)));
    floor.push(...(await sample(() => floorPass(bodies), budgetMs / 6)));
  }
  full.sort((a, b) => a - b);
  floor.sort((a, b) => a - b);

  // Breakdown, phase by phase on the same input (mirrors parseAndNormalize + runNormalizeStep).
  const phase = {
    parse: [] as number[],
    normalize: [] as number[],
    schema: [] as number[],
    entities: [] as number[],
    hashes: [] as number[],
  };
  const until = now() + budgetMs / 3;
  let iters = 0;
  while (now() < until || iters < 10) {
    iters++;
    let t = now();
    const parsed = pipeline.parse(params, fetched);
    phase.parse.push(now() - t);
    t = now();
    const normalized = pipeline.normalize(params, parsed);
    phase.normalize.push(now() - t);
    t = now();
    const checked = pipeline.outputSchema.safeParse(normalized);
    phase.schema.push(now() - t);
    t = now();
    const eh: Record<string, string> = {};
    for (const [k, v] of pipeline.entities(checked.data)) eh[k] = entityHash(canonicalJson(v));
    phase.entities.push(now() - t);
    t = now();
    await canonicalHash(checked.data);
    await sourceSnapshotHash(fetched);
    phase.hashes.push(now() - t);
  }
  const med = (xs: number[]) =>
    pct(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const fullMed = pct(full, 50);
  const floorMed = pct(floor, 50);
  results.push({
    name: c.name,
    pipeline: c.pipeline,
    resources: fetched.length,
    html_resources: bodies.filter((b) => !b.json).length,
    json_resources: bodies.filter((b) => b.json).length,
    bytes,
    html_bytes: htmlBytes,
    entities: once.entityCount,
    samples: full.length,
    median_ms: fullMed,
    p95_ms: pct(full, 95),
    median_ms_per_page: fullMed / fetched.length,
    p95_ms_per_page: pct(full, 95) / fetched.length,
    mb_per_s: bytes / 1e6 / (fullMed / 1000),
    floor_median_ms: floorMed,
    floor_mb_per_s: bytes / 1e6 / (floorMed / 1000),
    ratio: fullMed / floorMed,
    breakdown_ms: {
      parse: med(phase.parse),
      normalize: med(phase.normalize),
      schema: med(phase.schema),
      entity_hashes: med(phase.entities),
      sha256_hashes: med(phase.hashes),
    },
  });
  process.stderr.write(`  parse: ${c.pipeline} ${c.name}: ${fullMed.toFixed(2)} ms vs floor ${floorMed.toFixed(2)} ms\n`);
}
process.stdout.write(JSON.stringify({ node: process.version, cases: results }));
