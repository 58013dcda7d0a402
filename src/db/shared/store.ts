/**
 * The Store port over one SQL database, for D1Store and PgStore alike: each operation is the dialect's function of
 * the same name with the dialect's handle first (src/db/d1/*, src/db/pg/*). A store adds only how it connects and
 * checks readiness.
 */
import type { Store } from '../../core/ports';

type Ops = Omit<Store, 'checkReady'>;
/** The port's operations as a dialect's modules write them: the database handle first. */
export type OpsOn<Db> = { [K in keyof Ops]: (db: Db, ...args: Parameters<Ops[K]>) => ReturnType<Ops[K]> };

export abstract class SqlStore<Db> implements Store {
  constructor(
    protected readonly db: Db,
    private readonly on: OpsOn<Db>,
  ) {}

  abstract checkReady(): Promise<void>;

  insertJob: Store['insertJob'] = (j) => this.on.insertJob(this.db, j);
  getJob: Store['getJob'] = (id) => this.on.getJob(this.db, id);
  getJobs: Store['getJobs'] = (ids) => this.on.getJobs(this.db, ids);
  listJobs: Store['listJobs'] = (f) => this.on.listJobs(this.db, f);
  listAttempts: Store['listAttempts'] = (id) => this.on.listAttempts(this.db, id);
  listTransitions: Store['listTransitions'] = (id) => this.on.listTransitions(this.db, id);
  claimJob: Store['claimJob'] = (r) => this.on.claimJob(this.db, r);
  renewLease: Store['renewLease'] = (ref, now, until, progress) => this.on.renewLease(this.db, ref, now, until, progress);
  finishJob: Store['finishJob'] = (ref, o) => this.on.finishJob(this.db, ref, o);
  cancelJob: Store['cancelJob'] = (id, now, actor, reason) => this.on.cancelJob(this.db, id, now, actor, reason);
  retryJob: Store['retryJob'] = (id, now, actor, reason) => this.on.retryJob(this.db, id, now, actor, reason);
  findRecoverable: Store['findRecoverable'] = (now, overdue, resent, limit) =>
    this.on.findRecoverable(this.db, now, overdue, resent, limit);
  exhaustExpiredFinalAttempts: Store['exhaustExpiredFinalAttempts'] = (now, actor) =>
    this.on.exhaustExpiredFinalAttempts(this.db, now, actor);
  exhaustJob: Store['exhaustJob'] = (id, now, actor) => this.on.exhaustJob(this.db, id, now, actor);
  completeDecidedFinalAttempts: Store['completeDecidedFinalAttempts'] = (now, actor) =>
    this.on.completeDecidedFinalAttempts(this.db, now, actor);
  markEnqueued: Store['markEnqueued'] = (ids, now) => this.on.markEnqueued(this.db, ids, now);

  insertSnapshot: Store['insertSnapshot'] = (s) => this.on.insertSnapshot(this.db, s);
  insertSnapshots: Store['insertSnapshots'] = (rows, claim) => this.on.insertSnapshots(this.db, rows, claim);
  listSnapshots: Store['listSnapshots'] = (id) => this.on.listSnapshots(this.db, id);
  getSnapshotBySha: Store['getSnapshotBySha'] = (sha) => this.on.getSnapshotBySha(this.db, sha);
  firstPublishedWithContent: Store['firstPublishedWithContent'] = (p, sha, except) =>
    this.on.firstPublishedWithContent(this.db, p, sha, except);
  getNormalized: Store['getNormalized'] = (id) => this.on.getNormalized(this.db, id);
  latestFetchedNormalized: Store['latestFetchedNormalized'] = (p, s) => this.on.latestFetchedNormalized(this.db, p, s);
  recordDecision: Store['recordDecision'] = (u, pub, claim) => this.on.recordDecision(this.db, u, pub, claim);
  commitDecision: Store['commitDecision'] = (w) => this.on.commitDecision(this.db, w);
  latestPublication: Store['latestPublication'] = (p, s) => this.on.latestPublication(this.db, p, s);
  latestPublications: Store['latestPublications'] = (ps) => this.on.latestPublications(this.db, ps);
  carryReads: Store['carryReads'] = (r) => this.on.carryReads(this.db, r);
  getPublication: Store['getPublication'] = (id) => this.on.getPublication(this.db, id);
  listPublications: Store['listPublications'] = (p, s, before, limit) => this.on.listPublications(this.db, p, s, before, limit);

  upsertSchedule: Store['upsertSchedule'] = (s) => this.on.upsertSchedule(this.db, s);
  listSchedules: Store['listSchedules'] = () => this.on.listSchedules(this.db);
  dueSchedules: Store['dueSchedules'] = (now, limit) => this.on.dueSchedules(this.db, now, limit);
  advanceSchedule: Store['advanceSchedule'] = (id, slot, next, now) => this.on.advanceSchedule(this.db, id, slot, next, now);
  metrics: Store['metrics'] = () => this.on.metrics(this.db);
}
