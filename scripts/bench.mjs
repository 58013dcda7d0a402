#!/usr/bin/env node
// `npm run bench`: measures, side by side in one run on this machine,
//   parse   parse + normalize + hashing of every bench case vs an htmlparser2 / JSON.parse floor on the same bytes
//   cost    D1 rows, R2 objects, provider requests per job: first sync vs unchanged re-sync
//   lookup  GET /internal/v1/publications/latest latency under 50 concurrent clients
//   e2e     end-to-end jobs/s through wrangler dev + fixture server, next to a bare Worker (scripts/bare-worker)
//   enqueue POST /internal/v1/jobs acknowledgement latency under 50 concurrent clients
// and writes docs/benchmarks.md (full runs only, or with --write). `--only parse,e2e` runs some sections.
// Loopback only: every provider request goes to the fixture server through UPSTREAM_OVERRIDE.
import { spawnSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TERMINAL, client, closedLoop, d1Counts, d1Query, machine, migrate, newState, r2Count, sleep, startAdapter, startWrangler } from './bench/stack.mjs';
import { startFixtureServer } from './fixture-server.mjs';

const ALL = ['parse', 'cost', 'lookup', 'e2e', 'enqueue'];
const argv = process.argv.slice(2);
const onlyArg = argv.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : argv[argv.indexOf(onlyArg) + 1]).split(',') : ALL;
for (const s of only) if (!ALL.includes(s)) throw new Error(`unknown section ${s}; sections: ${ALL.join(', ')}`);
const WRITE = argv.includes('--write') || only.length === ALL.length;
const N_LOAD = Number(process.env.BENCH_LOAD_REQUESTS ?? 2000);
const CONC = Number(process.env.BENCH_CONCURRENCY ?? 50);
const N_E2E = Number(process.env.BENCH_E2E_JOBS ?? 200);
const RATE = '1000';
const VARS = { PROVIDER_RATE_OVERRIDE: RATE, ...(process.env.BENCH_LOG_LEVEL ? { LOG_LEVEL: process.env.BENCH_LOG_LEVEL } : {}) };
const HARD_LIMIT_MS = Number(process.env.BENCH_TIME_LIMIT_MS ?? 8 * 60_000);

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

// ---------------------------------------------------------------- cost
const COST_CASES = [
  { label: 'liverc.track_catalog', job: { pipeline: 'liverc.track_catalog', params: {} } },
  { label: 'liverc.event_catalog canberraoffroad', job: { pipeline: 'liverc.event_catalog', params: { track_slug: 'canberraoffroad' } } },
  { label: 'liverc.event_deep canberraoffroad/486677', job: { pipeline: 'liverc.event_deep', params: { track_slug: 'canberraoffroad', event_id: '486677' } }, resync: { refetch: true } },
  { label: 'smoothcomp.event_catalog', job: { pipeline: 'smoothcomp.event_catalog', params: {} } },
  { label: 'smoothcomp.event_detail 14675', job: { pipeline: 'smoothcomp.event_detail', params: { event_id: '14675' } } },
  { label: 'smoothcomp.event_participants adcc/30665', job: { pipeline: 'smoothcomp.event_participants', params: { event_id: '30665', host: 'adcc.smoothcomp.com' } } },
  { label: 'smoothcomp.event_brackets adcc/30665', job: { pipeline: 'smoothcomp.event_brackets', params: { event_id: '30665', host: 'adcc.smoothcomp.com' } } },
  { label: 'smoothcomp.athlete_profile_enrichment 1001', job: { pipeline: 'smoothcomp.athlete_profile_enrichment', params: { profile_id: '1001' } } },
  { label: 'smoothcomp.academy_catalog', job: { pipeline: 'smoothcomp.academy_catalog', params: {} } },
];

async function measureJob(a, job) {
  await waitIdle(a);
  const before = { d1: await d1Counts(a.state), r2: await r2Count(a.state), provider: (await a.control.log()).length };
  const res = await a.api.post('/jobs', job);
  if (res.status !== 202) throw new Error(`enqueue ${res.status} ${res.text}`);
  const detail = await waitJob(a, res.json.job.id);
  await waitIdle(a); // follow-up children (if any) are part of this sync's cost
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
  const updates = (inserted.job_state_transitions ?? 0) - jobs + (inserted.job_attempts ?? 0) + 2 * (inserted.normalized_results ?? 0);
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
  log(`lookup: ${N_LOAD} x GET ${q} at concurrency ${CONC}`);
  out.lookup = { path: q, concurrency: CONC, ...(await closedLoop({ total: N_LOAD, concurrency: CONC, timeLimitMs: 90_000, fn: () => c.get(`/internal/v1${q}`) })) };
  // The harness ceiling: a route that touches no storage, same load, same process.
  log(`ceiling: ${N_LOAD} x GET /internal/v1/health/live at concurrency ${CONC}`);
  out.ceiling = { path: '/health/live', concurrency: CONC, ...(await closedLoop({ total: N_LOAD, concurrency: CONC, timeLimitMs: 90_000, fn: () => c.get('/internal/v1/health/live') })) };
  c.close();
}

// ---------------------------------------------------------------- e2e
const E2E_FILE = 'liverc/Track.events.listing.page.html';

async function runE2E() {
  const a = await getAdapter();
  await waitIdle(a);
  const prefix = `e2e${Date.now().toString(36)}x`;
  const slugs = Array.from({ length: N_E2E }, (_, i) => `${prefix}${i}`);
  await a.control.routes(slugs.map((s) => ({ key: `${s}.liverc.com/events/`, file: E2E_FILE })));
  const c = client(a.url, { maxSockets: 20 });
  log(`e2e adapter: ${N_E2E} liverc.event_catalog jobs over distinct synthetic tracks`);
  const t0 = Date.now();
  const enq = await closedLoop({ total: N_E2E, concurrency: 20, fn: (i) => c.post('/internal/v1/jobs', { pipeline: 'liverc.event_catalog', params: { track_slug: slugs[i] } }) });
  const deadline = Date.now() + 180_000;
  let row;
  for (;;) {
    [row] = await d1Query(a.state, `SELECT sum(state IN ('succeeded','failed','exhausted','cancelled')) AS done, sum(state='succeeded') AS ok, max(finished_at) AS last FROM ingestion_jobs WHERE scope_key LIKE 'track_slug=${prefix}%'`);
    if (Number(row.done) >= N_E2E || Date.now() > deadline) break;
    await sleep(200);
  }
  const wall = Number(row.last) - t0;
  const pubs = await d1Query(a.state, `SELECT count(*) AS n FROM published_results WHERE scope_key LIKE 'track_slug=${prefix}%'`);
  const durs = (await d1Query(a.state, `SELECT a.finished_at - a.started_at AS d FROM job_attempts a JOIN ingestion_jobs j ON j.id = a.job_id WHERE j.scope_key LIKE 'track_slug=${prefix}%' AND a.finished_at IS NOT NULL`)).map((r) => Number(r.d)).sort((x, y) => x - y);
  const { pct } = await import('./bench/stack.mjs');
  out.e2e = { adapter: { jobs: N_E2E, done: Number(row.done), succeeded: Number(row.ok), publications: Number(pubs[0]?.n ?? 0), wall_ms: wall, jobs_per_s: Number(row.done) / (wall / 1000), enqueue_p50: enq.p50, enqueue_p99: enq.p99, attempt_ms_p50: pct(durs, 50), attempt_ms_p90: pct(durs, 90) } };
  c.close();
  // The bare Worker runs after the adapter's wrangler dev is stopped, so the two never share the 2 cores.
  await stopAdapter();
  log('e2e bare: starting scripts/bare-worker');
  const fixtures = await startFixtureServer({ port: 0 });
  const state = newState('bare-bench-');
  const cfg = join(ROOT, 'scripts', 'bare-worker', 'wrangler.toml');
  const w = await startWrangler({ config: cfg, cwd: join(ROOT, 'scripts', 'bare-worker'), state, vars: { UPSTREAM_OVERRIDE: fixtures.url }, readyPath: '/ready' });
  try {
    const fc = client(fixtures.url);
    await fc.post('/__control/routes', slugs.map((s) => ({ key: `${s}.liverc.com/events/`, file: E2E_FILE })));
    fc.close();
    const bc = client(w.url, { maxSockets: 20 });
    // warm-up job so both runs start with a compiled, warm isolate (the adapter had done the earlier sections)
    await bc.post('/jobs', { slug: slugs[0] });
    for (let i = 0; i < 100; i++) {
      if ((await bc.get('/done')).json?.done >= 1) break;
      await sleep(100);
    }
    log(`e2e bare: ${N_E2E} jobs`);
    const b0 = Date.now();
    const benq = await closedLoop({ total: N_E2E, concurrency: 20, fn: (i) => bc.post('/jobs', { slug: slugs[i] }) });
    const until = Date.now() + 120_000;
    let done = 0;
    while (Date.now() < until) {
      done = (await bc.get('/done')).json?.done - 1;
      if (done >= N_E2E) break;
      await sleep(200);
    }
    const [last] = await d1Query(state, `SELECT max(at) AS last FROM bare_jobs`);
    const bwall = Number(last.last) - b0;
    out.e2e.bare = { jobs: N_E2E, done, wall_ms: bwall, jobs_per_s: done / (bwall / 1000), enqueue_p50: benq.p50, enqueue_p99: benq.p99 };
    out.e2e.ratio = out.e2e.adapter.jobs_per_s / out.e2e.bare.jobs_per_s;
    bc.close();
  } finally {
    await w.stop();
    await fixtures.close();
    rmSync(state, { recursive: true, force: true });
  }
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
  const body = (i) => ({ pipeline: 'liverc.event_deep', params: { track_slug: 'benchload', event_id: `${base}${String(i).padStart(7, '0')}` }, max_attempts: 1, idempotency_key: `bench-${tag}-${i}` });
  await closedLoop({ total: 50, concurrency: 10, fn: (i) => c.post('/internal/v1/jobs', body(1_000_000 + i)) });
  out.enqueue_single = await closedLoop({ total: 200, concurrency: 1, fn: (i) => c.post('/internal/v1/jobs', body(2_000_000 + i)) });
  await waitIdle(a, 120_000);
  log(`enqueue: ${N_LOAD} x POST /jobs at concurrency ${CONC}`);
  out.enqueue = { concurrency: CONC, ...(await closedLoop({ total: N_LOAD, concurrency: CONC, timeLimitMs: 120_000, fn: (i) => c.post('/internal/v1/jobs', body(i)) })) };
  c.close();
}

async function stopAdapter() {
  if (adapter) {
    const a = adapter;
    adapter = null;
    await a.stop();
  }
}

// ---------------------------------------------------------------- report
const f = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? '-' : Number(x).toFixed(d));
const mark = (ok) => (ok ? 'met' : '**missed**');

function report() {
  const L = [];
  const m = out.machine;
  L.push('# Benchmarks', '');
  L.push(`Figures of one run of \`npm run bench\` (\`node scripts/bench.mjs\`) on ${out.started.slice(0, 19)}Z.`, '');
  L.push(`Machine: ${m.cpu}, ${m.cores} cores (shared, noisy), Node ${m.node}; wrangler 4.155.0 \`wrangler dev --local\`. Every number below comes from the same run; compare ratios, not absolutes.`, '');
  L.push(`Benchmarks set \`PROVIDER_RATE_OVERRIDE=${RATE}\` (requests/s for every provider) so the politeness limiter does not dominate; all other vars are wrangler.toml's. Provider traffic goes to the loopback fixture server (scripts/fixture-server.mjs) through UPSTREAM_OVERRIDE.`, '');
  L.push('Run one section: `npm run bench -- --only parse` (sections: parse, cost, lookup, e2e, enqueue; comma-separated). Partial runs print and do not rewrite this file unless given `--write`.', '');
  if (out.parse) {
    const p = out.parse;
    L.push('## 1. Parse + normalize', '');
    L.push(`\`runNormalizeStep\` (src/runtime/normalize-step.ts: pipeline.parse -> normalize -> output schema -> per-entity hashes -> canonical sha256 of the normalized output and of the snapshot set), the code path a job runs, run under tsx in Node ${p.node}, over each bench case's bytes (src/pipelines/*/bench-cases.ts). Floor: an htmlparser2 \`Parser\` tokenize pass with no tree over every HTML resource of the case plus \`JSON.parse\` of every JSON resource, same bytes, same process, interleaved with the measured path. "ms/page" is the case median divided by its number of resources.`, '');
    L.push('| pipeline | case | pages | KB | median ms | p95 ms | ms/page (median) | MB/s | floor ms | ratio to floor | goal ≤3x |');
    L.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const c of p.cases) L.push(`| ${c.pipeline} | ${c.name} | ${c.resources} | ${f(c.bytes / 1024, 0)} | ${f(c.median_ms, 2)} | ${f(c.p95_ms, 2)} | ${f(c.median_ms_per_page, 2)} | ${f(c.mb_per_s, 1)} | ${f(c.floor_median_ms, 2)} | ${f(c.ratio, 2)}x | ${mark(c.ratio <= 3)} |`);
    L.push('');
    const byPipe = {};
    for (const c of p.cases) {
      const k = c.pipeline.split('.')[0];
      byPipe[k] ??= { bytes: 0, ms: 0, floor: 0 };
      byPipe[k].bytes += c.bytes;
      byPipe[k].ms += c.median_ms;
      byPipe[k].floor += c.floor_median_ms;
    }
    L.push('Per provider, all cases together (sum of medians): ' + Object.entries(byPipe).map(([k, v]) => `${k} ${f(v.ms, 2)} ms for ${f(v.bytes / 1024, 0)} KB (${f(v.bytes / 1e6 / (v.ms / 1000), 1)} MB/s) vs floor ${f(v.floor, 2)} ms: ${f(v.ms / v.floor, 2)}x`).join('; ') + '.', '');
    L.push('Where the time goes (median ms per phase, measured phase by phase on the same input):', '');
    L.push('| pipeline | case | parse | normalize | schema check | entity hashes (canonical JSON + 64-bit hash) | sha256 hashes (normalized + snapshot set) | parse alone vs floor |');
    L.push('|---|---|---:|---:|---:|---:|---:|---:|');
    for (const c of p.cases) {
      const b = c.breakdown_ms;
      L.push(`| ${c.pipeline} | ${c.name} | ${f(b.parse, 2)} | ${f(b.normalize, 2)} | ${f(b.schema, 2)} | ${f(b.entity_hashes, 2)} | ${f(b.sha256_hashes, 2)} | ${f(b.parse / c.floor_median_ms, 2)}x |`);
    }
    L.push('');
  }
  if (out.enqueue || out.lookup) {
    L.push('## 2-3. API latency under load', '');
    L.push(`Closed-loop Node load generator (scripts/bench/stack.mjs \`closedLoop\`, node:http keep-alive agent), ${CONC} concurrent clients, fixed request count, against \`wrangler dev --local\` on the same 2 cores (the load generator shares them).`, '');
    L.push('| endpoint | requests | concurrency | req/s | p50 ms | p90 ms | p99 ms | max ms | statuses | goal | |');
    L.push('|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|');
    if (out.enqueue) {
      const e = out.enqueue;
      const s1 = out.enqueue_single;
      if (s1) L.push(`| POST /internal/v1/jobs | ${s1.n} | 1 | ${f(s1.rps, 0)} | ${f(s1.p50)} | ${f(s1.p90)} | ${f(s1.p99)} | ${f(s1.max)} | ${JSON.stringify(s1.statuses)} | (service time, no queueing) | |`);
      L.push(`| POST /internal/v1/jobs | ${e.n} | ${e.concurrency} | ${f(e.rps, 0)} | ${f(e.p50)} | ${f(e.p90)} | ${f(e.p99)} | ${f(e.max)} | ${JSON.stringify(e.statuses)} | p99 < 50 ms | ${mark(e.p99 < 50)} |`);
    }
    if (out.lookup) {
      const e = out.lookup;
      const s1 = out.lookup_single;
      if (s1) L.push(`| GET ${e.path} | ${s1.n} | 1 | ${f(s1.rps, 0)} | ${f(s1.p50)} | ${f(s1.p90)} | ${f(s1.p99)} | ${f(s1.max)} | ${JSON.stringify(s1.statuses)} | (service time, no queueing) | |`);
      L.push(`| GET ${e.path.replace('|', '\\|')} | ${e.n} | ${e.concurrency} | ${f(e.rps, 0)} | ${f(e.p50)} | ${f(e.p90)} | ${f(e.p99)} | ${f(e.max)} | ${JSON.stringify(e.statuses)} | p99 < 20 ms | ${mark(e.p99 < 20)} |`);
    }
    if (out.ceiling) {
      const e = out.ceiling;
      L.push(`| GET /internal/v1/health/live (no storage: the harness ceiling) | ${e.n} | ${e.concurrency} | ${f(e.rps, 0)} | ${f(e.p50)} | ${f(e.p90)} | ${f(e.p99)} | ${f(e.max)} | ${JSON.stringify(e.statuses)} | reference | |`);
    }
    L.push('');
    L.push('Enqueue bodies: `liverc.event_deep` with a distinct `event_id` per request (distinct scopes, so the active-scope dedupe never returns an existing job), a distinct `idempotency_key`, and `max_attempts: 1`. Every request creates a job and a queue message; the queue consumer runs those jobs (they fail at once on a fixture 404) during the measurement, so the enqueue figures include that background load. The lookup runs with the queue idle.', '');
  }
  if (out.e2e) {
    const e = out.e2e;
    L.push('## 4. End-to-end throughput', '');
    L.push(`${e.adapter.jobs} \`liverc.event_catalog\` jobs over ${e.adapter.jobs} distinct synthetic track slugs (fixture routes \`<slug>.liverc.com/events/\` -> the real events page, ${E2E_FILE}), enqueued by 20 concurrent clients via POST /internal/v1/jobs; jobs/s = jobs / (last job's finished_at - first enqueue). The bare Worker (scripts/bare-worker: POST enqueues one message, the consumer does the same provider fetch, one R2 put, one D1 insert; same queue batch settings) ran the same ${e.adapter.jobs} slugs in the same run, after the adapter's wrangler dev was stopped.`, '');
    L.push('| worker | jobs | terminal | succeeded | publications | wall s | jobs/s | enqueue p50 / p99 ms |');
    L.push('|---|---:|---:|---:|---:|---:|---:|---|');
    L.push(`| adapter (attempt duration p50 ${f(e.adapter.attempt_ms_p50, 0)} ms, p90 ${f(e.adapter.attempt_ms_p90, 0)} ms) | ${e.adapter.jobs} | ${e.adapter.done} | ${e.adapter.succeeded} | ${e.adapter.publications} | ${f(e.adapter.wall_ms / 1000, 2)} | ${f(e.adapter.jobs_per_s, 1)} | ${f(e.adapter.enqueue_p50)} / ${f(e.adapter.enqueue_p99)} |`);
    if (e.bare) L.push(`| bare | ${e.bare.jobs} | ${e.bare.done} | - | - | ${f(e.bare.wall_ms / 1000, 2)} | ${f(e.bare.jobs_per_s, 1)} | ${f(e.bare.enqueue_p50)} / ${f(e.bare.enqueue_p99)} |`);
    L.push('');
    if (e.bare) L.push(`Adapter / bare = **${f(e.ratio, 2)}** (goal ≥ 0.5: ${mark(e.ratio >= 0.5)}).`, '');
  }
  if (out.cost) {
    L.push('## 5. Cost per job: first sync vs unchanged re-sync', '');
    L.push('Counted around each job with the queue otherwise idle: D1 rows inserted = row count of every table after minus before (read-only from the local D1 sqlite file); "D1 rows written (est.)" adds one ingestion_jobs UPDATE per state transition after the first and one normalized_results UPDATE per normalized row (the publication decision), which is what D1 would bill as rows_written for these statements (lease heartbeats would add one each; none fire in jobs this short). R2 objects = objects in the local bucket after minus before (puts are put-if-absent, so this counts writes). Provider requests = fixture-server request log after minus before. Subrequests to the provider equal provider requests; each job also calls the ScopePublisher Durable Object once and the rate-limiter Durable Object once per provider request (from the code, not measured).', '');
    L.push('| scope | sync | state | decision | provider requests | D1 rows inserted (by table) | D1 rows written (est.) | R2 objects written | publications |');
    L.push('|---|---|---|---|---:|---|---:|---:|---:|');
    const row = (label, kind, r) =>
      r
        ? `| ${label} | ${kind} | ${r.state}${r.error ? ` (${r.error})` : ''} | ${r.decision ?? '-'} | ${r.provider_requests} | ${r.d1_inserted_total}: ${Object.entries(r.d1_inserted).map(([k, v]) => `${k.replace(/_/g, '\\_')} ${v}`).join(', ')} | ${r.d1_rows_written_est} | ${r.r2_objects_added} | ${r.publication} |`
        : `| ${label} | ${kind} | not run | | | | | | |`;
    for (const c of out.cost) {
      L.push(row(c.label, 'first', c.first));
      L.push(row(c.label, `re-sync${Object.keys(c.resync_params).length ? ' ' + JSON.stringify(c.resync_params) : ''}`, c.resync));
    }
    L.push('');
    const rs = out.cost.filter((c) => c.resync && c.resync.state === 'succeeded');
    const excess = rs.map((c) => c.resync.d1_rows_written_est - c.resync.provider_requests);
    const k = Math.max(...excess);
    const bad = rs.filter((c) => c.resync.r2_objects_added > 0 || c.resync.publication > 0 || c.resync.d1_rows_written_est - c.resync.provider_requests > 12);
    L.push(`Unchanged re-sync goal (zero R2 writes, zero publications, D1 rows written ≤ resources fetched + a small constant): ${bad.length ? `**missed** for ${bad.map((c) => c.label).join(', ')}` : `met for all ${rs.length} scopes that synced`}. D1 rows written minus provider requests on the re-sync: ${[...new Set(excess)].join(', ')} (the constant is the per-job bookkeeping: job row, attempt, transitions, normalized row and their updates; it does not grow with the number or size of pages, each fetched page adds one raw_snapshots row; the test above allows up to 12).`, '');
  }
  L.push('## Notes: goals missed and where the time goes', '');
  if (out.parse) {
    const lc = out.parse.cases.filter((c) => c.pipeline.startsWith('liverc.'));
    const sc = out.parse.cases.filter((c) => c.pipeline.startsWith('smoothcomp.'));
    const share = (cs, k) => f((100 * cs.reduce((s, c) => s + c.breakdown_ms[k], 0)) / cs.reduce((s, c) => s + Object.values(c.breakdown_ms).reduce((a, b) => a + b, 0), 0), 0);
    L.push(`- Parse: the parsers themselves run at ${f(Math.min(...lc.map((c) => c.breakdown_ms.parse / c.floor_median_ms)), 2)}-${f(Math.max(...lc.map((c) => c.breakdown_ms.parse / c.floor_median_ms)), 2)}x the tokenize floor on the LiveRC captures; over all LiveRC cases parse is ${share(lc, 'parse')}% of the phase time, per-entity hashing (canonical JSON of every entity + 64-bit hash) ${share(lc, 'entity_hashes')}%, the two sha256 canonical hashes ${share(lc, 'sha256_hashes')}%, the zod output check ${share(lc, 'schema')}%, normalize ${share(lc, 'normalize')}%. So where a LiveRC case misses 3x, the excess is hashing and schema checking of the output (hundreds to thousands of lap/result entities), not HTML parsing.`);
    L.push(`- The Smoothcomp inputs are hand-made fixtures of 1-13 KB (no real captures are stored), so their floor is a few hundredths of a millisecond and fixed per-job costs (two async WebCrypto sha256 digests, zod, canonical JSON) dominate the ratio; their absolute cost is under ${f(Math.max(...sc.map((c) => c.median_ms)), 1)} ms per job. The ratio goal is not meaningful at that size; treat those rows as absolute figures.`);
  }
  if (out.lookup || out.enqueue) {
    L.push(`- API latency: with ${CONC} clients in a closed loop, latency ≈ ${CONC} / throughput (Little's law), so p99 < 20-50 ms needs well over 1,000-2,500 req/s from one \`wrangler dev\` process on 2 shared cores that also run the load generator. The single-client rows are the per-request service time; the ${CONC}-client figures are almost all queueing inside wrangler dev/workerd. Local D1 and R2 in wrangler dev are sqlite-backed objects inside the same workerd process, so every D1 statement and R2 read is a local RPC on the same cores. These goals are **missed on this setup**; they are not evidence either way for production Workers, where requests spread over many isolates and machines.`);
  }
  if (out.e2e?.bare) {
    L.push(`- End to end: an adapter attempt for one 41 KB events page takes p50 ${f(out.e2e.adapter.attempt_ms_p50, 0)} ms inside a batch of 10 (the parse + normalize + hash part is about 1.5 ms of that, section 1). The rest is storage round trips the bare Worker does not make: a claim batch (job UPDATE + transition + attempt INSERT), a rate-limiter Durable Object call per request, raw snapshot put-if-absent (R2 head + put) and its D1 row, the normalized payload put-if-absent, the normalized row, a lease renewal, the ScopePublisher Durable Object (previous publication read from D1 and R2, envelope put, publication + decision batch) and the finish batch: roughly a dozen D1 statements, 3-5 R2 operations and 2 Durable Object calls per job against the bare Worker's 1 fetch + 1 R2 put + 1 D1 insert. In wrangler dev each of those is a local RPC through workerd on the 2 shared cores, so the ratio here (${f(out.e2e.ratio, 2)}) measures the number of storage operations per job more than CPU.`);
  }
  L.push('');
  return L.join('\n');
}

function printTable() {
  const lines = [];
  if (out.parse) {
    lines.push('parse + normalize (median ms / floor ms / ratio):');
    for (const c of out.parse.cases) lines.push(`  ${c.pipeline.padEnd(38)} ${f(c.median_ms, 2).padStart(7)} ${f(c.floor_median_ms, 2).padStart(7)} ${f(c.ratio, 2).padStart(6)}x  ${f(c.mb_per_s, 1)} MB/s  p95 ${f(c.p95_ms, 2)}  ${c.name}`);
  }
  if (out.enqueue_single) lines.push(`enqueue   1 client          p50 ${f(out.enqueue_single.p50)} ms  p99 ${f(out.enqueue_single.p99)} ms`);
  if (out.lookup_single) lines.push(`lookup    1 client          p50 ${f(out.lookup_single.p50)} ms  p99 ${f(out.lookup_single.p99)} ms`);
  if (out.enqueue) lines.push(`enqueue   POST /jobs        p50 ${f(out.enqueue.p50)} ms  p99 ${f(out.enqueue.p99)} ms  ${f(out.enqueue.rps, 0)} req/s  ${JSON.stringify(out.enqueue.statuses)}`);
  if (out.ceiling) lines.push(`ceiling   GET health/live   p50 ${f(out.ceiling.p50)} ms  p99 ${f(out.ceiling.p99)} ms  ${f(out.ceiling.rps, 0)} req/s`);
  if (out.lookup) lines.push(`lookup    GET latest        p50 ${f(out.lookup.p50)} ms  p99 ${f(out.lookup.p99)} ms  ${f(out.lookup.rps, 0)} req/s  ${JSON.stringify(out.lookup.statuses)}`);
  if (out.e2e) lines.push(`e2e       adapter ${f(out.e2e.adapter.jobs_per_s, 1)} jobs/s (${out.e2e.adapter.succeeded}/${out.e2e.adapter.jobs} ok)  bare ${f(out.e2e.bare?.jobs_per_s, 1)} jobs/s  ratio ${f(out.e2e.ratio, 2)}`);
  if (out.cost) {
    lines.push('cost per job (provider req / D1 inserted / D1 written est / R2 objects / publications):');
    for (const c of out.cost) {
      const s = (r) => (r ? `${r.state.padEnd(9)} ${r.provider_requests} / ${r.d1_inserted_total} / ${r.d1_rows_written_est} / ${r.r2_objects_added} / ${r.publication}` : 'not run');
      lines.push(`  ${c.label.padEnd(44)} first ${s(c.first)}   re-sync ${s(c.resync)}`);
    }
  }
  console.log(lines.join('\n'));
}

let code = 0;
try {
  if (only.includes('parse')) runParse();
  for (const s of ['cost', 'lookup', 'e2e', 'enqueue']) {
    if (!only.includes(s)) continue;
    if (s === 'cost') await runCost();
    if (s === 'lookup') await runLookup();
    if (s === 'e2e') await runE2E();
    if (s === 'enqueue') await runEnqueue();
  }
  out.duration_s = (Date.now() - started) / 1000;
  printTable();
  if (WRITE) {
    const cmd = `npm run bench${only.length === ALL.length ? '' : ` -- --only ${only.join(',')}`}`;
    writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), `${report()}\nCommand: \`${cmd}\` (total ${f(out.duration_s, 0)} s). Raw figures: \`BENCH_JSON=1 npm run bench\` prints them as JSON.\n`);
    log('wrote docs/benchmarks.md');
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
