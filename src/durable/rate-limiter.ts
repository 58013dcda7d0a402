/**
 * One instance per provider: a token bucket shared by every isolate, so politeness holds across the fleet.
 * Callers reserve a slot and sleep for the returned time themselves; the object never blocks on a timer.
 */
import { DurableObject } from 'cloudflare:workers';
import { reserve, type BucketState } from '../core/token-bucket';

export class ProviderRateLimiter extends DurableObject<Env> {
  private bucket: BucketState | null = null;

  reserve(ratePerSec: number, burst: number): number {
    if (!(ratePerSec > 0) || !(burst >= 1)) throw new Error('rate and burst must be positive');
    const r = reserve(this.bucket, Date.now(), ratePerSec, burst);
    this.bucket = r.state;
    return r.waitMs;
  }
}
