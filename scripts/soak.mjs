#!/usr/bin/env node
// `npm run soak`: 1,000 liverc.event_catalog jobs over mixed synthetic scopes against `wrangler dev --local`, with a
// fixture server that fails a share of requests (5xx, 429 + Retry-After, timeouts, reset connections, 200 bodies cut
// short with and without a matching Content-Length) and consumer
// crashes mid-run (wrangler dev's process group is SIGKILLed and a new wrangler dev started on the SAME persist dir,
// so in-flight queue messages are lost, leases expire and the cron sweeper must recover the jobs). Half the scopes
// change content half-way. Ends when every job is terminal and prints jobs by final state, publications per scope
// against the distinct contents served, duplicate publications, lost and stuck jobs. Exit 0 only if all checks hold.
// Every claim is a checked figure printed beside the check that would fail it: the faults and crashes asked for
// were counted at the fixture server / the kill (zero of a kind fails), each scope's latest publication carries the
// last content that scope was served (a lost B after A fails), and a floor on the share of jobs that succeeded.
// Push delivery runs alongside (scripts/soak/deliveries.mjs): every publication must reach each subscription in
// scope exactly once, in scope order, through receiver outages and the crashes. Loopback only. Env: SOAK_JOBS (1000), SOAK_SCOPES (100), SOAK_CRASHES (2), SOAK_TIME_LIMIT_MS (900000),
// SOAK_MIN_SUCCESS (0.9). `npm run soak -- --store postgres` runs the same soak on the Postgres store (Hyperdrive to
// a fresh database at PG_URL / PG_TEST_URL, migrated with drizzle-kit).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TERMINAL, client, sleep, startAdapter } from './bench/stack.mjs';
import { deliverySoak } from './soak/deliveries.mjs';
import { halfPagePublications, sweeperEnds } from './soak/checks.mjs';

const argStore = process.argv.indexOf('--store');
const STORE = argStore > 0 ? process.argv[argStore + 1] : (process.env.SOAK_STORE ?? 'd1');
if (!['d1', 'postgres'].includes(STORE)) throw new Error(`--store must be d1 or postgres, not ${STORE}`);
const MIN_SUCCESS = Number(process.env.SOAK_MIN_SUCCESS ?? 0.9);

const JOBS = Number(process.env.SOAK_JOBS ?? 1000);
const SCOPES = Number(process.env.SOAK_SCOPES ?? 100);
const CRASHES = Number(process.env.SOAK_CRASHES ?? 2);
const LIMIT_MS = Number(process.env.SOAK_TIME_LIMIT_MS ?? 15 * 60_000);
const FAULTS = {
  rate5xx: 0.06,
  rate429: 0.04,
  retryAfterSec: 1,
  rateTimeout: 0.02,
  rateTruncate: 0.03,
  rateCutWithLength: 0.02,
  rateCutNoLength: 0.02,
  seed: 7,
};
const VARS = {
  PROVIDER_RATE_OVERRIDE: '1000',
  WORKER_LEASE_DURATION_SEC: '6',
  WORKER_HEARTBEAT_INTERVAL_SEC: '2',
  WORKER_BASE_RETRY_DELAY_SEC: '1',
  WORKER_MAX_RETRY_DELAY_SEC: '3',
  WORKER_MAX_ATTEMPTS: '8',
  PROVIDER_TIMEOUT_MS: '2000',
};

const t0 = Date.now();
const log = (...a) => console.log(`[soak ${((Date.now() - t0) / 1000).toFixed(0)}s]`, ...a);
const hardStop = setTimeout(() => {
  console.error(`SOAK FAILED: not finished within ${LIMIT_MS / 1000} s`);
  process.exit(3);
}, LIMIT_MS + 60_000);
hardStop.unref();

const pageA = readFileSync(join(ROOT, 'testdata', 'liverc', 'Track.events.listing.page.html'), 'utf8');
const pageB = pageA.replace('Clay Cup', 'Clay Cup (revised)');
if (pageA === pageB) throw new Error('content B is not different from content A');
const prefix = `soak${Date.now().toString(36)}x`;
const slugs = Array.from({ length: SCOPES }, (_, i) => `${prefix}${i}`);
const changing = new Set(slugs.filter((_, i) => i % 2 === 0));
const served = new Map(slugs.map((s) => [s, new Set(['A'])]));

// Push delivery rides along (scripts/soak/deliveries.mjs): subscriptions, a verifying receiver with outages, checks.
const deliveries = await deliverySoak({ slugs, prefix, jobs: JOBS, log });
const stack = await startAdapter({ vars: { ...VARS, ...deliveries.vars }, store: STORE });
const q = stack.query;
log(`wrangler dev (${STORE} store) at ${stack.url}, fixtures at ${stack.fixtures.url}; state ${stack.state}`);
let code = 0;
try {
  await stack.control.routes(
    slugs.map((s) => ({ key: `${s}.liverc.com/events/`, body: pageA, label: 'A', contentType: 'text/html; charset=utf-8' })),
  );
  await stack.control.faults(FAULTS);
  await deliveries.subscribe(stack);

  const created = new Map(); // job id -> slug
  let deduplicated = 0;
  let enqueueErrors = 0;
  let switched = false;
  const crashAt = Array.from({ length: CRASHES }, (_, i) => Math.round((JOBS * (i + 1)) / (CRASHES + 1)));
  let crashes = 0;
  let killsConfirmed = 0; // the old process group really died of SIGKILL
  let lastSweep = 0;
  const sweep = async () => {
    try {
      await stack.scheduled();
    } catch {}
    lastSweep = Date.now();
  };

  // Enqueuer: cycles over the scopes; an active scope returns its existing job (deduplicated, not counted).
  let api = client(stack.url, { maxSockets: 8 });
  let cursor = 0;
  let inflight = 0;
  const enqueueOne = async () => {
    if (created.size + inflight >= JOBS) return;
    inflight++;
    const slug = slugs[cursor++ % slugs.length];
    try {
      const r = await api.post('/internal/v1/jobs', { pipeline: 'liverc.event_catalog', params: { track_slug: slug } });
      if (r.status === 202) created.set(r.json.job.id, slug);
      else if (r.status === 200 && r.json?.deduplicated) deduplicated++;
      else enqueueErrors++;
    } catch {
      enqueueErrors++;
      await sleep(200);
    } finally {
      inflight--;
    }
  };
  while (created.size < JOBS) {
    if (Date.now() - t0 > LIMIT_MS) throw new Error(`enqueue phase did not reach ${JOBS} jobs in time (created ${created.size})`);
    if (!switched && created.size >= JOBS / 2) {
      switched = true;
      await stack.control.routes(
        [...changing].map((s) => ({ key: `${s}.liverc.com/events/`, body: pageB, label: 'B', contentType: 'text/html; charset=utf-8' })),
      );
      for (const s of changing) served.get(s).add('B');
      log(`content changed for ${changing.size} scopes`);
    }
    if (crashes < CRASHES && created.size >= crashAt[crashes]) {
      crashes++;
      log(`crash ${crashes}: SIGKILL wrangler dev mid-run (created ${created.size}), restarting on the same state`);
      await deliveries.beforeCrash(stack);
      api.close();
      const victim = stack.wrangler.child;
      await stack.wrangler.restart({ hard: true });
      if (victim.signalCode === 'SIGKILL') killsConfirmed++;
      api = client(stack.url, { maxSockets: 8 });
      log(`crash ${crashes}: wrangler dev back`);
    }
    await Promise.all(Array.from({ length: 8 }, () => enqueueOne()));
    await deliveries.tick(created.size);
    if (Date.now() - lastSweep > 5000) await sweep();
  }
  log(
    `enqueued ${created.size} jobs (${deduplicated} deduplicated requests, ${enqueueErrors} enqueue errors); waiting for all to be terminal`,
  );

  // Drain: every job must end terminal; the cron sweeper is triggered every 5 s as the minute cron would be.
  const ids = [...created.keys()];
  let states;
  for (;;) {
    const rows = await q(`SELECT id, state FROM ingestion_jobs WHERE scope_key LIKE 'track_slug=${prefix}%'`);
    states = new Map(rows.map((r) => [r.id, r.state]));
    const open = ids.filter((id) => !TERMINAL.includes(states.get(id)));
    if (open.length === 0) break;
    if (Date.now() - t0 > LIMIT_MS) {
      log(`time limit: ${open.length} jobs not terminal`);
      break;
    }
    if (Date.now() - lastSweep > 5000) {
      await sweep();
      log(`${open.length} jobs not yet terminal`);
    }
    await sleep(500);
  }

  await deliveries.drain(stack, sweep);

  // ---- checks: each figure is printed with the check that fails it.
  const byState = {};
  for (const id of ids) {
    const s = states.get(id) ?? 'MISSING';
    byState[s] = (byState[s] ?? 0) + 1;
  }
  const lost = ids.filter((id) => !states.has(id));
  const stuck = ids.filter((id) => states.has(id) && !TERMINAL.includes(states.get(id)));
  const pubs = await q(
    `SELECT scope_key, sequence, normalized_hash, job_id, envelope_key FROM published_results WHERE scope_key LIKE 'track_slug=${prefix}%' ORDER BY scope_key, sequence`,
  );
  const pubsByScope = new Map();
  for (const p of pubs) {
    if (!pubsByScope.has(p.scope_key)) pubsByScope.set(p.scope_key, []);
    pubsByScope.get(p.scope_key).push(p);
  }
  let duplicates = 0;
  let seqGaps = 0;
  const overPublished = [];
  const histogram = {};
  for (const slug of slugs) {
    const list = pubsByScope.get(`track_slug=${slug}`) ?? [];
    const seen = new Set();
    list.forEach((p, i) => {
      if (seen.has(p.normalized_hash)) duplicates++;
      seen.add(p.normalized_hash);
      if (Number(p.sequence) !== Number(list[0].sequence) + i) seqGaps++;
    });
    const distinct = served.get(slug).size;
    const key = `${changing.has(slug) ? 'A then B' : 'A only'}: ${list.length} publication(s)`;
    histogram[key] = (histogram[key] ?? 0) + 1;
    if (list.length > distinct) overPublished.push(slug);
  }
  const pubJobs = new Set(pubs.map((p) => p.job_id));
  const doublePubJobs = pubs.length - pubJobs.size;
  const lastOrder = STORE === 'postgres' ? 't.seq DESC' : 't.at DESC, t.rowid DESC';
  const badTransitions = await q(
    `SELECT j.id, j.state, (SELECT t.to_state FROM job_state_transitions t WHERE t.job_id = j.id ORDER BY ${lastOrder} LIMIT 1) AS last
     FROM ingestion_jobs j WHERE j.scope_key LIKE 'track_slug=${prefix}%'`,
  ).then((rows) => rows.filter((r) => r.last !== r.state));
  const openAttempts = await q(
    `SELECT count(*) AS n FROM job_attempts a JOIN ingestion_jobs j ON j.id = a.job_id WHERE j.scope_key LIKE 'track_slug=${prefix}%' AND a.state = 'running' AND j.state != 'running'`,
  );
  const [att] = await q(
    `SELECT count(*) AS n, sum(CASE WHEN a.error_code = 'LEASE_EXPIRED' THEN 1 ELSE 0 END) AS lease, sum(CASE WHEN a.state = 'failed' THEN 1 ELSE 0 END) AS failed FROM job_attempts a JOIN ingestion_jobs j ON j.id = a.job_id WHERE j.scope_key LIKE 'track_slug=${prefix}%'`,
  );
  const codes = await q(
    `SELECT a.error_code AS code, count(*) AS n FROM job_attempts a JOIN ingestion_jobs j ON j.id = a.job_id WHERE j.scope_key LIKE 'track_slug=${prefix}%' AND a.error_code IS NOT NULL GROUP BY a.error_code ORDER BY n DESC`,
  );
  const fstats = await stack.control.stats();

  // Last content served vs latest publication, per scope. The fixture server records, per route, the label of the
  // last full 200 page it answered; the scope's latest publication must carry that content. A scope whose newest
  // job did not succeed (it exhausted its attempts) may legitimately lag: counted apart, not excused silently.
  const newestJob = new Map();
  const jobRows = await q(
    `SELECT id, scope_key, state, created_at FROM ingestion_jobs WHERE scope_key LIKE 'track_slug=${prefix}%' ORDER BY created_at`,
  );
  for (const r of jobRows) newestJob.set(r.scope_key, r);
  const labelOf = async (slug) => {
    const r = await api.get(`/internal/v1/publications/latest?pipeline=liverc.event_catalog&track_slug=${slug}`);
    if (r.status !== 200) return `HTTP ${r.status}`;
    return r.text.includes('Clay Cup (revised)') ? 'B' : 'A';
  };
  const staleScopes = [];
  const excusedScopes = [];
  let checkedScopes = 0;
  for (const slug of slugs) {
    const last = fstats.lastServed[`${slug}.liverc.com/events/`]?.label;
    if (!last) continue; // never served a full page: every job of the scope failed (the success floor covers it)
    const got = (pubsByScope.get(`track_slug=${slug}`) ?? []).length ? await labelOf(slug) : 'none';
    checkedScopes++;
    if (got === last) continue;
    if (newestJob.get(`track_slug=${slug}`)?.state !== 'succeeded') excusedScopes.push(slug);
    else staleScopes.push(`${slug} (served ${last}, latest ${got})`);
  }
  const succeeded = byState.succeeded ?? 0;
  const successRatio = ids.length ? succeeded / ids.length : 0;

  console.log(`\n=== soak result (${STORE} store) ===`);
  console.log(`jobs: ${ids.length} over ${SCOPES} scopes; faults asked ${JSON.stringify(FAULTS)}`);
  console.log(
    `elapsed: ${((Date.now() - t0) / 1000).toFixed(0)} s; provider requests at the fixture server: ${fstats.requests} (${fstats.served} full pages); attempts: ${att.n} (${att.failed} failed, ${Number(att.lease ?? 0)} lost their lease)`,
  );
  console.log(`attempt errors: ${codes.map((c) => `${c.code} ${c.n}`).join(', ') || 'none'}`);
  console.log(`jobs by final state: ${JSON.stringify(byState)}`);
  console.log(`publications: ${pubs.length} over ${pubsByScope.size} scopes; per scope vs contents served: ${JSON.stringify(histogram)}`);
  const failures = [];
  const figure = (name, value, ok, check) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${value}   [fails if ${check}]`);
    if (!ok) failures.push(name);
  };
  console.log('--- checked figures');
  for (const [kind, rate] of Object.entries(FAULTS)) {
    if (!kind.startsWith('rate') || !(rate > 0)) continue;
    const n = fstats.faults[kind] ?? 0;
    figure(`faults injected ${kind}`, n, n > 0, `0 (asked rate ${rate})`);
  }
  figure(
    'consumer crashes (SIGKILL of wrangler dev + restart on the same state)',
    `${crashes} done, ${killsConfirmed} died of SIGKILL`,
    crashes === CRASHES && killsConfirmed === CRASHES,
    `fewer than ${CRASHES} crashes happened, or a victim did not die of SIGKILL`,
  );
  figure(
    'attempts recovered after their lease expired',
    Number(att.lease ?? 0),
    CRASHES === 0 || Number(att.lease ?? 0) > 0,
    'crashes were asked and no attempt lost its lease (the crash hit nothing in flight)',
  );
  figure(
    'success ratio (succeeded / jobs)',
    `${succeeded}/${ids.length} = ${successRatio.toFixed(3)}`,
    successRatio >= MIN_SUCCESS,
    `< ${MIN_SUCCESS} (SOAK_MIN_SUCCESS)`,
  );
  figure(
    'scopes whose latest publication is not the last content served',
    `${staleScopes.length} of ${checkedScopes} checked${staleScopes.length ? `: ${staleScopes.slice(0, 5).join(', ')}` : ''}`,
    staleScopes.length === 0,
    '> 0 (a lost B after A)',
  );
  figure(
    'scopes behind their last content because their newest job did not succeed',
    excusedScopes.length,
    excusedScopes.length <= ids.length - succeeded,
    'more than the jobs that did not succeed',
  );
  const half = await halfPagePublications(q, prefix);
  figure(half.name, half.value, half.ok, half.check);
  const swept = await sweeperEnds(q, prefix);
  console.log(`     jobs ended by the sweeper: ${swept.completed} completed after their decision, ${swept.exhausted} exhausted`);
  figure('scopes with more publications than distinct contents served', overPublished.length, overPublished.length === 0, '> 0');
  figure('duplicate publications (same normalized hash twice in a scope)', duplicates, duplicates === 0, '> 0');
  figure('jobs with two publications', doublePubJobs, doublePubJobs === 0, '> 0');
  figure('sequence gaps', seqGaps, seqGaps === 0, '> 0');
  figure('lost jobs', lost.length, lost.length === 0, '> 0');
  figure('stuck jobs (not terminal at the end)', stuck.length, stuck.length === 0, '> 0');
  figure('jobs whose last transition is not their state', badTransitions.length, badTransitions.length === 0, '> 0');
  await deliveries.check(stack, figure);
  figure('attempts left running under a finished job', Number(openAttempts[0]?.n ?? 0), Number(openAttempts[0]?.n ?? 0) === 0, '> 0');
  if (failures.length) {
    code = 1;
    console.log(`SOAK FAILED (${STORE}): ${failures.join(', ')}`);
  } else console.log(`SOAK PASSED (${STORE})`);
} catch (err) {
  code = 1;
  console.error(`SOAK FAILED: ${err.stack ?? err}`);
  console.error(stack.wrangler.logs.join('').slice(-3000));
} finally {
  await stack.stop();
  await deliveries.stop();
}
process.exit(code);
