/** The D1 implementation of the Store port: a thin facade over one module per SQL concern. */
import { drizzle } from 'drizzle-orm/d1';
import type { Db } from './batch';
import type { Store } from '../../core/ports';
import * as admin from './job-admin';
import * as jobs from './jobs';
import { d1ImportStore } from './imports';
import type { ImportStore } from '../../core/imports';
import * as results from './results';
import * as batchReads from './batch-reads';
import * as schedules from './schedules';
import { REQUIRED_TABLES } from '../tables';

export class D1Store implements Store {
  private readonly db: Db;

  constructor(private readonly d1: D1Database) {
    this.db = drizzle(d1) as Db;
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

  insertJob: Store['insertJob'] = (j) => jobs.insertJob(this.db, j);
  getJob: Store['getJob'] = (id) => jobs.getJob(this.db, id);
  getJobs: Store['getJobs'] = (ids) => batchReads.getJobs(this.db, ids);
  listJobs: Store['listJobs'] = (f) => jobs.listJobs(this.db, f);
  listAttempts: Store['listAttempts'] = (id) => jobs.listAttempts(this.db, id);
  listTransitions: Store['listTransitions'] = (id) => jobs.listTransitions(this.db, id);
  claimJob: Store['claimJob'] = (r) => jobs.claimJob(this.db, r);
  renewLease: Store['renewLease'] = (ref, now, until, progress) => jobs.renewLease(this.db, ref, now, until, progress);
  finishJob: Store['finishJob'] = (ref, o) => jobs.finishJob(this.db, ref, o);
  cancelJob: Store['cancelJob'] = (id, now, actor, reason) => admin.cancelJob(this.db, id, now, actor, reason);
  retryJob: Store['retryJob'] = (id, now, actor, reason) => admin.retryJob(this.db, id, now, actor, reason);
  findRecoverable: Store['findRecoverable'] = (now, overdue, resent, limit) => admin.findRecoverable(this.db, now, overdue, resent, limit);
  exhaustExpiredFinalAttempts: Store['exhaustExpiredFinalAttempts'] = (now, actor) =>
    admin.exhaustExpiredFinalAttempts(this.db, now, actor);
  exhaustJob: Store['exhaustJob'] = (id, now, actor) => admin.exhaustJob(this.db, id, now, actor);
  completeDecidedFinalAttempts: Store['completeDecidedFinalAttempts'] = (now, actor) =>
    admin.completeDecidedFinalAttempts(this.db, now, actor);
  markEnqueued: Store['markEnqueued'] = (ids, now) => admin.markEnqueued(this.db, ids, now);

  insertSnapshot: Store['insertSnapshot'] = (s) => results.insertSnapshot(this.db, s);
  insertSnapshots: Store['insertSnapshots'] = (rows, claim) => results.insertSnapshots(this.db, rows, claim);
  listSnapshots: Store['listSnapshots'] = (id) => results.listSnapshots(this.db, id);
  getSnapshotBySha: Store['getSnapshotBySha'] = (sha) => results.getSnapshotBySha(this.db, sha);
  firstPublishedWithContent: Store['firstPublishedWithContent'] = (p, sha, except) =>
    results.firstPublishedWithContent(this.db, p, sha, except);
  getNormalized: Store['getNormalized'] = (id) => results.getNormalized(this.db, id);
  latestFetchedNormalized: Store['latestFetchedNormalized'] = (p, s) => results.latestFetchedNormalized(this.db, p, s);
  recordDecision: Store['recordDecision'] = (u, pub, claim) => results.recordDecision(this.db, u, pub, claim);
  commitDecision: Store['commitDecision'] = (w) => results.commitDecision(this.db, w);
  latestPublication: Store['latestPublication'] = (p, s) => results.latestPublication(this.db, p, s);
  latestPublications: Store['latestPublications'] = (ps) => batchReads.latestPublications(this.db, ps);
  latestPublishedUnder: Store['latestPublishedUnder'] = (p, prefix) => results.latestPublishedUnder(this.db, p, prefix);
  getPublication: Store['getPublication'] = (id) => results.getPublication(this.db, id);
  listPublications: Store['listPublications'] = (p, s, before, limit) => results.listPublications(this.db, p, s, before, limit);

  upsertSchedule: Store['upsertSchedule'] = (s) => schedules.upsertSchedule(this.db, s);
  listSchedules: Store['listSchedules'] = () => schedules.listSchedules(this.db);
  dueSchedules: Store['dueSchedules'] = (now, limit) => schedules.dueSchedules(this.db, now, limit);
  advanceSchedule: Store['advanceSchedule'] = (id, slot, next, now) => schedules.advanceSchedule(this.db, id, slot, next, now);
  metrics: Store['metrics'] = () => schedules.metrics(this.db);
}
