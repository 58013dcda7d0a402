/**
 * Part of the Store contract (test/store-contract.ts): the transition rules of src/core/job-transitions.ts as
 * both stores execute them -- a sweep racing a renewal, cancelling a running job, and continuations.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports';
import { MIN, T0, claimReq, outcome, path, refOf, withStore, type MakeStore } from './fixtures';

export function describeTransitions(makeStore: MakeStore): void {
  describe('transition rules', () => {
    let store: Store;
    const claimed = withStore(makeStore, (s) => (store = s));

    it('does not exhaust a job whose lease was renewed after the sweeper read it', async () => {
      const final = await claimed({ maxAttempts: 1 }, T0);
      const now = T0 + 2 * MIN;
      // The sweeper's read: the lease looked expired ...
      const seen = await store.findRecoverable(now, now, now, 10);
      expect(seen.map((j) => j.id)).toEqual([final.job.id]);
      // ... then the consumer (only stalled, not dead) renewed it before the sweeper wrote.
      expect(await store.renewLease(final.ref, now, now + MIN)).toBe(true);
      expect(await store.exhaustJob(final.job.id, now, 'sweeper')).toBe(false);
      expect(await store.getJob(final.job.id)).toMatchObject({ state: 'running', leaseUntil: now + MIN });
      expect((await store.listAttempts(final.job.id))[0]).toMatchObject({ state: 'running', finishedAt: null });
      expect(path(await store.listTransitions(final.job.id)).at(-1)).toBe('pending->running:claimed');
      // The renewed claim still finishes normally.
      expect(await store.finishJob(final.ref, outcome({ state: 'succeeded', now: now + 1 }))).toBe(true);
    });

    it('exhausts with the attempt closed in the same step when the lease really is expired', async () => {
      const final = await claimed({ maxAttempts: 1 }, T0);
      const now = T0 + 2 * MIN;
      expect(await store.exhaustJob(final.job.id, now, 'sweeper')).toBe(true);
      expect(await store.getJob(final.job.id)).toMatchObject({ state: 'exhausted', lastErrorCode: 'LEASE_EXPIRED' });
      expect((await store.listAttempts(final.job.id))[0]).toMatchObject({ state: 'failed', errorCode: 'LEASE_EXPIRED', finishedAt: now });
      expect(await store.exhaustJob(final.job.id, now + 1, 'sweeper')).toBe(false);
    });

    it('cancels a running job: the attempt closes CANCELLED and neither finish nor renewal can undo it', async () => {
      const { job, ref } = await claimed();
      const cancelled = await store.cancelJob(job.id, T0 + 10, 'operator', 'not needed');
      expect(cancelled).toMatchObject({ state: 'cancelled', leaseUntil: null, finishedAt: T0 + 10 });
      expect((await store.listAttempts(job.id))[0]).toMatchObject({
        state: 'failed',
        errorCode: 'CANCELLED',
        errorMessage: 'not needed',
        retryable: false,
      });
      expect(await store.finishJob(ref, outcome({ state: 'succeeded', now: T0 + 20 }))).toBe(false);
      expect(await store.renewLease(ref, T0 + 20, T0 + MIN)).toBe(false);
      expect(await store.claimJob(claimReq(job.id, { now: T0 + 2 * MIN }))).toBeNull();
      expect(path(await store.listTransitions(job.id)).at(-1)).toBe('running->cancelled:not needed');
    });

    it('continues a job: back to pending without a failure, a retry or a spent attempt', async () => {
      const first = await claimed({ maxAttempts: 1 }, T0);
      const ok = await store.finishJob(
        first.ref,
        outcome({ state: 'pending', continuation: true, nextRetryAt: T0 + 1_000, now: T0 + 500, reason: 'continuation: 3/10 fetched' }),
      );
      expect(ok).toBe(true);
      expect(await store.getJob(first.job.id)).toMatchObject({
        state: 'pending',
        retryCount: 0,
        attemptCount: 1,
        maxAttempts: 2,
        lastErrorCode: null,
        finishedAt: null,
        leaseUntil: null,
      });
      expect((await store.listAttempts(first.job.id))[0]).toMatchObject({ state: 'continued', errorCode: null, finishedAt: T0 + 500 });
      expect(path(await store.listTransitions(first.job.id)).at(-1)).toBe('running->pending:continuation: 3/10 fetched');
      // A job on its only attempt can still be claimed after a continuation: the budget was given back.
      const req = claimReq(first.job.id, { now: T0 + 1_000 });
      const again = await store.claimJob(req);
      expect(again).toMatchObject({ state: 'running', attemptCount: 2 });
      // The stale claim of the continued attempt can no longer write.
      expect(await store.finishJob(first.ref, outcome({ state: 'succeeded', now: T0 + 1_100 }))).toBe(false);
      expect(await store.finishJob(refOf(req, again!), outcome({ state: 'succeeded', now: T0 + 1_200 }))).toBe(true);
      expect(await store.getJob(first.job.id)).toMatchObject({ state: 'succeeded', retryCount: 0 });
    });
  });
}
