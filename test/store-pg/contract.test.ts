/** The Store contract against PgStore, through Hyperdrive to the local PostgreSQL. */
import { beforeAll } from 'vitest';
import { createPgClient } from '../../src/db/pg/client';
import { describeStoreContract } from '../store-contract';
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
