/**
 * One instance per provider: a token bucket shared by every isolate, so politeness holds across the fleet.
 * Callers reserve slots and sleep for the returned times themselves; the object never blocks on a timer.
 */
import { DurableObject } from 'cloudflare:workers';
import { MAX_RESERVE_PER_CALL, reserve, type BucketState } from '../core/token-bucket';

export class ProviderRateLimiter extends DurableObject<Env> {
  private bucket: BucketState | null = null;

  reserve(ratePerSec: number, burst: number): number {
    return this.reserveMany(ratePerSec, burst, 1)[0]!;
  }

  /**
   * `count` consecutive slots, as `count` calls to `reserve` at this instant would give them: the waits, in order.
   * One round trip for every request an isolate has waiting; none is held for later, so the bound is the bucket's.
   */
  reserveMany(ratePerSec: number, burst: number, count: number): number[] {
    if (!(ratePerSec > 0) || !(burst >= 1)) throw new Error('rate and burst must be positive');
    if (!Number.isInteger(count) || count < 1 || count > MAX_RESERVE_PER_CALL)
      throw new Error(`count must be an integer from 1 to ${MAX_RESERVE_PER_CALL}`);
    const now = Date.now();
    const waits: number[] = [];
    for (let i = 0; i < count; i++) {
      const r = reserve(this.bucket, now, ratePerSec, burst);
      this.bucket = r.state;
      waits.push(r.waitMs);
    }
    return waits;
  }
}
