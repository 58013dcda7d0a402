/**
 * The PostgreSQL implementation of the Store port (through Hyperdrive in a Worker): the shared facade
 * (src/db/shared/store.ts) over Postgres's modules, as D1Store over D1's. Build one per invocation:
 *
 *   const store = PgStore.connect(env.HYPERDRIVE.connectionString);
 *   ...
 *   ctx.waitUntil(store.close());
 */
import { createDb, createPgClient, type Db, type PgClientOptions, type Sql } from './client';
import * as admin from './job-admin';
import * as jobs from './jobs';
import { pgImportStore } from './imports';
import type { ImportStore } from '../../core/imports';
import * as results from './results';
import * as batchReads from './batch-reads';
import * as schedules from './schedules';
import { REQUIRED_TABLES } from '../tables';
import * as carryReads from '../shared/carry-reads';
import * as jobReads from '../shared/jobs';
import { onDb } from '../shared/on-db';
import * as resultReads from '../shared/results';
import { SqlStore, type OpsOn } from '../shared/store';
import { pgDialect } from './dialect';

// The reads both dialects share, then each module's own writes.
const sharedReads = { ...jobReads, ...resultReads, ...carryReads };
const ops: OpsOn<Db> = { ...onDb(pgDialect, sharedReads), ...jobs, ...admin, ...results, ...batchReads, ...schedules };

export class PgStore extends SqlStore<Db> {
  constructor(readonly sql: Sql) {
    super(createDb(sql), ops);
    this.imports = pgImportStore(this.db);
  }

  /** The snapshot import ledger on the same database. */
  readonly imports: ImportStore;

  /** A store on its own postgres.js client (at most `max` connections, 5 by default). */
  static connect(connectionString: string, opts: PgClientOptions = {}): PgStore {
    return new PgStore(createPgClient(connectionString, opts));
  }

  /** Closes the client's connections (waits up to `timeoutSec` for queries in flight). */
  close(timeoutSec = 5): Promise<void> {
    return this.sql.end({ timeout: timeoutSec });
  }

  async checkReady(): Promise<void> {
    const rows = await this.sql<Array<{ name: string }>>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`;
    const present = new Set(rows.map((r) => r.name));
    const missing = REQUIRED_TABLES.filter((t) => !present.has(t));
    if (missing.length) throw new Error(`database not migrated: missing tables ${missing.join(', ')}`);
  }
}
