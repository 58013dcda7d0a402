/**
 * The job state machine, defined once. Each transition is a guard (which rows it may move) and its effects (what
 * the job and its open attempt become). Both stores execute these rules: D1 as conditional statements in one
 * batch, Postgres under a row lock in one transaction (src/db/guard-sql.ts turns a guard into the WHERE clause).
 * Keeping the rules as data is what stops the two stores from drifting apart again: a guard a store skips is a
 * guard the contract suite (test/store-contract/) catches.
 */
import type { JobState } from './types';

export type TransitionName = 'claim' | 'finish' | 'retry' | 'exhaust' | 'complete' | 'cancel' | 'continue';

/** One way a row can qualify: its state, plus (optionally) being due or having an expired lease. */
export interface GuardCase {
  state: JobState;
  /** pending rows only when next_retry_at <= now */
  due?: true;
  /** running rows only when lease_until < now */
  leaseExpired?: true;
}

export interface Guard {
  anyOf: GuardCase[];
  /** 'left': attempt_count < max_attempts; 'spent': attempt_count >= max_attempts. */
  budget?: 'left' | 'spent';
  /** The caller's claim token must still be the row's. */
  claimHeld?: true;
  /** 'saved': the job's publication decision is stored (normalized_results); 'none': it is not. */
  decision?: 'saved' | 'none';
}

/** What the job's still-open attempt becomes when a transition closes it. */
export interface AttemptClose {
  state: 'failed';
  errorCategory: string;
  errorCode: string;
  errorMessage: string;
  retryable: boolean;
}

export interface TransitionRule {
  guard: Guard;
  to: JobState | 'from-outcome';
  close: AttemptClose | null;
  reason: string;
}

export const RULES: Record<TransitionName, TransitionRule> = {
  claim: {
    guard: {
      anyOf: [
        { state: 'pending', due: true },
        { state: 'running', leaseExpired: true },
      ],
      budget: 'left',
    },
    to: 'running',
    close: {
      state: 'failed',
      errorCategory: 'lease',
      errorCode: 'LEASE_EXPIRED',
      errorMessage: 'lease expired before the attempt finished (consumer crashed or stalled)',
      retryable: true,
    },
    reason: 'claimed',
  },
  finish: { guard: { anyOf: [{ state: 'running' }], claimHeld: true }, to: 'from-outcome', close: null, reason: 'finished' },
  continue: {
    guard: { anyOf: [{ state: 'running' }], claimHeld: true },
    to: 'pending',
    close: null,
    reason: 'continued after the attempt time budget',
  },
  retry: { guard: { anyOf: [{ state: 'failed' }, { state: 'exhausted' }] }, to: 'pending', close: null, reason: 'retried' },
  cancel: {
    guard: { anyOf: [{ state: 'pending' }, { state: 'running' }] },
    to: 'cancelled',
    close: { state: 'failed', errorCategory: 'internal', errorCode: 'CANCELLED', errorMessage: 'cancelled', retryable: false },
    reason: 'cancelled',
  },
  exhaust: {
    // Re-checked at write time, not only when the sweeper read the row: a lease renewed since then wins.
    guard: { anyOf: [{ state: 'running', leaseExpired: true }], budget: 'spent', decision: 'none' },
    to: 'exhausted',
    close: {
      state: 'failed',
      errorCategory: 'lease',
      errorCode: 'LEASE_EXPIRED',
      errorMessage: 'lease expired before the attempt finished',
      retryable: true,
    },
    reason: 'final attempt lease expired',
  },
  complete: {
    // The final attempt died after its decision (and publication) was saved, before the job's finish: the work
    // is done and published, so the job succeeded. Exhausting it would report a failure that downstream never saw.
    guard: { anyOf: [{ state: 'running', leaseExpired: true }], budget: 'spent', decision: 'saved' },
    to: 'succeeded',
    close: {
      state: 'failed',
      errorCategory: 'lease',
      errorCode: 'LEASE_EXPIRED',
      errorMessage: 'lease expired after the decision was saved; the job was completed by the sweeper',
      retryable: true,
    },
    reason: 'final attempt died after its decision was saved',
  },
};

/** What an exhausted job says about itself (its own last_error; the attempt's close is in RULES.exhaust), for both stores. */
export const EXHAUSTED_JOB_ERROR = {
  category: 'lease',
  code: 'LEASE_EXPIRED',
  message: 'the final attempt lost its lease (consumer crashed or stalled)',
} as const;

export interface JobFacts {
  state: JobState;
  attemptCount: number;
  maxAttempts: number;
  leaseUntil: number | null;
  nextRetryAt: number | null;
  claimToken?: string | null;
  /** Whether the job's publication decision is stored. */
  decisionSaved?: boolean;
}

/** The guard evaluated in memory: what the SQL of both stores must agree with (unit-tested against it). */
export function allows(guard: Guard, job: JobFacts, now: number, claimToken?: string): boolean {
  const caseOk = guard.anyOf.some(
    (c) =>
      c.state === job.state && (!c.due || (job.nextRetryAt ?? Infinity) <= now) && (!c.leaseExpired || (job.leaseUntil ?? Infinity) < now),
  );
  if (!caseOk) return false;
  if (guard.budget === 'left' && !(job.attemptCount < job.maxAttempts)) return false;
  if (guard.budget === 'spent' && !(job.attemptCount >= job.maxAttempts)) return false;
  if (guard.claimHeld && job.claimToken !== claimToken) return false;
  if (guard.decision === 'saved' && !job.decisionSaved) return false;
  if (guard.decision === 'none' && job.decisionSaved) return false;
  return true;
}

/** The effects of ending an attempt (finish or continue) on the job's counters and the attempt's row. */
export interface FinishEffects {
  attemptState: 'succeeded' | 'failed' | 'continued';
  /** A retry counts toward retry_count; a continuation does not. */
  retryCountDelta: 0 | 1;
  /** A continuation gives back the attempt it used: it is not a failure and must not eat the budget. */
  maxAttemptsDelta: 0 | 1;
  terminal: boolean;
}

export function finishEffects(state: JobState, continuation: boolean): FinishEffects {
  if (continuation) {
    if (state !== 'pending') throw new Error(`a continuation goes back to pending, not ${state}`);
    return { attemptState: 'continued', retryCountDelta: 0, maxAttemptsDelta: 1, terminal: false };
  }
  return {
    attemptState: state === 'succeeded' ? 'succeeded' : 'failed',
    retryCountDelta: state === 'pending' ? 1 : 0,
    maxAttemptsDelta: 0,
    terminal: state !== 'pending',
  };
}
