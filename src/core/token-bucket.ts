/**
 * Token bucket by reservation: a caller takes a token now or reserves the next one and is told how long to wait.
 * The bucket may go negative (a queue of reservations), so the rate holds however many isolates ask at once.
 */
/** Slots one limiter call may reserve (the requests waiting in one isolate; a batch of ten jobs needs ten). */
export const MAX_RESERVE_PER_CALL = 100;

export interface BucketState {
  tokens: number;
  updatedAt: number;
}

export function reserve(state: BucketState | null, now: number, ratePerSec: number, burst: number): { state: BucketState; waitMs: number } {
  const s = state ?? { tokens: burst, updatedAt: now };
  const refilled = Math.min(burst, s.tokens + ((now - s.updatedAt) / 1000) * ratePerSec);
  const tokens = refilled - 1;
  const waitMs = tokens >= 0 ? 0 : Math.ceil((-tokens / ratePerSec) * 1000);
  return { state: { tokens, updatedAt: now }, waitMs };
}
