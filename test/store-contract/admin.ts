/**
 * Part of the Store contract (test/store-contract.ts): operator and sweeper actions: cancel, retry, recoverable jobs,
 * exhausting expired final attempts.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports';
import { MIN, T0, claimReq, newJob, outcome, path, refOf, uuid, withStore, type MakeStore } from './fixtures';

export function describeAdmin(makeStore: MakeStore): void {
  describe('operator and sweeper actions', () => {
    let store: Store;
    const claimed = withStore(makeStore, (s) => (store = s));

    it('cancels a pending job with its transition', async () => {
      const { job } = await store.insertJob(newJob());
      const cancelled = await store.cancelJob(job.id, T0 + 50, 'api', 'operator cancelled');
      expect(cancelled).toMatchObject({ id: job.id, state: 'cancelled', finishedAt: T0 + 50, updatedAt: T0 + 50, leaseUntil: null });
      expect(await store.getJob(job.id)).toEqual(cancelled);
      const transitions = await store.listTransitions(job.id);
      expect(path(transitions)).toEqual(['null->pending:created by test', 'pending->cancelled:operator cancelled']);
      expect(transitions[1]).toMatchObject({ actor: 'api', at: T0 + 50, attemptNumber: 0 });
    });

    it('cancels a running job: its open attempt is closed and its claim can no longer write', async () => {
      const { job, ref } = await claimed();
      const cancelled = await store.cancelJob(job.id, T0 + 1_000, 'api', 'operator cancelled');
      expect(cancelled).toMatchObject({ state: 'cancelled', leaseUntil: null, finishedAt: T0 + 1_000 });
      expect(cancelled!.claimToken).not.toBe(ref.claimToken);
      expect((await store.listAttempts(job.id))[0]).toMatchObject({
        state: 'failed',
        errorCategory: 'internal',
        errorCode: 'CANCELLED',
        errorMessage: 'operator cancelled',
        retryable: false,
        finishedAt: T0 + 1_000,
        durationMs: 1_000,
      });
      expect(await store.renewLease(ref, T0 + 1_001, T0 + MIN)).toBe(false);
      expect(await store.finishJob(ref, outcome({ state: 'succeeded', now: T0 + 1_002 }))).toBe(false);
      expect(await store.getJob(job.id)).toMatchObject({ state: 'cancelled' });
      expect(path(await store.listTransitions(job.id))).toEqual([
        'null->pending:created by test',
        'pending->running:claimed',
        'running->cancelled:operator cancelled',
      ]);
    });

    it('does not cancel a finished or unknown job', async () => {
      const { job, ref } = await claimed();
      await store.finishJob(ref, outcome({ state: 'succeeded', now: T0 + 1 }));
      expect(await store.cancelJob(job.id, T0 + 2, 'api', 'too late')).toBeNull();
      expect(await store.getJob(job.id)).toMatchObject({ state: 'succeeded' });
      expect(await store.listTransitions(job.id)).toHaveLength(3);
      expect(await store.cancelJob(uuid(), T0, 'api', 'nothing')).toBeNull();
    });

    it('retries a failed or exhausted job with a fresh attempt budget, and nothing else', async () => {
      const { job, ref } = await claimed({ maxAttempts: 2 });
      await store.finishJob(
        ref,
        outcome({ state: 'failed', now: T0 + 10, error: { category: 'provider', code: 'PROVIDER_4XX', message: 'x', retryable: false } }),
      );
      const retried = await store.retryJob(job.id, T0 + 1_000, 'api', 'retry requested');
      expect(retried).toMatchObject({
        state: 'pending',
        attemptCount: 1,
        maxAttempts: 3,
        nextRetryAt: T0 + 1_000,
        lastEnqueuedAt: T0 + 1_000,
        finishedAt: null,
        leaseUntil: null,
      });
      expect(path(await store.listTransitions(job.id)).at(-1)).toBe('failed->pending:retry requested');
      expect(await store.retryJob(job.id, T0 + 1_001, 'api', 'again')).toBeNull();
      const req = claimReq(job.id, { now: T0 + 1_000 });
      const again = await store.claimJob(req);
      expect(again?.attemptCount).toBe(2);
      await store.finishJob(refOf(req, again!), outcome({ state: 'exhausted', now: T0 + 2_000 }));
      expect(await store.retryJob(job.id, T0 + 3_000, 'api', 'once more')).toMatchObject({ state: 'pending', maxAttempts: 5 });
      expect(await store.retryJob(uuid(), T0, 'api', 'nothing')).toBeNull();

      const succeeded = await claimed({ scopeKey: 'track=ok' });
      await store.finishJob(succeeded.ref, outcome({ state: 'succeeded', now: T0 + 1 }));
      expect(await store.retryJob(succeeded.job.id, T0 + 2, 'api', 'no')).toBeNull();
    });

    it('refuses to retry a job while another job for its scope is active (ACTIVE_JOB_EXISTS)', async () => {
      const { job, ref } = await claimed();
      await store.finishJob(ref, outcome({ state: 'failed', now: T0 + 10 }));
      const other = await store.insertJob(newJob({ now: T0 + 20 }));
      expect(other.created).toBe(true);
      await expect(store.retryJob(job.id, T0 + 30, 'api', 'retry')).rejects.toMatchObject({ code: 'ACTIVE_JOB_EXISTS' });
      expect(await store.getJob(job.id)).toMatchObject({ state: 'failed' });
      expect(await store.listTransitions(job.id)).toHaveLength(3);
    });

    it('finds recoverable jobs: overdue pending or expired running, not re-sent recently', async () => {
      const now = T0 + 10 * MIN;
      const overdueBefore = now - MIN;
      const resentBefore = now - 2 * MIN;
      const overdue = await store.insertJob(newJob({ scopeKey: 'track=overdue', now: T0 }));
      const fresh = await store.insertJob(newJob({ scopeKey: 'track=fresh', now: now - 30_000 }));
      const resent = await store.insertJob(newJob({ scopeKey: 'track=resent', now: T0 + MIN }));
      await store.markEnqueued([resent.job.id], now - MIN);
      const expired = await claimed({ scopeKey: 'track=expired', now: T0 + MIN }, T0 + 2 * MIN); // lease until T0 + 3 min
      const live = await claimed({ scopeKey: 'track=live' }, now - 30_000);
      const finished = await claimed({ scopeKey: 'track=finished' }, T0);
      await store.finishJob(finished.ref, outcome({ state: 'failed', now: T0 + 1 }));

      const found = await store.findRecoverable(now, overdueBefore, resentBefore, 10);
      expect(found.map((j) => j.id)).toEqual([overdue.job.id, expired.job.id]); // by next_retry_at
      expect(found.map((j) => j.id)).not.toContain(fresh.job.id);
      expect(found.map((j) => j.id)).not.toContain(live.job.id);
      expect((await store.findRecoverable(now, overdueBefore, resentBefore, 1)).map((j) => j.id)).toEqual([overdue.job.id]);

      await store.markEnqueued(
        found.map((j) => j.id),
        now,
      );
      expect(await store.getJob(overdue.job.id)).toMatchObject({ lastEnqueuedAt: now });
      expect(await store.findRecoverable(now, overdueBefore, resentBefore, 10)).toEqual([]);
      // Once the re-send is itself old enough, they are found again.
      expect((await store.findRecoverable(now + 5 * MIN, overdueBefore, now, 10)).map((j) => j.id)).toEqual(
        expect.arrayContaining([overdue.job.id, expired.job.id]),
      );
      await store.markEnqueued([], now);
    });

    it('ends running jobs whose final attempt lost its lease as exhausted, and only those', async () => {
      const final = await claimed({ maxAttempts: 1 }, T0);
      const spare = await claimed({ scopeKey: 'track=spare', maxAttempts: 2 }, T0);
      const live = await claimed({ scopeKey: 'track=live', maxAttempts: 1 }, T0 + 5 * MIN);
      const now = T0 + 2 * MIN;

      expect(await store.exhaustExpiredFinalAttempts(now, 'sweeper')).toEqual([final.job.id]);
      expect(await store.getJob(final.job.id)).toMatchObject({
        state: 'exhausted',
        finishedAt: now,
        leaseUntil: null,
        lastErrorCategory: 'lease',
        lastErrorCode: 'LEASE_EXPIRED',
        lastErrorRetryable: true,
      });
      expect((await store.listAttempts(final.job.id))[0]).toMatchObject({
        state: 'failed',
        errorCode: 'LEASE_EXPIRED',
        retryable: true,
        finishedAt: now,
        durationMs: 2 * MIN,
      });
      const transitions = await store.listTransitions(final.job.id);
      expect(path(transitions).at(-1)).toBe('running->exhausted:final attempt lease expired');
      expect(transitions.at(-1)).toMatchObject({ actor: 'sweeper', at: now, attemptNumber: 1 });
      expect(await store.finishJob(final.ref, outcome({ state: 'succeeded', now: now + 1 }))).toBe(false);

      expect(await store.getJob(spare.job.id)).toMatchObject({ state: 'running' });
      expect(await store.getJob(live.job.id)).toMatchObject({ state: 'running' });
      expect(await store.exhaustExpiredFinalAttempts(now, 'sweeper')).toEqual([]);
    });
  });
}
