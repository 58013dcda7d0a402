/**
 * Continuations: an attempt that used up its time budget stops before its next provider request and hands the
 * job to a fresh attempt. Not an error: the job goes back to pending without spending its attempt budget, and the
 * next attempt reuses every resource already fetched (src/runtime/fetch-resources.ts), so it picks up where this
 * one stopped. A job that keeps continuing without fetching anything new is stopped with a classified error.
 */
import { NonRetryableError } from '../core/errors';

export class ContinuationSignal {
  constructor(
    readonly done: number,
    readonly total: number,
  ) {}
}

export interface ContinuationState {
  done: number;
  total: number;
  continuations: number;
  stalled: number;
}

/** The checkpoint this continuation writes (in the job's result), or a NO_PROGRESS error after too many stalls. */
export function nextContinuation(previous: unknown, signal: ContinuationSignal, maxStalled: number): ContinuationState {
  const prev = (previous as { continuation?: ContinuationState } | null)?.continuation;
  const stalled = prev && signal.done <= prev.done ? prev.stalled + 1 : 0;
  if (stalled >= maxStalled) {
    throw new NonRetryableError(
      'CONTINUATION_NO_PROGRESS',
      'internal',
      `no resource fetched in ${stalled} continuations in a row (${signal.done}/${signal.total})`,
    );
  }
  return { done: signal.done, total: signal.total, continuations: (prev?.continuations ?? 0) + 1, stalled };
}
