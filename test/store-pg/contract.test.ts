/** The Store contract against PgStore, through Hyperdrive to the local PostgreSQL. */
import { beforeAll } from 'vitest';
import { createPgClient } from '../../src/db/pg/client';
import { pgConsoleReads } from '../../src/db/pg/console-reads';
import type { PgStore } from '../../src/db/pg/store';
import { describeStoreContract } from '../store-contract';
import { describeConsoleReads } from '../store-contract/console-reads';
import { makePgStore, pgEnv, sweepStaleSchemas } from './harness';

beforeAll(async () => {
  const sql = createPgClient(pgEnv.HYPERDRIVE.connectionString, { max: 1 });
  try {
    await sweepStaleSchemas(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
});

describeStoreContract('Postgres (Hyperdrive)', () => makePgStore());
describeConsoleReads(
  () => makePgStore(),
  (store) => pgConsoleReads((store as PgStore).sql),
);
