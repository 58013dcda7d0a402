// Starts the local stack the demo, benchmarks and soak share: the fixture server (recorded provider pages) and
// `wrangler dev --local` (local D1, R2, Queues, Durable Objects) with UPSTREAM_OVERRIDE pointing at the fixtures.
// Loopback only; nothing here reaches the network.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFixtureServer } from './fixture-server.mjs';
import { startCronTicker } from './cron-ticker.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler');
export const TOKEN = 'local-demo-token-0123456789';

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// wrangler needs Node >= 22; the project ships it as a devDependency in node_modules/.bin.
const childEnv = () => ({
  ...process.env,
  PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  CI: process.env.CI ?? 'true',
  NO_UPDATE_NOTIFIER: '1',
});

/**
 * store: 'd1' (default) or 'postgres': the latter runs `wrangler dev --env postgres` (Hyperdrive to the local
 * PostgreSQL at PG_URL, default postgres://postgres:postgres@127.0.0.1:5432/test) in a fresh schema-less database
 * created for the run and migrated with drizzle-kit.
 */
export async function startStack({ vars = {}, quiet = true, fixtureFaults = null, store = 'd1', cron = false } = {}) {
  const fixtures = await startFixtureServer({ port: 0 });
  if (fixtureFaults) await fetch(`${fixtures.url}/__control/faults`, { method: 'POST', body: JSON.stringify(fixtureFaults) });
  const state = mkdtempSync(join(tmpdir(), 'adapter-state-'));
  execFileSync(
    WRANGLER,
    ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state, ...(store === 'postgres' ? ['--env', 'postgres'] : [])],
    { cwd: ROOT, env: childEnv(), stdio: quiet ? 'ignore' : 'inherit' },
  );
  let pgDb = null;
  const env = childEnv();
  if (store === 'postgres') {
    const base = process.env.PG_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';
    pgDb = `adapter_demo_${process.pid}_${Date.now()}`;
    execFileSync('psql', [base, '-qc', `CREATE DATABASE ${pgDb}`], { stdio: quiet ? 'ignore' : 'inherit' });
    const url = base.replace(/\/[^/?]*(\?.*)?$/, `/${pgDb}$1`);
    execFileSync(join(ROOT, 'node_modules', '.bin', 'drizzle-kit'), ['migrate', '--config', 'drizzle.pg.config.ts'], {
      cwd: ROOT,
      env: { ...env, DATABASE_URL: url },
      stdio: quiet ? 'ignore' : 'inherit',
    });
    env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE = url;
  }
  const port = await freePort();
  const allVars = { UPSTREAM_OVERRIDE: fixtures.url, INTERNAL_AUTH_TOKEN: TOKEN, ...vars };
  const args = [
    'dev',
    ...(store === 'postgres' ? ['--env', 'postgres'] : []),
    '--local',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(await freePort()),
    '--persist-to',
    state,
    '--show-interactive-dev-session=false',
    '--log-level',
    quiet ? 'error' : 'info',
  ];
  for (const [k, v] of Object.entries(allVars)) args.push('--var', `${k}:${v}`);
  const child = spawn(WRANGLER, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const logs = [];
  const keep = (chunk) => {
    logs.push(chunk.toString());
    if (logs.length > 2000) logs.splice(0, 1000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${logs.join('').slice(-3000)}`);
    try {
      const r = await fetch(`${url}/internal/v1/health/ready`);
      if (r.status === 200) break;
    } catch {}
    if (Date.now() > deadline) {
      stop();
      throw new Error(`wrangler dev not ready after 90 s:\n${logs.join('').slice(-3000)}`);
    }
    await new Promise((ok) => setTimeout(ok, 250));
  }
  // cron: fire the scheduled handler now and every minute, as Cloudflare would (wrangler dev does not).
  const ticker = cron ? startCronTicker(url, { log: (m) => logs.push(`${m}\n`) }) : null;
  if (ticker) await ticker.first;
  function stop() {
    ticker?.stop();
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  }
  return {
    url,
    fixtures,
    logs,
    /** The --persist-to directory: `wrangler r2 object put ... --local --persist-to <state>` reaches this stack's R2. */
    state,
    token: TOKEN,
    api: (path, init = {}) =>
      fetch(`${url}/internal/v1${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
          ...(init.headers ?? {}),
        },
      }),
    async stop() {
      stop();
      await new Promise((ok) => setTimeout(ok, 300));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      await fixtures.close();
      rmSync(state, { recursive: true, force: true });
      if (pgDb) {
        try {
          execFileSync(
            'psql',
            [
              process.env.PG_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test',
              '-qc',
              `DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`,
            ],
            { stdio: 'ignore' },
          );
        } catch {}
      }
    },
  };
}

export async function waitForJob(stack, id, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const body = await (await stack.api(`/jobs/${id}`)).json();
    if (['succeeded', 'failed', 'exhausted', 'cancelled'].includes(body.job?.state)) return body;
    if (Date.now() > until) throw new Error(`job ${id} still ${body.job?.state} after ${timeoutMs} ms`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}
