/** The runtime job lifecycle (test/store-contract/runtime-lifecycle.ts) on Postgres through Hyperdrive. */
import { env } from 'cloudflare:workers';
import { R2BlobStore } from '../../src/wiring/env-ports';
import { describeRuntimeLifecycle } from '../store-contract/runtime-lifecycle';
import { makePgStore } from './harness';

const e = env as unknown as { RAW: R2Bucket; UPSTREAM_OVERRIDE: string; FIXTURE_CONTROL_URL: string };

describeRuntimeLifecycle('Postgres (Hyperdrive)', async () => {
  const h = await makePgStore();
  return { ...h, blobs: new R2BlobStore(e.RAW), upstream: e.UPSTREAM_OVERRIDE, control: e.FIXTURE_CONTROL_URL };
});
