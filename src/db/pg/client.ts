/**
 * The postgres.js client and drizzle handle the Postgres store runs on. Inside a Worker, build one client per
 * invocation from the Hyperdrive binding (`env.HYPERDRIVE.connectionString`): Hyperdrive pools the real
 * connections, and a socket opened in one request cannot be used by another.
 */
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

export type Sql = postgres.Sql;
export type Db = PostgresJsDatabase<Record<string, never>> & { $client: Sql };
/** A transaction handle: the same query builder as Db, pinned to one connection. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Conn = Db | Tx;

export interface PgClientOptions {
  /** Connections this client may open. Workers allow 6 concurrent outbound connections per invocation. */
  max?: number;
  /** search_path for every connection (tests use one schema per store; production uses `public`). */
  schema?: string;
  /** Close idle connections after this many seconds (postgres.js `idle_timeout`). */
  idleTimeoutSec?: number;
}

/** int8 (bigint) columns hold epoch milliseconds and counts: well inside Number's safe range. */
const int8AsNumber: postgres.PostgresType<number> = {
  to: 20,
  from: [20],
  serialize: (v: number) => String(v),
  parse: (raw: string) => Number(raw),
};

export function createPgClient(connectionString: string, opts: PgClientOptions = {}): Sql {
  return postgres(connectionString, {
    max: opts.max ?? 5,
    // No array or custom types in this schema: skip the type-discovery round trip on every new connection.
    fetch_types: false,
    // Named prepared statements: Hyperdrive supports (and caches by) them.
    prepare: true,
    idle_timeout: opts.idleTimeoutSec,
    types: { int8: int8AsNumber },
    connection: opts.schema
      ? { search_path: opts.schema, application_name: 'ingestion-adapter' }
      : { application_name: 'ingestion-adapter' },
    onnotice: () => {},
  }) as unknown as Sql;
}

export function createDb(client: Sql): Db {
  return drizzle(client) as Db;
}

/** SQLSTATE of a Postgres error, looking through drizzle's DrizzleQueryError wrapper. */
export function pgErrorCode(err: unknown): { code?: string; constraint?: string } {
  for (let e: unknown = err, i = 0; e && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, constraint: (e as { constraint_name?: string }).constraint_name };
    }
  }
  return {};
}
