/**
 * The PostgreSQL implementation of the JobStore port (through Hyperdrive in a Worker): a thin facade over one
 * module per SQL concern, like src/db/d1. Build one per invocation:
 *
 *   const store = PgJobStore.connect(env.HYPERDRIVE.connectionString);
 *   ...
 *   ctx.waitUntil(store.close());
 */
import type { JobStore } from '../../core/ports';
import { createDb, createPgClient, type Db, type PgClientOptions, type Sql } from './client';
import * as admin from './job-admin';
import * as jobs from './jobs';
import { pgImportStore } from './imports';
import type { ImportStore } from '../../core/imports';
import * as results from './results';
import * as batchReads from './batch-reads';
import * as schedules from './schedules';
import { REQUIRED_TABLES } from '../tables';

export class PgJobStore implements JobStore {
  private readonly db: Db;

  constructor(readonly sql: Sql) {
    this.db = createDb(sql);
    this.imports = pgImportStore(this.db);
  }

  /** The snapshot import ledger on the same database. */
  readonly imports: ImportStore;

  /** A store on its own postgres.js client (at most `max` connections, 5 by default). */
  static connect(connectionString: string, opts: PgClientOptions = {}): PgJobStore {
    return new PgJobStore(createPgClient(connectionString, opts));
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

  insertJob: JobStore['insertJob'] = (j) => jobs.insertJob(this.db, j);
  getJob: JobStore['getJob'] = (id) => jobs.getJob(this.db, id);
  getJobs: JobStore['getJobs'] = (ids) => batchReads.getJobs(this.db, ids);
  listJobs: JobStore['listJobs'] = (f) => jobs.listJobs(this.db, f);
  listAttempts: JobStore['listAttempts'] = (id) => jobs.listAttempts(this.db, id);
  listTransitions: JobStore['listTransitions'] = (id) => jobs.listTransitions(this.db, id);
  claimJob: JobStore['claimJob'] = (r) => jobs.claimJob(this.db, r);
  renewLease: JobStore['renewLease'] = (ref, now, until, progress) => jobs.renewLease(this.db, ref, now, until, progress);
  finishJob: JobStore['finishJob'] = (ref, o) => jobs.finishJob(this.db, ref, o);
  cancelJob: JobStore['cancelJob'] = (id, now, actor, reason) => admin.cancelJob(this.db, id, now, actor, reason);
  retryJob: JobStore['retryJob'] = (id, now, actor, reason) => admin.retryJob(this.db, id, now, actor, reason);
  findRecoverable: JobStore['findRecoverable'] = (now, overdue, resent, limit) =>
    admin.findRecoverable(this.db, now, overdue, resent, limit);
  exhaustExpiredFinalAttempts: JobStore['exhaustExpiredFinalAttempts'] = (now, actor) =>
    admin.exhaustExpiredFinalAttempts(this.db, now, actor);
  exhaustJob: JobStore['exhaustJob'] = (id, now, actor) => admin.exhaustJob(this.db, id, now, actor);
  completeDecidedFinalAttempts: JobStore['completeDecidedFinalAttempts'] = (now, actor) =>
    admin.completeDecidedFinalAttempts(this.db, now, actor);
  markEnqueued: JobStore['markEnqueued'] = (ids, now) => admin.markEnqueued(this.db, ids, now);

  insertSnapshot: JobStore['insertSnapshot'] = (s) => results.insertSnapshot(this.db, s);
  listSnapshots: JobStore['listSnapshots'] = (id) => results.listSnapshots(this.db, id);
  getSnapshotBySha: JobStore['getSnapshotBySha'] = (sha) => results.getSnapshotBySha(this.db, sha);
  firstPublishedWithContent: JobStore['firstPublishedWithContent'] = (p, sha, except) =>
    results.firstPublishedWithContent(this.db, p, sha, except);
  getNormalized: JobStore['getNormalized'] = (id) => results.getNormalized(this.db, id);
  latestFetchedNormalized: JobStore['latestFetchedNormalized'] = (p, s) => results.latestFetchedNormalized(this.db, p, s);
  recordDecision: JobStore['recordDecision'] = (u, pub, claim) => results.recordDecision(this.db, u, pub, claim);
  commitDecision: JobStore['commitDecision'] = (w) => results.commitDecision(this.db, w);
  latestPublication: JobStore['latestPublication'] = (p, s) => results.latestPublication(this.db, p, s);
  latestPublications: JobStore['latestPublications'] = (ps) => batchReads.latestPublications(this.db, ps);
  latestPublishedUnder: JobStore['latestPublishedUnder'] = (p, prefix) => results.latestPublishedUnder(this.db, p, prefix);
  getPublication: JobStore['getPublication'] = (id) => results.getPublication(this.db, id);
  listPublications: JobStore['listPublications'] = (p, s, before, limit) => results.listPublications(this.db, p, s, before, limit);

  upsertSchedule: JobStore['upsertSchedule'] = (s) => schedules.upsertSchedule(this.db, s);
  listSchedules: JobStore['listSchedules'] = () => schedules.listSchedules(this.db);
  dueSchedules: JobStore['dueSchedules'] = (now, limit) => schedules.dueSchedules(this.db, now, limit);
  advanceSchedule: JobStore['advanceSchedule'] = (id, slot, next, now) => schedules.advanceSchedule(this.db, id, slot, next, now);
  metrics: JobStore['metrics'] = () => schedules.metrics(this.db);
}
