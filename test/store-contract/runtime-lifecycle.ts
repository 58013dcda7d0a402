/**
 * Job lifecycle through the runtime (handleJobMessage, sweepJobs, publishScope) on a given Store: claim, retry,
 * exhaust, cancel, sweep and publish, run against each store (test/lifecycle-d1.test.ts for D1,
 * test/store-pg/lifecycle.test.ts for Postgres). Real R2 (the pool's RAW bucket) and the provider transport against
 * the fixture server; the publisher is publishScope serialized in-process (the same step the ScopePublisher DO runs,
 * which only the Worker pool has) and the rate limiter lets every request through (its own tests are elsewhere).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config';
import { jsonLogger } from '../../src/core/logger';
import type { BlobStore, Store, PublishRequest } from '../../src/core/ports';
import { sweepJobs } from '../../src/runtime/cron-tasks';
import type { RuntimeDeps } from '../../src/runtime/deps';
import { enqueueJob } from '../../src/runtime/enqueue';
import { handleJobMessage } from '../../src/runtime/handle-job-message';
import { ProviderClient } from '../../src/runtime/provider-client';
import { publishScope } from '../../src/runtime/publish-scope';
import type { StoreHarness } from './fixtures';

export interface LifecycleEnv {
  blobs: BlobStore;
  upstream: string;
  control: string;
}

const PIPELINE = 'liverc.event_catalog';
const PAGE = 'liverc/Track.events.listing.page.html';

class Queue {
  sent: Array<{ jobId: string; delaySec?: number }> = [];
  async send(jobId: string, delaySec?: number) {
    this.sent.push({ jobId, delaySec });
  }
  async sendMany(ids: string[]) {
    for (const id of ids) this.sent.push({ jobId: id });
  }
}

export function describeRuntimeLifecycle(name: string, make: () => Promise<StoreHarness & LifecycleEnv>): void {
  describe(`job lifecycle through the runtime: ${name}`, () => {
    let h: (StoreHarness & LifecycleEnv) | undefined;
    let t = Date.now();
    let slug = '';
    const control = (path: string, body: unknown) =>
      fetch(`${h!.control}/__control/${path}`, { method: 'POST', body: JSON.stringify(body) });
    const route = (over: Record<string, unknown> = {}) => control('routes', [{ key: `${slug}.liverc.com/events/`, file: PAGE, ...over }]);
    beforeEach(async () => {
      h = await make();
      t = Date.now();
      // A scope of its own per test: routes never leak between tests or stores.
      slug = `lc${crypto.randomUUID().slice(0, 8)}`;
      await route();
    });
    afterEach(async () => {
      await h?.cleanup();
      h = undefined;
    });

    const deps = (store: Store = h!.store, workerId = 'worker:a'): RuntimeDeps & { queue: Queue } => {
      const config = loadConfig({
        INTERNAL_AUTH_TOKEN: 'test-token-0123456789',
        WORKER_BASE_RETRY_DELAY_SEC: '1',
        WORKER_MAX_RETRY_DELAY_SEC: '2',
        WORKER_HEARTBEAT_INTERVAL_SEC: '3600',
        WORKER_LEASE_DURATION_SEC: '3601',
        LOG_LEVEL: 'error',
      });
      let chain: Promise<unknown> = Promise.resolve();
      const publisher = {
        publish: (req: PublishRequest) => {
          const run = chain.then(() => publishScope(store, h!.blobs, req));
          chain = run.catch(() => undefined);
          return run;
        },
      };
      return {
        store,
        blobs: h!.blobs,
        queue: new Queue(),
        publisher,
        client: new ProviderClient({
          http: { fetch: (u, i) => fetch(u, i) },
          limiter: { acquire: async () => undefined },
          upstreamOverride: h!.upstream,
          userAgent: 'test',
          timeoutMs: 3000,
        }),
        config,
        log: jsonLogger({}, () => undefined, 'error'),
        now: () => t,
        workerId,
        random: () => 0.5,
      };
    };
    const enqueue = (d: RuntimeDeps, maxAttempts = 3) =>
      enqueueJob(
        { ...d, defaultMaxAttempts: maxAttempts },
        { pipeline: PIPELINE, params: { track_slug: slug }, actor: 'test', reason: 'test' },
      );
    const states = async (id: string) => (await h!.store.listTransitions(id)).map((x) => `${x.fromState}->${x.toState}`);

    it('claims, publishes first, then skips unchanged content and publishes changed content as sequence 2', async () => {
      const d = deps();
      const a = await enqueue(d);
      expect(await handleJobMessage(d, a.job.id)).toMatchObject({ kind: 'succeeded', result: { decision: 'PUBLISH_FIRST' } });
      expect(await states(a.job.id)).toEqual(['null->pending', 'pending->running', 'running->succeeded']);
      const b = await enqueue(d);
      expect(await handleJobMessage(d, b.job.id)).toMatchObject({
        kind: 'succeeded',
        result: { decision: 'SKIP_NO_CHANGE', publication_id: null },
      });
      const page = await (await fetch(`${h!.upstream}/${slug}.liverc.com/events/`)).text();
      await route({ file: undefined, body: page.replace('Clay Cup', 'Clay Cup (revised)'), contentType: 'text/html; charset=utf-8' });
      const c = await enqueue(d);
      const out = await handleJobMessage(d, c.job.id);
      expect(out).toMatchObject({ kind: 'succeeded', result: { decision: 'PUBLISH_CHANGED' } });
      const latest = (await h!.store.latestPublication(PIPELINE, `track_slug=${slug}`))!;
      expect(latest).toMatchObject({ sequence: 2, jobId: c.job.id });
      expect(await h!.blobs.getText(latest.envelopeKey)).toContain('Clay Cup (revised)');
    });

    it('retries a 5xx with a delayed message, then succeeds on the next attempt', async () => {
      await route({ status: 503, body: 'down', contentType: 'text/plain', file: undefined });
      const d = deps();
      const { job } = await enqueue(d);
      expect(await handleJobMessage(d, job.id)).toMatchObject({ kind: 'retry', code: 'PROVIDER_5XX' });
      await route();
      expect(d.queue.sent.at(-1)).toMatchObject({ jobId: job.id, delaySec: expect.any(Number) });
      expect(await handleJobMessage(d, job.id)).toEqual({ kind: 'skipped', reason: 'not_due' });
      t += 5_000;
      expect((await handleJobMessage(d, job.id)).kind).toBe('succeeded');
      expect((await h!.store.getJob(job.id))!).toMatchObject({ state: 'succeeded', attemptCount: 2, retryCount: 1 });
    });

    it('exhausts after max attempts of retryable failures', async () => {
      await route({ status: 503, body: 'down', contentType: 'text/plain', file: undefined });
      const d = deps();
      const { job } = await enqueue(d, 2);
      expect((await handleJobMessage(d, job.id)).kind).toBe('retry');
      t += 5_000;
      expect(await handleJobMessage(d, job.id)).toEqual({ kind: 'exhausted', code: 'PROVIDER_5XX' });
      expect((await h!.store.listAttempts(job.id)).map((a) => a.state)).toEqual(['failed', 'failed']);
      expect(await h!.store.latestPublication(PIPELINE, `track_slug=${slug}`)).toBeNull();
    });

    it('a job cancelled while running loses its lease and writes nothing', async () => {
      await route({ delayMs: 400 });
      const d = deps();
      const { job } = await enqueue(d);
      const running = handleJobMessage(d, job.id);
      await new Promise((ok) => setTimeout(ok, 150));
      expect((await h!.store.cancelJob(job.id, t, 'test', 'operator cancelled'))?.state).toBe('cancelled');
      expect(await running).toEqual({ kind: 'lease_lost' });
      expect((await h!.store.getJob(job.id))!.state).toBe('cancelled');
      expect(await h!.store.latestPublication(PIPELINE, `track_slug=${slug}`)).toBeNull();
    });

    it('the sweeper re-sends a job whose consumer died and exhausts one whose final attempt died', async () => {
      const d = deps();
      const live = await enqueue(d, 3);
      const leaseUntil = t + 60_000;
      await h!.store.claimJob({
        jobId: live.job.id,
        workerId: 'worker:dead',
        claimToken: 'tok-1',
        now: t,
        leaseUntil,
        attemptId: crypto.randomUUID(),
      });
      t += 61_000;
      const swept = await sweepJobs({ store: d.store, queue: d.queue, log: d.log, now: d.now });
      expect(swept.resent).toContain(live.job.id);
      expect((await handleJobMessage(deps(h!.store, 'worker:b'), live.job.id)).kind).toBe('succeeded');
      expect((await h!.store.listAttempts(live.job.id)).map((a) => [a.workerId, a.errorCode])).toEqual([
        ['worker:dead', 'LEASE_EXPIRED'],
        ['worker:b', null],
      ]);

      slug = `${slug}x`;
      await route();
      const last = await enqueue(d, 1);
      await h!.store.claimJob({
        jobId: last.job.id,
        workerId: 'worker:dead',
        claimToken: 'tok-2',
        now: t,
        leaseUntil: t + 60_000,
        attemptId: crypto.randomUUID(),
      });
      t += 61_000;
      const again = await sweepJobs({ store: d.store, queue: d.queue, log: d.log, now: d.now });
      expect(again.exhausted).toEqual([last.job.id]);
      expect((await h!.store.getJob(last.job.id))!).toMatchObject({ state: 'exhausted', lastErrorCode: 'LEASE_EXPIRED' });
      expect(await handleJobMessage(d, last.job.id)).toEqual({ kind: 'skipped', reason: 'finished' });
    });

    it('the sweeper completes, not exhausts, a job whose final attempt died after its decision was saved', async () => {
      const d = deps();
      // A sync with follow-ups finishes in a write of its own, after its decision: the window this covers.
      const { job } = await enqueueJob(
        { ...d, defaultMaxAttempts: 1 },
        { pipeline: PIPELINE, params: { track_slug: slug, depth: 'laps_full', max_deep_jobs: 1 }, actor: 'test', reason: 'test' },
      );
      let reached!: () => void;
      const died = new Promise<void>((ok) => (reached = ok));
      const dying = new Proxy(h!.store, {
        get(target, prop, recv) {
          if (prop === 'finishJob')
            return () => {
              reached();
              return new Promise(() => undefined); // the consumer is gone before its finish lands
            };
          const v = Reflect.get(target, prop, recv);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      void handleJobMessage(deps(dying, 'worker:dead'), job.id);
      await died;
      expect(await h!.store.latestPublication(PIPELINE, `track_slug=${slug}`)).toMatchObject({ jobId: job.id, sequence: 1 });
      t += 3_700_000; // past the 3601 s lease of these deps
      const swept = await sweepJobs({ store: d.store, queue: d.queue, log: d.log, now: d.now });
      expect(swept).toMatchObject({ completed: [job.id], exhausted: [] });
      expect(await h!.store.getJob(job.id)).toMatchObject({ state: 'succeeded', lastErrorCode: null });
      expect(await states(job.id)).toEqual(['null->pending', 'pending->running', 'running->succeeded']);
      expect(await handleJobMessage(d, job.id)).toEqual({ kind: 'skipped', reason: 'finished' });
    });
  });
}
