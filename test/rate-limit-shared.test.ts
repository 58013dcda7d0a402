/**
 * The provider rate limit, observed where it matters: at the fixture server. Two consumers (each with its own
 * limiter client, as two isolates would have) run jobs of one provider at once; the shared ProviderRateLimiter
 * bucket must space their requests at the configured rate. Timestamps are checked against the token bucket's own
 * bound (burst + rate x window) with a tolerance of one request: a behaviour test, not a speed target (a slower
 * machine only spreads the requests further).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { enqueueJob } from '../src/runtime/enqueue';
import { ProviderClient } from '../src/runtime/provider-client';
import { DurableRateLimiter } from '../src/wiring/env-ports';
import { fixtures, manualDeps, withCleanState } from './helpers';

const RATE = 2; // requests per second (PROVIDER_RATE_OVERRIDE semantics: burst = ceil(rate))
const BURST = 2;
const JOBS = 6;

function consumer(workerId: string) {
  const base = manualDeps({ workerId });
  const client = new ProviderClient({
    http: { fetch: (u, i) => fetch(u, i) },
    limiter: new DurableRateLimiter(env.RATE_LIMITER, RATE),
    upstreamOverride: base.config.upstreamOverride,
    userAgent: 'test',
    timeoutMs: 10_000,
  });
  return { ...base, client };
}

describe('shared provider rate limit', () => {
  withCleanState();

  it('two consumers running jobs of one provider at once stay within the configured rate at the provider', async () => {
    const slugs = Array.from({ length: JOBS }, (_, i) => `ratelimit${i}`);
    await fixtures.routes(slugs.map((s) => ({ key: `${s}.liverc.com/events/`, file: 'liverc/Track.events.listing.page.html' })));
    const a = consumer('worker:a');
    const b = consumer('worker:b');
    // Let the bucket settle at this test's rate (earlier files left it at the suite's 1000/s override).
    await new Promise((ok) => setTimeout(ok, 1_200));
    const ids: string[] = [];
    for (const s of slugs)
      ids.push(
        (
          await enqueueJob(
            { ...a, defaultMaxAttempts: 3 },
            { pipeline: 'liverc.event_catalog', params: { track_slug: s }, actor: 'test', reason: 'test' },
          )
        ).job.id,
      );
    const outs = await Promise.all(ids.map((id, i) => handleJobMessage(i % 2 ? b : a, id)));
    expect(outs.map((o) => o.kind)).toEqual(ids.map(() => 'succeeded'));

    const log = (await fixtures.log()) as unknown as Array<{ key: string; at: number }>;
    const times = log
      .filter((r) => r.key.startsWith('ratelimit'))
      .map((r) => r.at)
      .sort((x, y) => x - y);
    expect(times).toHaveLength(JOBS);
    // Token bucket bound: any k consecutive requests span at least (k - BURST) / RATE seconds (1 request slack).
    for (let i = 0; i < times.length; i++) {
      for (let j = i + 1; j < times.length; j++) {
        const k = j - i + 1;
        const allowed = BURST + (RATE * (times[j]! - times[i]!)) / 1000 + 1;
        expect(k, `requests ${i}..${j} within ${times[j]! - times[i]!} ms`).toBeLessThanOrEqual(allowed);
      }
    }
    const spanMs = times.at(-1)! - times[0]!;
    expect(spanMs).toBeGreaterThanOrEqual(((JOBS - BURST - 1) / RATE) * 1000);
    console.log(
      `rate limit: ${JOBS} requests from 2 consumers over ${spanMs} ms at ${RATE}/s burst ${BURST} (bucket minimum ${((JOBS - BURST) / RATE) * 1000} ms)`,
    );
  });

  it('one call reserves consecutive slots, as that many calls at the same instant would', async () => {
    const bucket = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName('reserve-many-test'));
    // A fresh bucket at 2/s, burst 2: two slots now, then one every 500 ms.
    expect(await bucket.reserveMany(2, 2, 4)).toEqual([0, 0, 500, 1000]);
    // The next caller queues behind those four: its slot is 1.5 s after the first call, less the time since.
    const [next] = await bucket.reserveMany(2, 2, 1);
    expect(next).toBeGreaterThan(0);
    expect(next).toBeLessThanOrEqual(1_500);
  });
});
