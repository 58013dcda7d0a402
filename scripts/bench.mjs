#!/usr/bin/env node
// `npm run bench`: measures, side by side in one run on this machine,
//   parse   parse + normalize + hashing of every bench case vs an htmlparser2 / JSON.parse floor on the same bytes
//   cost    D1 rows, R2 objects, provider requests per job: first sync vs unchanged re-sync
//   lookup  GET /internal/v1/publications/latest latency under 50 concurrent clients
//   e2e     end-to-end jobs/s through wrangler dev + fixture server, next to a bare Worker (scripts/bare-worker)
//   enqueue POST /internal/v1/jobs acknowledgement latency under 50 concurrent clients
//   console admin console page latency, one signed-in client (scripts/bench/console.mjs)
//   betfair Exchange Stream reconstruction vs a JSON.parse-per-line floor, peak heap on a 200 MB stream
//   import  snapshot import throughput (records/s, MB/s) vs a JSON.parse + zod schema-check floor (scripts/bench/import-bench.ts)
// and writes docs/benchmarks.md (full runs only, or with --write). `--only parse,e2e` runs some sections.
// Loopback only: every provider request goes to the fixture server through UPSTREAM_OVERRIDE.
import { spawnSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT,
  TERMINAL,
  client,
  closedLoop,
  d1Counts,
  d1Query,
  machine,
  newState,
  r2Count,
  sleep,
  startAdapter,
  startWrangler,
} from './bench/stack.mjs';
import { consoleFile, f, printTable, report } from './bench/report.mjs';
import { combineTrials } from './bench/trials.mjs';
import { startFixtureServer } from './fixture-server.mjs';
import { measureOpCosts } from './bench/op-cost.mjs';
import { measureConsole } from './bench/console.mjs';
import { seedVolume } from './bench/console-seed.mjs';
import { betfairLines, betfairReport } from './bench/betfair-report.mjs';
import { TOKEN } from './dev-stack.mjs';

const ALL = ['parse', 'import', 'cost', 'lookup', 'e2e', 'enqueue', 'console', 'betfair'];
const argv = process.argv.slice(2);
const onlyArg = argv.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : argv[argv.indexOf(onlyArg) + 1]).split(',') : ALL;
for (const s of only) if (!ALL.includes(s)) throw new Error(`unknown section ${s}; sections: ${ALL.join(', ')}`);
const WRITE = argv.includes('--write') || only.length === ALL.length;
const N_LOAD = Number(process.env.BENCH_LOAD_REQUESTS ?? 2000);
const CONC = Number(process.env.BENCH_CONCURRENCY ?? 50);
const N_E2E = Number(process.env.BENCH_E2E_JOBS ?? 200);
const RATE = '1000';
// Three trials per figure (issue 15): e2e, lookup, ceiling and enqueue report the median with its spread.
const TRIALS = Number(process.env.BENCH_TRIALS ?? 3);
// IO_ACCOUNTING: the D1/R2/queue/DO round trips and D1's own rows_written are counted at the bindings (e2e section).
const VARS = {
  PROVIDER_RATE_OVERRIDE: RATE,
  // The console section's subscription points at the loopback fixture server.
  DELIVERY_ALLOWED_HOSTS: '127.0.0.1',
  IO_ACCOUNTING: 'true',
  ...(process.env.BENCH_LOG_LEVEL ? { LOG_LEVEL: process.env.BENCH_LOG_LEVEL } : {}),
};
// Three e2e trials per worker (issue 15) made a full run longer than the old 8 minutes on a loaded 2-core machine.
const HARD_LIMIT_MS = Number(process.env.BENCH_TIME_LIMIT_MS ?? 30 * 60_000);

const started = Date.now();
const out = { machine: machine(), started: new Date(started).toISOString() };
const log = (...a) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s]`, ...a);
const timer = setTimeout(() => {
  console.error(`bench: exceeded ${HARD_LIMIT_MS / 1000}s, giving up`);
  process.exit(2);
}, HARD_LIMIT_MS);
timer.unref();

let adapter = null;
const getAdapter = async () => {
  if (!adapter) {
    log('starting fixture server + wrangler dev (adapter)');
    adapter = await startAdapter({ vars: VARS });
  }
  return adapter;
};

async function waitJob(a, id, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await a.api.get(`/jobs/${id}`);
    if (TERMINAL.includes(r.json?.job?.state)) return r.json;
    if (Date.now() > until) throw new Error(`job ${id} still ${r.json?.job?.state}`);
    await sleep(100);
  }
}

async function waitIdle(a, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await d1Query(a.state, `SELECT count(*) AS n FROM ingestion_jobs WHERE state IN ('pending','running')`);
    if (Number(n) === 0) return;
    if (Date.now() > until) throw new Error(`${n} jobs still active`);
    await sleep(200);
  }
}

// ---------------------------------------------------------------- parse
function runParse() {
  log('parse: tsx scripts/bench/parse-bench.ts');
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'bench', 'parse-bench.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}` },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`parse bench failed (${r.status})`);
  out.parse = JSON.parse(r.stdout);
}

// ---------------------------------------------------------------- betfair
function runBetfair() {
  log('betfair: tsx --expose-gc scripts/bench/betfair-bench.ts (builds a ~200 MB stream in a temp dir)');
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['--expose-gc', join(ROOT, 'scripts', 'bench', 'betfair-bench.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`betfair bench failed (${r.status})`);
  out.betfair = JSON.parse(r.stdout);
}

// ---------------------------------------------------------------- import
function runImport() {
  log('import: tsx scripts/bench/import-bench.ts');
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'bench', 'import-bench.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}` },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`import bench failed (${r.status})`);
  out.import = JSON.parse(r.stdout);
  console.log('\nsnapshot import (same bytes, same process): importer vs JSON.parse + zod schema-check floor');
  for (const c of out.import.cases) {
    console.log(
      `  ${c.case}: ${c.records} records, ${(c.bytes / 1e6).toFixed(2)} MB | import ${c.import_records_per_s.toFixed(0)} records/s, ${c.import_mb_per_s.toFixed(2)} MB/s | floor ${c.floor_records_per_s.toFixed(0)} records/s, ${c.floor_mb_per_s.toFixed(2)} MB/s | ${c.ratio.toFixed(1)}x the floor`,
    );
  }
}

/** The written report as Biome formats Markdown (CI's lint checks docs/ too), so a bench run commits clean. */
function formatDoc(name) {
  spawnSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', join(ROOT, 'docs', name)], { stdio: 'ignore' });
}

// ---------------------------------------------------------------- cost
const COST_CASES = [
  { label: 'liverc.track_catalog', job: { pipeline: 'liverc.track_catalog', params: {} } },
  { label: 'liverc.event_catalog canberraoffroad', job: { pipeline: 'liverc.event_catalog', params: { track_slug: 'canberraoffroad' } } },
  {
    label: 'liverc.event_deep canberraoffroad/486677',
    job: { pipeline: 'liverc.event_deep', params: { track_slug: 'canberraoffroad', event_id: '486677' } },
    resync: { refetch: true },
  },
  { label: 'smoothcomp.event_catalog', job: { pipeline: 'smoothcomp.event_catalog', params: {} } },
  { label: 'smoothcomp.event_detail 14675', job: { pipeline: 'smoothcomp.event_detail', params: { event_id: '14675' } } },
  {
    label: 'smoothcomp.event_participants adcc/30665',
    job: { pipeline: 'smoothcomp.event_participants', params: { event_id: '30665', host: 'adcc.smoothcomp.com' } },
  },
  {
    label: 'smoothcomp.event_brackets adcc/39001',
    job: { pipeline: 'smoothcomp.event_brackets', params: { event_id: '39001', host: 'adcc.smoothcomp.com' } },
  },
  {
    label: 'smoothcomp.athlete_profile_enrichment 1001',
    job: { pipeline: 'smoothcomp.athlete_profile_enrichment', params: { profile_id: '1001' } },
  },
  { label: 'smoothcomp.academy_catalog', job: { pipeline: 'smoothcomp.academy_catalog', params: {} } },
];

async function measureJob(a, job) {
  await waitIdle(a);
  const before = { d1: await d1Counts(a.state), r2: await r2Count(a.state), provider: (await a.control.log()).length };
  await a.api.post('/debug/io/reset', {}); // counted at the bindings from here (IO_ACCOUNTING)
  const res = await a.api.post('/jobs', job);
  if (res.status !== 202) throw new Error(`enqueue ${res.status} ${res.text}`);
  const detail = await waitJob(a, res.json.job.id);
  await waitIdle(a); // follow-up children (if any) are part of this sync's cost
  const io = (await a.api.get('/debug/io')).json ?? null;
  const after = { d1: await d1Counts(a.state), r2: await r2Count(a.state), provider: (await a.control.log()).length };
  const inserted = {};
  let insertedTotal = 0;
  for (const t of Object.keys(after.d1)) {
    const d = after.d1[t] - (before.d1[t] ?? 0);
    if (d) inserted[t] = d;
    insertedTotal += d;
  }
  const r = detail.job.result ?? {};
  // Rows UPDATEd, from the statements the runtime issues: every transition after the first is one UPDATE of the
  // ingestion_jobs row (claim, finish); each attempt row is closed by one UPDATE; a job that normalizes renews its
  // lease once (UPDATE ingestion_jobs) before publishing and its normalized_results row gets the decision (UPDATE).
  // Heartbeats (none fire in jobs this short) would add one each; index writes are not counted.
  const jobs = inserted.ingestion_jobs ?? 0;
  // Job UPDATEs: one per transition after the first; attempt UPDATEs: one per attempt (its end). The normalized row
  // is written once, with its decision, under the attempt's claim (no separate lease renewal for jobs this short).
  const updates = (inserted.job_state_transitions ?? 0) - jobs + (inserted.job_attempts ?? 0);
  return {
    state: detail.job.state,
    error: detail.job.last_error?.code ?? null,
    decision: r.decision ?? r.outcome ?? null,
    publication: r.publication_id ? 1 : 0,
    provider_requests: after.provider - before.provider,
    result_provider_requests: r.provider_requests ?? 0,
    d1_inserted: inserted,
    d1_inserted_total: insertedTotal,
    d1_rows_updated_est: updates,
    d1_rows_written_est: insertedTotal + updates,
    // Counted: D1's own meta.rows_written summed over every statement of the job (and its children), and every
    // R2 put at the binding (a refused conditional put is still a round trip).
    d1_rows_written: io ? io.d1_rows_written : null,
    d1_round_trips: io ? io.d1_round_trips : null,
    r2_puts: io ? io.r2_puts : null,
    r2_objects_added: after.r2 - before.r2,
    raw_bodies_written: r.raw_bodies_written ?? 0,
    payload_written: r.payload_written ? 1 : 0,
    children: (r.child_job_ids ?? []).length,
  };
}

async function runCost() {
  const a = await getAdapter();
  out.cost = [];
  for (const c of COST_CASES) {
    log(`cost: ${c.label}`);
    const first = await measureJob(a, c.job);
    const resync = first.state === 'succeeded' ? await measureJob(a, { ...c.job, params: { ...c.job.params, ...(c.resync ?? {}) } }) : null;
    out.cost.push({ label: c.label, resync_params: c.resync ?? {}, first, resync });
  }
}

// ---------------------------------------------------------------- lookup
async function ensurePublished(a) {
  const q = '/publications/latest?pipeline=liverc.event_catalog&track_slug=canberraoffroad';
  if ((await a.api.get(q)).status === 200) return q;
  const res = await a.api.post('/jobs', { pipeline: 'liverc.event_catalog', params: { track_slug: 'canberraoffroad' } });
  await waitJob(a, res.json.job.id);
  if ((await a.api.get(q)).status !== 200) throw new Error('no publication to look up');
  return q;
}

async function runLookup() {
  const a = await getAdapter();
  const q = await ensurePublished(a);
  await waitIdle(a);
  const c = client(a.url, { maxSockets: CONC });
  await closedLoop({ total: 100, concurrency: 10, fn: () => c.get(`/internal/v1${q}`) }); // warm-up
  out.lookup_single = await closedLoop({ total: 300, concurrency: 1, fn: () => c.get(`/internal/v1${q}`) });
  // Trials alternate lookup and ceiling, so each lookup trial has a ceiling measured next to it (paired ratios).
  const lookups = [];
  const ceilings = [];
  for (let t = 0; t < TRIALS; t++) {
    log(`lookup trial ${t + 1}/${TRIALS}: ${N_LOAD} x GET ${q} at concurrency ${CONC}`);
    lookups.push(await closedLoop({ total: N_LOAD, concurrency: CONC, timeLimitMs: 90_000, fn: () => c.get(`/internal/v1${q}`) }));
    // The harness ceiling: a route that touches no storage, same load, same process.
    log(`ceiling trial ${t + 1}/${TRIALS}: ${N_LOAD} x GET /internal/v1/health/live at concurrency ${CONC}`);
    ceilings.push(await closedLoop({ total: N_LOAD, concurrency: CONC, timeLimitMs: 90_000, fn: () => c.get('/internal/v1/health/live') }));
  }
  out.lookup = { path: q, concurrency: CONC, ...combineTrials(lookups) };
  out.ceiling = { path: '/health/live', concurrency: CONC, ...combineTrials(ceilings) };
  c.close();
}

// ---------------------------------------------------------------- e2e
const E2E_FILE = 'liverc/Track.events.listing.page.html';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Median with its spread (min-max) over the trials. */
export const summarize = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), trials: xs });

/** Scopes that serve different bytes: each slug's page carries its own marker (distinct hashes, distinct R2 bodies). */
function e2eRoutes(slugs, page, marker = '') {
  return slugs.map((s, i) => ({
    key: `${s}.liverc.com/events/`,
    body: page.replace('Clay Cup', `Clay Cup ${s} ${i}${marker}`),
    contentType: 'text/html; charset=utf-8',
  }));
}

/**
 * One trial of N_E2E jobs. New scopes (no `known`): each job is its scope's first sync. Known scopes: the scopes of
 * an earlier trial (`known` is its prefix), each serving changed bytes, so each job re-syncs and publishes an update.
 */
async function adapterTrial(a, page, trial, known = null) {
  await waitIdle(a);
  const prefix = known ?? `e2e${Date.now().toString(36)}t${trial}x`;
  const slugs = Array.from({ length: N_E2E }, (_, i) => `${prefix}${i}`);
  const marker = known ? ` changed ${Date.now()}` : '';
  for (let i = 0; i < slugs.length; i += 50) await a.control.routes(e2eRoutes(slugs.slice(i, i + 50), page, marker));
  const c = client(a.url, { maxSockets: 20 });
  await c.post('/internal/v1/debug/io/reset', {});
  const what = known ? 'known tracks, changed pages' : 'distinct synthetic tracks';
  log(`e2e adapter trial ${trial + 1}/${TRIALS}: ${N_E2E} liverc.event_catalog jobs over ${what}`);
  const t0 = Date.now();
  const cpu0 = a.wrangler.workerdCpuMs();
  const enq = await closedLoop({
    total: N_E2E,
    concurrency: 20,
    fn: (i) => c.post('/internal/v1/jobs', { pipeline: 'liverc.event_catalog', params: { track_slug: slugs[i] } }),
  });
  const deadline = Date.now() + 180_000;
  let row;
  for (;;) {
    [row] = await d1Query(
      a.state,
      `SELECT sum(state IN ('succeeded','failed','exhausted','cancelled')) AS done, sum(state='succeeded') AS ok, max(finished_at) AS last FROM ingestion_jobs WHERE scope_key LIKE 'track_slug=${prefix}%' AND created_at >= ${t0}`,
    );
    if (Number(row.done) >= N_E2E || Date.now() > deadline) break;
    await sleep(200);
  }
  const wall = Number(row.last) - t0;
  const cpu = cpu0 === null ? null : a.wrangler.workerdCpuMs() - cpu0;
  const io = (await c.get('/internal/v1/debug/io')).json;
  const pubs = await d1Query(
    a.state,
    `SELECT count(*) AS n FROM published_results WHERE scope_key LIKE 'track_slug=${prefix}%' AND published_at >= ${t0}`,
  );
  const durs = (
    await d1Query(
      a.state,
      `SELECT a.finished_at - a.started_at AS d FROM job_attempts a JOIN ingestion_jobs j ON j.id = a.job_id WHERE j.scope_key LIKE 'track_slug=${prefix}%' AND a.finished_at IS NOT NULL AND j.created_at >= ${t0}`,
    )
  )
    .map((r) => Number(r.d))
    .sort((x, y) => x - y);
  const { pct } = await import('./bench/stack.mjs');
  c.close();
  const done = Number(row.done);
  const perJob = Object.fromEntries(Object.entries(io ?? {}).map(([k, v]) => [k, v / Math.max(1, done)]));
  return {
    jobs: N_E2E,
    done,
    succeeded: Number(row.ok),
    publications: Number(pubs[0]?.n ?? 0),
    wall_ms: wall,
    jobs_per_s: done / (wall / 1000),
    prefix,
    // workerd's CPU per job and its share of the wall clock (1.0 = one core busy the whole trial).
    cpu_ms_per_job: cpu === null ? null : cpu / Math.max(1, done),
    cpu_busy: cpu === null ? null : cpu / wall,
    enqueue_p50: enq.p50,
    enqueue_p99: enq.p99,
    attempt_ms_p50: pct(durs, 50),
    attempt_ms_p90: pct(durs, 90),
    io,
    io_per_job: perJob,
  };
}

async function bareTrial(w, fixtures, page, trial) {
  const prefix = `bare${Date.now().toString(36)}t${trial}x`;
  const slugs = Array.from({ length: N_E2E }, (_, i) => `${prefix}${i}`);
  const fc = client(fixtures.url);
  for (let i = 0; i < slugs.length; i += 50) await fc.post('/__control/routes', e2eRoutes(slugs.slice(i, i + 50), page));
  fc.close();
  const bc = client(w.url, { maxSockets: 20 });
  const before = (await bc.get('/done')).json?.done ?? 0;
  log(`e2e bare trial ${trial + 1}/${TRIALS}: ${N_E2E} jobs`);
  const b0 = Date.now();
  const cpu0 = w.workerdCpuMs();
  const benq = await closedLoop({ total: N_E2E, concurrency: 20, fn: (i) => bc.post('/jobs', { slug: slugs[i] }) });
  const until = Date.now() + 120_000;
  let done = 0;
  while (Date.now() < until) {
    done = (await bc.get('/done')).json?.done - before;
    if (done >= N_E2E) break;
    await sleep(200);
  }
  const [last] = await d1Query(w.state, `SELECT max(at) AS last FROM bare_jobs WHERE slug LIKE '${prefix}%'`);
  const bwall = Number(last.last) - b0;
  const cpu = cpu0 === null ? null : w.workerdCpuMs() - cpu0;
  bc.close();
  return {
    jobs: N_E2E,
    done,
    wall_ms: bwall,
    jobs_per_s: done / (bwall / 1000),
    cpu_ms_per_job: cpu === null ? null : cpu / Math.max(1, done),
    cpu_busy: cpu === null ? null : cpu / bwall,
    enqueue_p50: benq.p50,
    enqueue_p99: benq.p99,
  };
}

/**
 * The enqueue goal's reference point: the bare Worker's own POST /jobs (one D1 batch + one queue send, its consumer
 * fetching, putting and inserting in the background) against its own storage-free route, at the same concurrency,
 * trials paired like the adapter's. What any Worker that stores a job and queues it scores on this setup.
 */
async function bareLatency(w, fixtures, page) {
  const prefix = `barelat${Date.now().toString(36)}x`;
  const slugs = Array.from({ length: N_LOAD * TRIALS }, (_, i) => `${prefix}${i}`);
  const fc = client(fixtures.url);
  for (let i = 0; i < slugs.length; i += 200) await fc.post('/__control/routes', e2eRoutes(slugs.slice(i, i + 200), page));
  fc.close();
  const bc = client(w.url, { maxSockets: CONC });
  const ceilings = [];
  const enqueues = [];
  for (let t = 0; t < TRIALS; t++) {
    log(`bare latency trial ${t + 1}/${TRIALS}: ${N_LOAD} x GET /ready, then ${N_LOAD} x POST /jobs at concurrency ${CONC}`);
    ceilings.push(await closedLoop({ total: N_LOAD, concurrency: CONC, timeLimitMs: 90_000, fn: () => bc.get('/ready') }));
    const base = t * N_LOAD;
    enqueues.push(
      await closedLoop({ total: N_LOAD, concurrency: CONC, timeLimitMs: 90_000, fn: (i) => bc.post('/jobs', { slug: slugs[base + i] }) }),
    );
  }
  bc.close();
  return { ceiling: combineTrials(ceilings), enqueue: combineTrials(enqueues) };
}

async function runE2E() {
  const a = await getAdapter();
  const { readFileSync } = await import('node:fs');
  const page = readFileSync(join(ROOT, 'testdata', E2E_FILE), 'utf8');
  out.e2e = { trials: TRIALS, adapter_runs: [], known_runs: [], bare_runs: [] };
  for (let t = 0; t < TRIALS; t++) out.e2e.adapter_runs.push(await adapterTrial(a, page, t));
  // The steady state of a scheduled adapter: the same scopes again, each serving changed bytes.
  for (let t = 0; t < TRIALS; t++) out.e2e.known_runs.push(await adapterTrial(a, page, t, out.e2e.adapter_runs[t].prefix));
  // The bare Worker runs after the adapter's wrangler dev is stopped, so the two never share the 2 cores.
  await stopAdapter();
  log('e2e bare: starting scripts/bare-worker');
  const fixtures = await startFixtureServer({ port: 0 });
  const state = newState('bare-bench-');
  const cfg = join(ROOT, 'scripts', 'bare-worker', 'wrangler.toml');
  const w = await startWrangler({
    config: cfg,
    cwd: join(ROOT, 'scripts', 'bare-worker'),
    state,
    vars: { UPSTREAM_OVERRIDE: fixtures.url },
    readyPath: '/ready',
  });
  try {
    // warm-up job so both runs start with a compiled, warm isolate (the adapter had done the earlier sections)
    const fc = client(fixtures.url);
    await fc.post('/__control/routes', [{ key: 'warmup.liverc.com/events/', file: E2E_FILE }]);
    fc.close();
    const bc = client(w.url, { maxSockets: 4 });
    await bc.post('/jobs', { slug: 'warmup' });
    for (let i = 0; i < 100; i++) {
      if ((await bc.get('/done')).json?.done >= 1) break;
      await sleep(100);
    }
    bc.close();
    for (let t = 0; t < TRIALS; t++) out.e2e.bare_runs.push(await bareTrial(w, fixtures, page, t));
    out.bare_latency = await bareLatency(w, fixtures, page);
  } finally {
    await w.stop();
    await fixtures.close();
    rmSync(state, { recursive: true, force: true });
  }
  log('e2e: unit costs of the binding operations (scripts/bench/op-cost)');
  out.e2e.unit = await measureOpCosts({ log });
  const pick = (runs, k) => summarize(runs.map((r) => r[k]));
  const ioKeys = Object.keys(out.e2e.adapter_runs[0]?.io_per_job ?? {});
  out.e2e.adapter = {
    ...out.e2e.adapter_runs[out.e2e.adapter_runs.length - 1],
    jobs_per_s: pick(out.e2e.adapter_runs, 'jobs_per_s').median,
    jobs_per_s_stats: pick(out.e2e.adapter_runs, 'jobs_per_s'),
    io_per_job: Object.fromEntries(ioKeys.map((k) => [k, median(out.e2e.adapter_runs.map((r) => r.io_per_job[k]))])),
  };
  out.e2e.known = {
    ...out.e2e.known_runs[out.e2e.known_runs.length - 1],
    jobs_per_s: pick(out.e2e.known_runs, 'jobs_per_s').median,
    jobs_per_s_stats: pick(out.e2e.known_runs, 'jobs_per_s'),
    cpu_ms_per_job: pick(out.e2e.known_runs, 'cpu_ms_per_job').median,
    io_per_job: Object.fromEntries(ioKeys.map((k) => [k, median(out.e2e.known_runs.map((r) => r.io_per_job[k]))])),
  };
  out.e2e.adapter.cpu_ms_per_job = pick(out.e2e.adapter_runs, 'cpu_ms_per_job').median;
  out.e2e.bare = {
    ...out.e2e.bare_runs[out.e2e.bare_runs.length - 1],
    jobs_per_s: pick(out.e2e.bare_runs, 'jobs_per_s').median,
    jobs_per_s_stats: pick(out.e2e.bare_runs, 'jobs_per_s'),
  };
  out.e2e.bare.cpu_ms_per_job = pick(out.e2e.bare_runs, 'cpu_ms_per_job').median;
  out.e2e.ratio = out.e2e.adapter.jobs_per_s / out.e2e.bare.jobs_per_s;
  out.e2e.known_ratio = out.e2e.known.jobs_per_s / out.e2e.bare.jobs_per_s;
}

// ---------------------------------------------------------------- enqueue
async function runEnqueue() {
  const a = await getAdapter();
  await waitIdle(a);
  const c = client(a.url, { maxSockets: CONC });
  const tag = Date.now().toString(36);
  // Distinct scopes: liverc.event_deep with event ids the fixtures do not know; max_attempts 1 so each fails once
  // in the background (404, non-retryable) instead of retrying. The consumer runs during the measurement.
  const base = String(Date.now() % 1_000_000);
  const body = (i) => ({
    pipeline: 'liverc.event_deep',
    params: { track_slug: 'benchload', event_id: `${base}${String(i).padStart(7, '0')}` },
    max_attempts: 1,
    idempotency_key: `bench-${tag}-${i}`,
  });
  await closedLoop({ total: 50, concurrency: 10, fn: (i) => c.post('/internal/v1/jobs', body(1_000_000 + i)) });
  out.enqueue_single = await closedLoop({ total: 200, concurrency: 1, fn: (i) => c.post('/internal/v1/jobs', body(2_000_000 + i)) });
  await waitIdle(a, 120_000);
  const runs = [];
  for (let t = 0; t < TRIALS; t++) {
    await waitIdle(a, 180_000);
    log(`enqueue trial ${t + 1}/${TRIALS}: ${N_LOAD} x POST /jobs at concurrency ${CONC}`);
    const offset = t * 10_000_000; // distinct scopes and idempotency keys per trial
    runs.push(
      await closedLoop({
        total: N_LOAD,
        concurrency: CONC,
        timeLimitMs: 120_000,
        fn: (i) => c.post('/internal/v1/jobs', body(offset + i)),
      }),
    );
  }
  out.enqueue = { concurrency: CONC, ...combineTrials(runs) };
  c.close();
}

async function runConsole() {
  const a = await getAdapter();
  const q = await ensurePublished(a);
  await waitIdle(a);
  const pub = await a.api.get(q);
  const pubId = pub.json.publication.id;
  log('console: seeding a week of volume (scripts/bench/console-seed.mjs), restarting wrangler dev');
  const volume = await seedVolume(a);
  log('console: 100 x GET per page, 1 client');
  out.console = {
    ...(await measureConsole(a, { jobId: pub.json.source.job_id, pubId, scopeKey: pub.json.scope_key, token: TOKEN })),
    volume,
  };
}

async function stopAdapter() {
  if (adapter) {
    const a = adapter;
    adapter = null;
    await a.stop();
  }
}

let code = 0;
try {
  if (only.includes('parse')) runParse();
  if (only.includes('betfair')) runBetfair();
  if (only.includes('import')) runImport();
  for (const s of ['cost', 'lookup', 'e2e', 'enqueue', 'console']) {
    if (!only.includes(s)) continue;
    if (s === 'cost') await runCost();
    if (s === 'lookup') await runLookup();
    if (s === 'e2e') await runE2E();
    if (s === 'enqueue') await runEnqueue();
    if (s === 'console') await runConsole();
  }
  out.duration_s = (Date.now() - started) / 1000;
  printTable(out);
  if (out.betfair) console.log(betfairLines(out.betfair));
  if (WRITE) {
    const cmd = `npm run bench${only.length === ALL.length ? '' : ` -- --only ${only.join(',')}`}`;
    writeFileSync(
      join(ROOT, 'docs', 'benchmarks.md'),
      `${report(out, { RATE, CONC, E2E_FILE })}${out.betfair ? `\n${betfairReport(out.betfair)}` : ''}\nCommand: \`${cmd}\` (total ${f(out.duration_s, 0)} s). Raw figures: \`BENCH_JSON=1 npm run bench\` prints them as JSON.\n`,
    );
    formatDoc('benchmarks.md');
    log('wrote docs/benchmarks.md');
  } else if (out.console) {
    // A console-only run keeps its own file: docs/benchmarks.md holds a full run's figures side by side.
    const cmd = `npm run bench -- --only ${only.join(',')}`;
    writeFileSync(join(ROOT, 'docs', 'benchmarks-console.md'), consoleFile(out, cmd));
    formatDoc('benchmarks-console.md');
    log('wrote docs/benchmarks-console.md');
  }
  if (process.env.BENCH_JSON) console.log(JSON.stringify(out, null, 1));
} catch (err) {
  code = 1;
  console.error(`bench failed: ${err.stack ?? err}`);
  if (adapter) console.error(adapter.wrangler.logs.join('').slice(-4000));
} finally {
  await stopAdapter();
}
process.exit(code);
