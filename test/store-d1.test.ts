/** The Store contract against D1 (the production store), on the test pool's local D1. */
import { applyD1Migrations, reset, type D1Migration } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { d1ConsoleReads } from '../src/db/d1/console-reads';
import { D1Store } from '../src/db/d1/store';
import { describeStoreContract } from './store-contract';
import { describeConsoleReads } from './store-contract/console-reads';

const makeStore = async () => {
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS as D1Migration[]);
  return { store: new D1Store(env.DB), cleanup: () => reset() };
};
describeStoreContract('D1', makeStore);
describeConsoleReads(makeStore, () => d1ConsoleReads(env.DB));
