/** The runtime job lifecycle (test/store-contract/runtime-lifecycle.ts) on D1; its Postgres twin is in test/store-pg/. */
import { applyD1Migrations, reset, type D1Migration } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { D1Store } from '../src/db/d1/store';
import { R2BlobStore } from '../src/wiring/env-ports';
import { describeRuntimeLifecycle } from './store-contract/runtime-lifecycle';

describeRuntimeLifecycle('D1', async () => {
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS as D1Migration[]);
  return {
    store: new D1Store(env.DB),
    blobs: new R2BlobStore(env.RAW),
    upstream: env.UPSTREAM_OVERRIDE!,
    control: env.FIXTURE_CONTROL_URL as string,
    cleanup: () => reset(),
  };
});
