/**
 * Part of the Store contract (test/store-contract.ts): readiness, inserting jobs (dedupe by idempotency key and by
 * active scope) and listing them.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports';
import { T0, claimReq, newJob, outcome, refOf, uuid, withStore, type MakeStore } from './fixtures';

export function describeJobs(makeStore: MakeStore): void {
  describe('readiness and jobs', () => {
    let store: Store;
    withStore(makeStore, (s) => (store = s));

    it('is ready once migrated', async () => {
      await expect(store.checkReady()).resolves.toBeUndefined();
    });

    it('inserts a pending job with its first transition, and reads it back exactly', async () => {
      const input = newJob({ idempotencyKey: 'k-1', parentJobId: 'parent-1', force: true, mode: 'replay', maxAttempts: 4 });
      const { job, created } = await store.insertJob(input);
      expect(created).toBe(true);
      expect(job).toMatchObject({
        id: input.id,
        pipeline: 'test.pipeline',
        params: input.params,
        scopeKey: 'track=a',
        mode: 'replay',
        force: true,
        state: 'pending',
        idempotencyKey: 'k-1',
        parentJobId: 'parent-1',
        attemptCount: 0,
        maxAttempts: 4,
        nextRetryAt: T0,
        claimedBy: null,
        claimToken: null,
        claimedAt: null,
        leaseUntil: null,
        lastHeartbeatAt: null,
        lastEnqueuedAt: T0,
        lastErrorCategory: null,
        lastErrorCode: null,
        lastErrorMessage: null,
        lastErrorRetryable: null,
        parserVersion: null,
        normalizerVersion: null,
        progressDone: 0,
        progressTotal: 0,
        resourcesFetched: 0,
        snapshotsStored: 0,
        retryCount: 0,
        result: null,
        createdAt: T0,
        updatedAt: T0,
        finishedAt: null,
      });
      expect(await store.getJob(input.id)).toEqual(job);
      const transitions = await store.listTransitions(job.id);
      expect(transitions).toHaveLength(1);
      expect(transitions[0]).toMatchObject({
        jobId: job.id,
        fromState: null,
        toState: 'pending',
        reason: 'created by test',
        actor: 'test',
        attemptNumber: null,
        at: T0,
      });
      expect(typeof transitions[0]!.id).toBe('string');
      expect(await store.listAttempts(job.id)).toEqual([]);
    });

    it('returns null for an unknown job', async () => {
      expect(await store.getJob(uuid())).toBeNull();
    });

    it('dedupes by idempotency key, even across scopes and after the first job finished', async () => {
      const a = await store.insertJob(newJob({ idempotencyKey: 'key-1' }));
      const b = await store.insertJob(newJob({ idempotencyKey: 'key-1', scopeKey: 'track=other' }));
      expect(b).toEqual({ job: a.job, created: false });
      await store.cancelJob(a.job.id, T0 + 1, 'test', 'stop');
      const c = await store.insertJob(newJob({ idempotencyKey: 'key-1', now: T0 + 2 }));
      expect(c.created).toBe(false);
      expect(c.job.id).toBe(a.job.id);
      expect(c.job.state).toBe('cancelled');
      expect(await store.listTransitions(a.job.id)).toHaveLength(2);
      expect(await store.listJobs({ limit: 10 })).toHaveLength(1);
    });

    it('dedupes by active (pipeline, scope) while pending or running, and creates a new job afterwards', async () => {
      const a = await store.insertJob(newJob());
      const dupPending = await store.insertJob(newJob({ now: T0 + 1 }));
      expect(dupPending).toEqual({ job: a.job, created: false });
      const otherPipeline = await store.insertJob(newJob({ pipeline: 'test.other' }));
      expect(otherPipeline.created).toBe(true);
      const otherScope = await store.insertJob(newJob({ scopeKey: 'track=b' }));
      expect(otherScope.created).toBe(true);

      const req = claimReq(a.job.id);
      const running = (await store.claimJob(req))!;
      const dupRunning = await store.insertJob(newJob({ now: T0 + 2, idempotencyKey: 'fresh-key' }));
      expect(dupRunning.created).toBe(false);
      expect(dupRunning.job.id).toBe(a.job.id);
      expect(dupRunning.job.state).toBe('running');

      expect(await store.finishJob(refOf(req, running), outcome({ state: 'succeeded', now: T0 + 3 }))).toBe(true);
      const next = await store.insertJob(newJob({ now: T0 + 4, idempotencyKey: 'fresh-key' }));
      expect(next.created).toBe(true);
      expect(next.job.id).not.toBe(a.job.id);
      expect(next.job.state).toBe('pending');
    });

    it('creates exactly one job out of concurrent inserts for the same scope', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.insertJob(newJob({ now: T0 + i }))));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
      expect(await store.listJobs({ limit: 20 })).toHaveLength(1);
      expect(await store.listTransitions(results[0]!.job.id)).toHaveLength(1);
    });

    it('lists jobs newest first with filters and a (createdAt, id) cursor', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { job } = await store.insertJob(
          newJob({
            now: T0 + i * 1000,
            scopeKey: `track=${i}`,
            pipeline: i % 2 ? 'test.odd' : 'test.even',
            parentJobId: i < 2 ? 'parent-x' : null,
          }),
        );
        ids.push(job.id);
      }
      // Two jobs in the same millisecond: the id breaks the tie.
      const twinA = await store.insertJob(newJob({ id: 'zz-twin-a', now: T0 + 4000, scopeKey: 'track=twin-a' }));
      const twinB = await store.insertJob(newJob({ id: 'zz-twin-b', now: T0 + 4000, scopeKey: 'track=twin-b' }));
      await store.cancelJob(ids[1]!, T0 + 10_000, 'test', 'stop');

      const all = await store.listJobs({ limit: 100 });
      expect(all.map((j) => j.id)).toEqual([twinB.job.id, twinA.job.id, ids[4], ids[3], ids[2], ids[1], ids[0]]);
      expect((await store.listJobs({ limit: 100, state: 'cancelled' })).map((j) => j.id)).toEqual([ids[1]]);
      expect((await store.listJobs({ limit: 100, pipeline: 'test.odd' })).map((j) => j.id)).toEqual([ids[3], ids[1]]);
      expect((await store.listJobs({ limit: 100, scopeKey: 'track=2' })).map((j) => j.id)).toEqual([ids[2]]);
      expect((await store.listJobs({ limit: 100, parentJobId: 'parent-x' })).map((j) => j.id)).toEqual([ids[1], ids[0]]);
      expect((await store.listJobs({ limit: 100, createdFrom: T0 + 1000, createdTo: T0 + 3000 })).map((j) => j.id)).toEqual([
        ids[2],
        ids[1],
      ]);

      const pages: string[][] = [];
      let cursor: { createdAt: number; id: string } | undefined;
      for (;;) {
        const page = await store.listJobs({ limit: 2, cursor });
        if (page.length === 0) break;
        pages.push(page.map((j) => j.id));
        const last = page[page.length - 1]!;
        cursor = { createdAt: last.createdAt, id: last.id };
      }
      expect(pages.flat()).toEqual(all.map((j) => j.id));
      expect(pages[0]).toEqual([twinB.job.id, twinA.job.id]);
    });
  });
}
