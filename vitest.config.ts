import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { createConnection } from 'node:net';
import { configDefaults, defineConfig } from 'vitest/config';
import { startFixtureServer } from './scripts/fixture-server.mjs';
import { startWebhookReceiver } from './scripts/webhook-receiver.mjs';
import { readPgMigrations } from './src/db/pg/gen-migrations.mjs';
import { chromiumAvailable } from './scripts/e2e/browser.mjs';

/**
 * The Postgres project's database (Hyperdrive's local connection string; it needs a password, trust auth ignores it);
 * PostgreSQL runs before every session and in CI.
 */
const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';

/** Whether something listens at the Postgres URL's host and port (a plain TCP connect, one second at most). */
function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((ok) => {
    const socket = createConnection({ host: u.hostname, port: Number(u.port || 5432) });
    const done = (v: boolean) => {
      socket.destroy();
      ok(v);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export default defineConfig(async () => {
  // CI always has PostgreSQL and must run its tests; elsewhere a machine without it skips the Postgres project
  // (and says so) instead of failing the whole run.
  const withPostgres = Boolean(process.env.CI) || (await reachable(PG_TEST_URL));
  if (!withPostgres)
    console.warn(
      `[vitest] no PostgreSQL at ${new URL(PG_TEST_URL).host}: the Postgres store project is skipped ` +
        '(set PG_TEST_URL, or run with CI=1 to require it)',
    );
  // The console's browser tests need Debian's chromium (.ci/run installs it); elsewhere they are skipped with a notice.
  const withBrowser = Boolean(process.env.CI) || chromiumAvailable();
  if (!withBrowser)
    console.warn(
      '[vitest] no /usr/bin/chromium: the console browser tests are skipped (apt-get install -y chromium, or CI=1 to require them)',
    );
  const migrations = await readD1Migrations('./drizzle');
  // The fixture server replays recorded provider pages; the Worker's UPSTREAM_OVERRIDE points at it. It takes a
  // free loopback port so concurrent runs never collide, and dies with the Vitest process.
  const fixtures = await startFixtureServer({ port: Number(process.env.FIXTURE_PORT ?? 0) });
  fixtures.unref();
  const FIXTURE_PORT = fixtures.port;
  // The push-delivery tests' receiver (verifies Standard Webhooks signatures), on its own free loopback port.
  const receiver = await startWebhookReceiver();
  receiver.unref();
  return {
    test: {
      // Closing a Postgres socket from workerd (postgres.js `sql.end()`) rejects a promise nobody awaits; ignore
      // exactly those two messages. A run-wide option (Vitest reads it from the root config only); the Worker
      // project opens no Postgres sockets, so it never sees them.
      onUnhandledError: (error: { message?: string }) =>
        /^(Stream was cancelled|This socket has been closed)\.?$/.test(String(error?.message ?? '')) ? false : undefined,
      projects: [
        {
          plugins: [
            cloudflareTest({
              main: './src/main.ts',
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  INTERNAL_AUTH_TOKEN: 'test-token-0123456789',
                  // Named tokens beside the default operator token: a downstream reader and a second operator.
                  API_TOKENS: 'nest:reader:reader-token-0123456789,ops-alice:operator:alice-token-0123456789',
                  UPSTREAM_OVERRIDE: `http://127.0.0.1:${FIXTURE_PORT}`,
                  FIXTURE_CONTROL_URL: `http://127.0.0.1:${FIXTURE_PORT}`,
                  // Tests run faster than real politeness allows; the rate limiter has its own tests.
                  PROVIDER_RATE_OVERRIDE: '1000',
                  // Short backoff so retry tests through the real queue finish in seconds.
                  WORKER_BASE_RETRY_DELAY_SEC: '1',
                  WORKER_MAX_RETRY_DELAY_SEC: '2',
                  PROVIDER_TIMEOUT_MS: '3000',
                  // The Betfair fixture's account (scripts/fixtures/betfair-historic.mjs), as the secrets would carry it.
                  BETFAIR_APP_KEY: 'fixture-app-key',
                  BETFAIR_USERNAME: 'fixture-user',
                  BETFAIR_PASSWORD: 'fixture-pass',
                  // Keep the run's output readable: info lines (one per request and job step) are not printed.
                  LOG_LEVEL: 'warn',
                  // Push delivery: the loopback receiver is the one allowed host; short backoff, few attempts.
                  RECEIVER_CONTROL_URL: `http://127.0.0.1:${receiver.port}`,
                  DELIVERY_ALLOWED_HOSTS: '127.0.0.1',
                  DELIVERY_SERVICE_BINDINGS: 'RECEIVER_SVC',
                  DELIVERY_BASE_RETRY_SEC: '1',
                  DELIVERY_MAX_RETRY_SEC: '2',
                  DELIVERY_MAX_ATTEMPTS: '4',
                  DELIVERY_TIMEOUT_MS: '1000',
                },
                // A Worker consumer reached over a service binding: forwards to the receiver's /hook/svc.
                serviceBindings: {
                  RECEIVER_SVC: async (request: Request) =>
                    fetch(`http://127.0.0.1:${receiver.port}/hook/svc`, {
                      method: 'POST',
                      headers: request.headers,
                      body: await request.text(),
                    }),
                },
              },
            }),
          ],
          test: {
            name: 'workers',
            include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
            exclude: [...configDefaults.exclude, 'test/store-pg/**'],
            testTimeout: 30_000,
            // One shared fixture server and queue: files run one after another so their routes and messages never mix.
            fileParallelism: false,
            hookTimeout: 30_000,
          },
        },
        ...(withPostgres
          ? [
              {
                // The Postgres store through a Hyperdrive binding, in its own pool: the Worker project above never
                // depends on a reachable database (a Hyperdrive binding to nothing fails the whole pool at start).
                plugins: [
                  cloudflareTest({
                    miniflare: {
                      compatibilityDate: '2026-10-20',
                      // postgres.js needs node:buffer and node:stream.
                      compatibilityFlags: ['nodejs_compat'],
                      hyperdrives: { HYPERDRIVE: PG_TEST_URL },
                      // The runtime lifecycle suite (test/store-pg/lifecycle.test.ts) needs R2 and the fixture server too.
                      r2Buckets: ['RAW'],
                      bindings: {
                        PG_MIGRATIONS_ON_DISK: readPgMigrations(),
                        UPSTREAM_OVERRIDE: `http://127.0.0.1:${FIXTURE_PORT}`,
                        FIXTURE_CONTROL_URL: `http://127.0.0.1:${FIXTURE_PORT}`,
                      },
                    },
                  }),
                ],
                test: {
                  name: 'postgres',
                  include: ['test/store-pg/**/*.test.ts'],
                  testTimeout: 30_000,
                  hookTimeout: 30_000,
                  fileParallelism: false,
                  // A run group of its own: its files never run at the same time as the Worker project's.
                  sequence: { groupOrder: 1 },
                },
              },
            ]
          : []),
        {
          // The dev tooling's own tests (scripts/*.test.ts: the cron ticker), in plain Node.
          test: { name: 'scripts', include: ['scripts/*.test.ts'], environment: 'node', testTimeout: 30_000 },
        },
        ...(withBrowser
          ? [
              {
                // The admin console end to end: headless Chromium against `wrangler dev` (scripts/e2e). Plain Node.
                test: {
                  name: 'browser',
                  include: ['scripts/e2e/**/*.test.ts'],
                  environment: 'node',
                  testTimeout: 90_000,
                  hookTimeout: 150_000,
                  fileParallelism: false,
                  sequence: { groupOrder: 2 },
                },
              },
            ]
          : []),
      ],
    },
  };
});
