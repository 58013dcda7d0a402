// Helpers shared by scripts/bench.mjs and scripts/soak.mjs. Same approach as scripts/dev-stack.mjs (fixture server +
// `wrangler dev --local` on free loopback ports with fresh local state), plus what the benchmarks need on top:
// restarting wrangler dev on the SAME persist dir (simulated consumer crash), a second Worker config (the bare
// baseline), direct read-only row counts of the local D1 / R2 sqlite files, and a keep-alive HTTP client.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, existsSync, statSync, readFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { Agent, request as httpRequest } from 'node:http';
import { ROOT, TOKEN, freePort } from '../dev-stack.mjs';
import { startFixtureServer } from '../fixture-server.mjs';

export { ROOT, TOKEN, freePort };
export const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler');
export const TERMINAL = ['succeeded', 'failed', 'exhausted', 'cancelled'];
export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

export const childEnv = () => ({
  ...process.env,
  PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  CI: process.env.CI ?? 'true',
  NO_UPDATE_NOTIFIER: '1',
});

export function machine() {
  const c = cpus();
  return { cpu: c[0]?.model?.trim() ?? 'unknown', cores: c.length, node: process.version };
}

/** Keep-alive JSON HTTP client over node:http (loopback only). */
export function client(base, { token = TOKEN, maxSockets = 64 } = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const u = new URL(base);
  const call = (method, path, body) =>
    new Promise((ok, fail) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = httpRequest(
        {
          host: u.hostname,
          port: u.port,
          method,
          path,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json = null;
            try {
              json = JSON.parse(text);
            } catch {}
            ok({ status: res.statusCode, json, text });
          });
          res.on('error', fail);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error(`timeout ${method} ${path}`)));
      req.on('error', fail);
      if (payload) req.write(payload);
      req.end();
    });
  return { call, get: (p) => call('GET', p), post: (p, b) => call('POST', p, b ?? {}), close: () => agent.destroy() };
}

/** Starts `wrangler dev --local` for a config on a persist dir; returns a handle that can stop/restart it. */
export async function startWrangler({
  config = join(ROOT, 'wrangler.toml'),
  cwd = ROOT,
  state,
  vars = {},
  readyPath = '/internal/v1/health/ready',
  quiet = true,
  wranglerEnv = null,
  extraEnv = {},
}) {
  const port = await freePort();
  const h = { url: `http://127.0.0.1:${port}`, port, child: null, logs: [], state };
  const launch = async () => {
    const args = [
      'dev',
      '--config',
      config,
      ...(wranglerEnv ? ['--env', wranglerEnv] : []),
      '--local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String((h.inspectorPort = await freePort())),
      '--persist-to',
      state,
      '--show-interactive-dev-session=false',
      '--log-level',
      quiet ? 'error' : (process.env.WRANGLER_LOG_LEVEL ?? 'info'),
    ];
    for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
    const child = spawn(WRANGLER, args, { cwd, env: { ...childEnv(), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const keep = (chunk) => {
      h.logs.push(chunk.toString());
      if (h.logs.length > 2000) h.logs.splice(0, 1000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    h.child = child;
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${h.logs.join('').slice(-3000)}`);
      try {
        const r = await fetch(`${h.url}${readyPath}`);
        if (r.status === 200) break;
      } catch {}
      if (Date.now() > deadline) {
        await h.stop();
        throw new Error(`wrangler dev not ready after 90 s:\n${h.logs.join('').slice(-3000)}`);
      }
      await sleep(250);
    }
  };
  /** Stops the process group (wrangler + workerd). `hard` skips the grace period: a crash, not a shutdown. */
  h.stop = async (hard = false) => {
    const child = h.child;
    if (!child) return;
    h.child = null;
    try {
      process.kill(-child.pid, hard ? 'SIGKILL' : 'SIGTERM');
    } catch {}
    const until = Date.now() + 5000;
    while (child.exitCode === null && child.signalCode === null && Date.now() < until) await sleep(100);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
    await sleep(300);
  };
  /** CPU milliseconds (user + system) the workerd processes of this wrangler dev have used so far; null off Linux. */
  h.workerdCpuMs = () => (h.child ? processGroupCpuMs(h.child.pid, 'workerd') : null);
  h.restart = async ({ hard = true } = {}) => {
    await h.stop(hard);
    await launch();
  };
  await launch();
  return h;
}

/** Sums utime + stime of the processes named `comm` in process group `pgid`, from /proc (Linux only, else null). */
export function processGroupCpuMs(pgid, comm) {
  if (!existsSync('/proc/self/stat')) return null;
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    if (name === comm && Number(f[2]) === pgid) total += (Number(f[11]) + Number(f[12])) * tick;
  }
  return total;
}

export function newState(prefix = 'bench-state-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function migrate(state, config = join(ROOT, 'wrangler.toml'), wranglerEnv = null) {
  execFileSync(
    WRANGLER,
    [
      'd1',
      'migrations',
      'apply',
      'DB',
      '--config',
      config,
      ...(wranglerEnv ? ['--env', wranglerEnv] : []),
      '--local',
      '--persist-to',
      state,
    ],
    { cwd: ROOT, env: childEnv(), stdio: 'ignore' },
  );
}

/** The Postgres base URL for `--store postgres` runs: PG_URL, else PG_TEST_URL, else the local default. */
export const pgBaseUrl = () => process.env.PG_URL ?? process.env.PG_TEST_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';

/** A fresh database for one run, migrated with drizzle-kit (as scripts/dev-stack.mjs does); returns its URL and a drop(). */
export function freshPgDatabase(prefix = 'adapter_soak') {
  const base = pgBaseUrl();
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  execFileSync('psql', [base, '-qc', `CREATE DATABASE ${name}`], { stdio: 'ignore' });
  const url = base.replace(/\/[^/?]*(\?.*)?$/, `/${name}$1`);
  execFileSync(join(ROOT, 'node_modules', '.bin', 'drizzle-kit'), ['migrate', '--config', 'drizzle.pg.config.ts'], {
    cwd: ROOT,
    env: { ...childEnv(), DATABASE_URL: url },
    stdio: 'ignore',
  });
  const drop = () => {
    try {
      execFileSync('psql', [base, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'ignore' });
    } catch {}
  };
  return { url, name, drop };
}

/** The full adapter stack: fixture server + wrangler dev with UPSTREAM_OVERRIDE; restartable on the same state. */
export async function startAdapter({ vars = {}, quiet = true, store = 'd1' } = {}) {
  const fixtures = await startFixtureServer({ port: 0 });
  const state = newState('adapter-bench-');
  const wranglerEnv = store === 'postgres' ? 'postgres' : null;
  migrate(state, undefined, wranglerEnv);
  const pg = store === 'postgres' ? freshPgDatabase() : null;
  const extraEnv = pg ? { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: pg.url } : {};
  const w = await startWrangler({
    state,
    vars: { UPSTREAM_OVERRIDE: fixtures.url, INTERNAL_AUTH_TOKEN: TOKEN, ...vars },
    quiet,
    wranglerEnv,
    extraEnv,
  });
  const api = client(`${w.url}`);
  const control = client(fixtures.url);
  return {
    wrangler: w,
    fixtures,
    state,
    store,
    /** Read-only SQL against the run's store (D1's sqlite file, or the run's Postgres database). */
    query: pg ? pgQuery(pg.url) : (sql) => d1Query(state, sql),
    get url() {
      return w.url;
    },
    api: {
      get: (p) => api.get(`/internal/v1${p}`),
      post: (p, b) => api.post(`/internal/v1${p}`, b),
    },
    control: {
      reset: () => control.post('/__control/reset', {}),
      routes: (list) => control.post('/__control/routes', list),
      faults: (f) => control.post('/__control/faults', f),
      log: async () => (await control.get('/__control/log')).json.requests,
      stats: async () => (await control.get('/__control/stats')).json,
    },
    scheduled: () => fetch(`${w.url}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`).then((r) => r.text()),
    async stop() {
      await w.stop();
      api.close();
      control.close();
      await fixtures.close();
      await closePg?.();
      pg?.drop();
      rmSync(state, { recursive: true, force: true });
    },
  };
}

let closePg = null;
/** A postgres.js client (the project's own dependency) for the soak's read-only checks. */
function pgQuery(url) {
  let sql = null;
  closePg = async () => sql?.end({ timeout: 2 });
  return async (text) => {
    if (!sql) sql = (await import('postgres')).default(url, { max: 2, onnotice: () => {} });
    const rows = await sql.unsafe(text);
    return rows.map((r) => ({ ...r }));
  };
}

function sqliteFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite'))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).size > 0);
}

let sqliteMod = null;
async function sqlite() {
  if (!sqliteMod) {
    const orig = process.emitWarning;
    process.emitWarning = (w, ...rest) => (String(w).includes('SQLite') ? undefined : orig.call(process, w, ...rest));
    sqliteMod = await import('node:sqlite');
  }
  return sqliteMod;
}

/** Read-only query of the local D1 database file(s) wrangler keeps under <state>/v3/d1 (waits out workerd's write locks). */
export async function d1Query(state, sql) {
  const { DatabaseSync } = await sqlite();
  for (const file of sqliteFiles(join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject'))) {
    const db = new DatabaseSync(file, { readOnly: true, timeout: 5_000 });
    try {
      const has = db.prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name='ingestion_jobs'`).all();
      if (!has.length && !/bare_jobs/.test(sql)) continue;
      return db.prepare(sql).all();
    } catch (err) {
      if (!/no such table/.test(String(err))) throw err;
    } finally {
      db.close();
    }
  }
  return [];
}

/** Writes to the local D1 database file (one transaction); only while no wrangler dev has it open. */
export async function d1Exec(state, sql) {
  const { DatabaseSync } = await sqlite();
  const [file] = sqliteFiles(join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject')).filter((f) => {
    const db = new DatabaseSync(f, { readOnly: true });
    try {
      return db.prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name='ingestion_jobs'`).all().length > 0;
    } finally {
      db.close();
    }
  });
  if (!file) throw new Error(`no D1 database with ingestion_jobs under ${state}`);
  const db = new DatabaseSync(file);
  try {
    db.exec(`BEGIN; ${sql}; COMMIT`);
  } finally {
    db.close();
  }
}

/** Row count of every user table in the local D1 database. */
export async function d1Counts(state) {
  const { DatabaseSync } = await sqlite();
  const out = {};
  for (const file of sqliteFiles(join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject'))) {
    const db = new DatabaseSync(file, { readOnly: true, timeout: 5_000 });
    try {
      const tables = db
        .prepare(
          `SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'`,
        )
        .all();
      for (const { name } of tables) out[name] = (out[name] ?? 0) + Number(db.prepare(`SELECT count(*) AS n FROM "${name}"`).get().n);
    } finally {
      db.close();
    }
  }
  return out;
}

/** Number of objects in the local R2 bucket(s) (miniflare keeps their metadata in sqlite under <state>/v3/r2). */
export async function r2Count(state) {
  const { DatabaseSync } = await sqlite();
  let n = 0;
  for (const file of sqliteFiles(join(state, 'v3', 'r2', 'miniflare-R2BucketObject'))) {
    const db = new DatabaseSync(file, { readOnly: true, timeout: 5_000 });
    try {
      n += Number(db.prepare(`SELECT count(*) AS n FROM _mf_objects`).get().n);
    } catch {
    } finally {
      db.close();
    }
  }
  return n;
}

export function pct(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Closed-loop load: `concurrency` workers issue `total` requests back to back; returns sorted latencies (ms). */
export async function closedLoop({ total, concurrency, timeLimitMs = 60_000, fn }) {
  const lat = [];
  const statuses = {};
  let next = 0;
  const t0 = performance.now();
  const deadline = Date.now() + timeLimitMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total || Date.now() > deadline) return;
        const s = performance.now();
        let status;
        try {
          status = (await fn(i)).status;
        } catch (err) {
          status = `error:${String(err.message ?? err).slice(0, 40)}`;
        }
        lat.push(performance.now() - s);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const wall = performance.now() - t0;
  lat.sort((a, b) => a - b);
  return {
    n: lat.length,
    wall_ms: wall,
    rps: lat.length / (wall / 1000),
    p50: pct(lat, 50),
    p90: pct(lat, 90),
    p99: pct(lat, 99),
    max: lat[lat.length - 1],
    statuses,
  };
}
