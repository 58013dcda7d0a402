/**
 * Retry delay for attempt n (1-based, the attempt that just failed): base * 2^(n-1), capped, with "equal jitter"
 * (half fixed, half random) so a burst of failures does not retry in lockstep. A provider's Retry-After wins when
 * it asks for longer, even past the cap: hammering a provider that said "later" is how adapters get banned.
 */
export interface BackoffPolicy {
  baseSec: number;
  maxSec: number;
}

export function retryDelaySec(policy: BackoffPolicy, attempt: number, retryAfterSec?: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxSec, policy.baseSec * 2 ** Math.max(0, attempt - 1));
  const jittered = exp / 2 + (exp / 2) * random();
  const delay = Math.max(1, Math.round(jittered));
  return retryAfterSec !== undefined && retryAfterSec > delay ? Math.ceil(retryAfterSec) : delay;
}
