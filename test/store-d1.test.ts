/** The JobStore contract against D1 (the production store), on the test pool's local D1. */
import { applyD1Migrations, reset, type D1Migration } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { D1JobStore } from '../src/db/d1/store';
import { describeJobStoreContract } from './store-contract';

describeJobStoreContract('D1', async () => {
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS as D1Migration[]);
  return { store: new D1JobStore(env.DB), cleanup: () => reset() };
});
