/**
 * Postgres stores for tests, through the project's Hyperdrive binding (vitest.config.ts, `postgres` project):
 * every store gets a fresh schema (search_path), migrated with the embedded migrations, dropped afterwards.
 * Schema names carry their creation time so a crashed run's leftovers are swept by a later run, while a
 * concurrent run's schemas are left alone.
 */
import { env } from 'cloudflare:workers';
import { createPgClient, type Sql } from '../../src/db/pg/client';
import { applyPgMigrations, type PgMigration } from '../../src/db/pg/migrate';
import { PgStore } from '../../src/db/pg/store';
import type { StoreHarness } from '../store-contract';

export const pgEnv = env as unknown as { HYPERDRIVE: Hyperdrive; PG_MIGRATIONS_ON_DISK: PgMigration[] };

const PREFIX = 'jobstore_test_';
const STALE_SEC = 3600;

export function freshSchemaName(): string {
  return `${PREFIX}${Math.floor(Date.now() / 1000)}_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** Drops schemas this suite left behind more than an hour ago. */
export async function sweepStaleSchemas(sql: Sql): Promise<void> {
  const rows = await sql<Array<{ name: string }>>`
    SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE ${`${PREFIX}%`}`;
  const cutoff = Math.floor(Date.now() / 1000) - STALE_SEC;
  for (const { name } of rows) {
    const born = Number(name.slice(PREFIX.length).split('_')[0]);
    if (Number.isFinite(born) && born < cutoff) await sql.unsafe(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  }
}

export interface PgHarness extends StoreHarness {
  store: PgStore;
  schema: string;
}

/** A migrated PgStore in its own schema; `cleanup` drops the schema and closes the client. */
export async function makePgStore(opts: { migrate?: boolean; max?: number } = {}): Promise<PgHarness> {
  const schema = freshSchemaName();
  const store = PgStore.connect(pgEnv.HYPERDRIVE.connectionString, { schema, max: opts.max ?? 5 });
  await store.sql.unsafe(`CREATE SCHEMA "${schema}"`);
  if (opts.migrate !== false) await applyPgMigrations(store.sql, undefined, { migrationsSchema: schema });
  return {
    store,
    schema,
    cleanup: async () => {
      try {
        await store.sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await store.close();
      }
    },
  };
}

/** A second client on the same schema (another "isolate"), for lock and concurrency tests. */
export function otherClient(schema: string): Sql {
  return createPgClient(pgEnv.HYPERDRIVE.connectionString, { schema, max: 1 });
}
