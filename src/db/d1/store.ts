/** The D1 implementation of the Store port: the shared facade (src/db/shared/store.ts) over D1's modules. */
import { drizzle } from 'drizzle-orm/d1';
import type { Db } from './batch';
import * as admin from './job-admin';
import * as jobs from './jobs';
import { d1ImportStore } from './imports';
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
import { d1Dialect } from './dialect';

// The reads both dialects share, then each module's own writes.
const sharedReads = { ...jobReads, ...resultReads, ...carryReads };
const ops: OpsOn<Db> = { ...onDb(d1Dialect, sharedReads), ...jobs, ...admin, ...results, ...batchReads, ...schedules };

export class D1Store extends SqlStore<Db> {
  constructor(private readonly d1: D1Database) {
    super(drizzle(d1) as Db, ops);
    this.imports = d1ImportStore(this.db);
  }

  /** The snapshot import ledger on the same database. */
  readonly imports: ImportStore;

  async checkReady(): Promise<void> {
    const { results: rows } = await this.d1.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all<{ name: string }>();
    const present = new Set(rows.map((r) => r.name));
    const missing = REQUIRED_TABLES.filter((t) => !present.has(t));
    if (missing.length) throw new Error(`database not migrated: missing tables ${missing.join(', ')}`);
  }
}
