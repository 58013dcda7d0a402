/**
 * The isolate's side of the provider rate limit (src/durable/rate-limiter.ts). Requests of one provider that wait
 * at the same time in this isolate (the jobs of one queue batch) share one Durable Object call: while a reservation
 * is in flight, new requests queue, and the next call reserves a slot for each of them. Every slot is reserved for a
 * request already waiting, which sleeps until its slot and then goes out, exactly as with one call per request: no
 * token is handed out ahead of need, so the configured rate stays the fleet-wide bound it was.
 */
import { RetryableError } from '../core/errors';
import type { RateLimiterPort } from '../core/ports';
import { MAX_RESERVE_PER_CALL } from '../core/token-bucket';
import { getProvider } from '../pipelines/registry';
import { countDoCall } from './io-accounting';

interface Waiter {
  resolve: (waitMs: number) => void;
  reject: (err: unknown) => void;
}

export class DurableRateLimiter implements RateLimiterPort {
  /** Per provider: the requests waiting for a slot, and whether a reservation call is in flight. */
  private readonly queues = new Map<string, { waiting: Waiter[]; busy: boolean }>();

  constructor(
    private readonly ns: Env['RATE_LIMITER'],
    private readonly rateOverride: number | null,
    private readonly rates: Record<string, number> = {},
    private readonly counted = false,
  ) {}

  async acquire(provider: string): Promise<void> {
    let queue = this.queues.get(provider);
    if (!queue) this.queues.set(provider, (queue = { waiting: [], busy: false }));
    const q = queue;
    const waitMs = await new Promise<number>((resolve, reject) => {
      q.waiting.push({ resolve, reject });
      void this.drain(provider, q);
    });
    if (waitMs > 0) await new Promise((ok) => setTimeout(ok, waitMs));
  }

  private async drain(provider: string, q: { waiting: Waiter[]; busy: boolean }): Promise<void> {
    if (q.busy) return;
    q.busy = true;
    try {
      while (q.waiting.length) {
        const batch = q.waiting.splice(0, MAX_RESERVE_PER_CALL);
        const { rate, burst } = this.limitsOf(provider);
        if (this.counted) countDoCall();
        try {
          const waits = await this.ns.get(this.ns.idFromName(provider)).reserveMany(rate, burst, batch.length);
          if (waits.length !== batch.length)
            throw new RetryableError('RATE_LIMITER_FAILED', 'internal', `rate limiter answered ${waits.length} slots for ${batch.length}`);
          for (const [i, w] of batch.entries()) w.resolve(waits[i]!);
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      q.busy = false;
    }
  }

  /** The override, else the configured rate, else the provider profile's (burst: the rate rounded up, or the profile's). */
  private limitsOf(provider: string): { rate: number; burst: number } {
    const profile = getProvider(provider);
    const configured = this.rates[provider.toLowerCase()];
    const rate = this.rateOverride ?? configured ?? profile?.ratePerSec ?? 1;
    const burst = this.rateOverride
      ? Math.max(1, Math.ceil(this.rateOverride))
      : configured
        ? Math.max(1, Math.ceil(configured))
        : (profile?.burst ?? 1);
    return { rate, burst };
  }
}
