import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { startFixtureServer } from './scripts/fixture-server.mjs';

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./drizzle');
  // The fixture server replays recorded provider pages; the Worker's UPSTREAM_OVERRIDE points at it. It takes a
  // free loopback port so concurrent runs never collide, and dies with the Vitest process.
  const fixtures = await startFixtureServer({ port: Number(process.env.FIXTURE_PORT ?? 0) });
  fixtures.unref();
  const FIXTURE_PORT = fixtures.port;
  return {
    plugins: [
      cloudflareTest({
        main: './src/worker/index.ts',
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            INTERNAL_AUTH_TOKEN: 'test-token-0123456789',
            UPSTREAM_OVERRIDE: `http://127.0.0.1:${FIXTURE_PORT}`,
            FIXTURE_CONTROL_URL: `http://127.0.0.1:${FIXTURE_PORT}`,
            // Tests run faster than real politeness allows; the rate limiter has its own tests.
            PROVIDER_RATE_OVERRIDE: '1000',
            // Short backoff so retry tests through the real queue finish in seconds.
            WORKER_BASE_RETRY_DELAY_SEC: '1',
            WORKER_MAX_RETRY_DELAY_SEC: '2',
            PROVIDER_TIMEOUT_MS: '3000',
          },
        },
      }),
    ],
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 30_000,
      // One shared fixture server and queue: files run one after another so their routes and messages never mix.
      fileParallelism: false,
      hookTimeout: 30_000,
    },
  };
});
