/**
 * Operator and sweeper actions on jobs (cancel, retry, recovery scans), one definition over both dialects. What
 * differs is how one transition rule is executed atomically (D1: one conditional batch; Postgres: a row lock in a
 * transaction), so each dialect brings its `move`; everything that decides which job moves where lives here.
 */
import { and, asc, eq, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { EXHAUSTED_JOB_ERROR, RULES, type TransitionRule } from '../../core/job-transitions';
import { AdapterError } from '../../core/errors';
import type { Job } from '../../core/types';
import { guardWhere } from '../guard-sql';
import type { Schema } from './dialect';
import type { QueryDb } from './query';
import { toJob } from './rows';

/** What a move sets besides the state, the marker token and the lease; a boolean as a boolean (the dialect stores it). */
export interface MoveSet {
  finishedAt?: number | null;
  maxAttempts?: SQL;
  nextRetryAt?: number;
  lastEnqueuedAt?: number;
  lastErrorCategory?: string | null;
  lastErrorCode?: string | null;
  lastErrorMessage?: string | null;
  lastErrorRetryable?: boolean | null;
}

/** Executes one transition rule (src/core/job-transitions.ts) with its transition row, guarded at write time. */
export type Move = (
  jobId: string,
  rule: TransitionRule,
  set: MoveSet,
  now: number,
  actor: string,
  reason: string,
  closeMessage?: string,
) => Promise<Job | null>;

export interface JobAdminDialect {
  db: QueryDb;
  jobs: Schema['ingestionJobs'];
  move: Move;
  /** The write broke a unique index (here: the one active job per pipeline and scope). */
  isUniqueViolation(err: unknown): boolean;
}

export function jobAdmin({ db, jobs, move, isUniqueViolation }: JobAdminDialect) {
  const guarded = async (rule: TransitionRule, now: number) =>
    db
      .select({ id: jobs.id })
      .from(jobs)
      .where(guardWhere(jobs, rule.guard, now))
      .limit(100);

  const exhaustJob = async (jobId: string, now: number, actor: string): Promise<boolean> => {
    const set = {
      finishedAt: now,
      lastErrorCategory: EXHAUSTED_JOB_ERROR.category,
      lastErrorCode: EXHAUSTED_JOB_ERROR.code,
      lastErrorMessage: EXHAUSTED_JOB_ERROR.message,
      lastErrorRetryable: true,
    };
    return (await move(jobId, RULES.exhaust, set, now, actor, RULES.exhaust.reason)) !== null;
  };

  return {
    // An attempt still open under a cancelled job is closed so no attempt stays `running` forever.
    cancelJob: (jobId: string, now: number, actor: string, reason: string): Promise<Job | null> =>
      move(jobId, RULES.cancel, { finishedAt: now }, now, actor, reason, reason),

    async retryJob(jobId: string, now: number, actor: string, reason: string): Promise<Job | null> {
      // A fresh attempt budget of the same size on top of the attempts already spent.
      const set = { maxAttempts: sql`${jobs.attemptCount} + ${jobs.maxAttempts}`, nextRetryAt: now, lastEnqueuedAt: now, finishedAt: null };
      try {
        return await move(jobId, RULES.retry, set, now, actor, reason);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        throw new AdapterError('ACTIVE_JOB_EXISTS', 'validation', 'another job for this pipeline and scope is already pending or running');
      }
    },

    /**
     * Jobs that should be moving but may have lost their queue message: pending and due before `overdueBefore`, or
     * running with an expired lease; in both cases not re-sent since `resentBefore`.
     */
    async findRecoverable(now: number, overdueBefore: number, resentBefore: number, limit: number): Promise<Job[]> {
      const due = and(eq(jobs.state, 'pending'), lte(jobs.nextRetryAt, overdueBefore));
      const stale = and(eq(jobs.state, 'running'), lt(jobs.leaseUntil, now));
      const rows = await db
        .select()
        .from(jobs)
        .where(and(or(isNull(jobs.lastEnqueuedAt), lte(jobs.lastEnqueuedAt, resentBefore)), or(due, stale)))
        .orderBy(asc(jobs.nextRetryAt))
        .limit(limit);
      return rows.map(toJob);
    },

    /** A job whose final attempt died with its lease can never be claimed again: it ends `exhausted`. */
    async exhaustExpiredFinalAttempts(now: number, actor: string): Promise<string[]> {
      const done: string[] = [];
      for (const { id } of await guarded(RULES.exhaust, now)) if (await exhaustJob(id, now, actor)) done.push(id);
      return done;
    },

    /** Ends one job `exhausted` if (at write time) its final attempt's lease is still expired; the attempt closes with it. */
    exhaustJob,

    /**
     * A job whose final attempt died after its decision was saved (between the publication and the finish) did its
     * work: it ends `succeeded` (RULES.complete), its dead attempt closed as lease-expired.
     */
    async completeDecidedFinalAttempts(now: number, actor: string): Promise<string[]> {
      const set = { finishedAt: now, lastErrorCategory: null, lastErrorCode: null, lastErrorMessage: null, lastErrorRetryable: null };
      const done: string[] = [];
      for (const { id } of await guarded(RULES.complete, now))
        if (await move(id, RULES.complete, set, now, actor, RULES.complete.reason)) done.push(id);
      return done;
    },

    // The one write made here rather than by the dialect's move: a re-send marker, no transition.
    async markEnqueued(jobIds: string[], now: number): Promise<void> {
      if (jobIds.length === 0) return;
      await db.update(jobs).set({ lastEnqueuedAt: now }).where(inArray(jobs.id, jobIds));
    },
  };
}

export type JobAdmin = ReturnType<typeof jobAdmin>;

/** The actions as the stores call them, each with the dialect's own handle first (src/db/*\/store.ts). */
export function jobAdminOn<D>(dialectOf: (db: D) => JobAdminDialect) {
  const on = (db: D) => jobAdmin(dialectOf(db));
  type A = JobAdmin;
  return {
    cancelJob: (db: D, ...a: Parameters<A['cancelJob']>) => on(db).cancelJob(...a),
    retryJob: (db: D, ...a: Parameters<A['retryJob']>) => on(db).retryJob(...a),
    findRecoverable: (db: D, ...a: Parameters<A['findRecoverable']>) => on(db).findRecoverable(...a),
    exhaustExpiredFinalAttempts: (db: D, ...a: Parameters<A['exhaustExpiredFinalAttempts']>) => on(db).exhaustExpiredFinalAttempts(...a),
    exhaustJob: (db: D, ...a: Parameters<A['exhaustJob']>) => on(db).exhaustJob(...a),
    completeDecidedFinalAttempts: (db: D, ...a: Parameters<A['completeDecidedFinalAttempts']>) => on(db).completeDecidedFinalAttempts(...a),
    markEnqueued: (db: D, ...a: Parameters<A['markEnqueued']>) => on(db).markEnqueued(...a),
  };
}
