import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// The fixture server (test/global-setup.ts) listens here; the Worker's UPSTREAM_OVERRIDE points at it.
const FIXTURE_PORT = Number(process.env.FIXTURE_PORT ?? 9471);

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./drizzle');
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
          },
        },
      }),
    ],
    test: {
      globalSetup: ['./test/global-setup.ts'],
      provide: { fixturePort: FIXTURE_PORT },
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
