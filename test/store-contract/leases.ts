/**
 * Part of the Store contract (test/store-contract.ts): lease renewal and finishing a claimed job (succeeded, retry,
 * failed, exhausted; stale claims refused).
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports';
import { MIN, T0, claimReq, outcome, path, refOf, uuid, withStore, type MakeStore } from './fixtures';

export function describeLeases(makeStore: MakeStore): void {
  describe('leases and finishing', () => {
    let store: Store;
    const claimed = withStore(makeStore, (s) => (store = s));

    it('renews the lease and records progress while the claim is ours', async () => {
      const { job, ref } = await claimed();
      expect(await store.renewLease(ref, T0 + 20_000, T0 + 80_000, { done: 3, total: 10 })).toBe(true);
      expect(await store.getJob(job.id)).toMatchObject({
        leaseUntil: T0 + 80_000,
        lastHeartbeatAt: T0 + 20_000,
        updatedAt: T0 + 20_000,
        progressDone: 3,
        progressTotal: 10,
      });
      expect(await store.renewLease(ref, T0 + 40_000, T0 + 100_000)).toBe(true);
      expect(await store.getJob(job.id)).toMatchObject({ leaseUntil: T0 + 100_000, progressDone: 3, progressTotal: 10 });
      // A renewal is not a state change: no transition.
      expect(await store.listTransitions(job.id)).toHaveLength(2);
    });

    it('writes the final progress with the outcome', async () => {
      const { job, ref } = await claimed();
      expect(await store.finishJob(ref, outcome({ state: 'succeeded', now: T0 + 2, progress: { done: 4, total: 4 } }))).toBe(true);
      expect(await store.getJob(job.id)).toMatchObject({ state: 'succeeded', progressDone: 4, progressTotal: 4 });
    });

    it('refuses to renew with a wrong token, or after the job was finished or cancelled', async () => {
      const { ref } = await claimed();
      expect(await store.renewLease({ ...ref, claimToken: 'not-ours' }, T0 + 1, T0 + MIN)).toBe(false);
      expect(await store.renewLease({ ...ref, jobId: uuid() }, T0 + 1, T0 + MIN)).toBe(false);
      await store.finishJob(ref, outcome({ state: 'succeeded', now: T0 + 2 }));
      expect(await store.renewLease(ref, T0 + 3, T0 + MIN)).toBe(false);
      expect(await store.renewLease({ ...ref, claimToken: `fin:${ref.claimToken}` }, T0 + 3, T0 + MIN)).toBe(false);

      const other = await claimed({ scopeKey: 'track=b' });
      await store.cancelJob(other.job.id, T0 + 4, 'test', 'stop');
      expect(await store.renewLease(other.ref, T0 + 5, T0 + MIN)).toBe(false);
    });

    it('finishes a job as succeeded once, with its transition and attempt rows', async () => {
      const { job, ref } = await claimed();
      const result = { decision: 'PUBLISH_FIRST', counts: { a: 1 }, list: [1, 'two'] };
      const ok = await store.finishJob(
        ref,
        outcome({
          state: 'succeeded',
          now: T0 + 5_000,
          reason: 'PUBLISH_FIRST: 7 entities',
          result,
          parserVersion: 'p@2',
          normalizerVersion: 'n@3',
        }),
      );
      expect(ok).toBe(true);
      expect(await store.getJob(job.id)).toMatchObject({
        state: 'succeeded',
        claimToken: `fin:${ref.claimToken}`,
        claimedBy: 'worker:a',
        leaseUntil: null,
        finishedAt: T0 + 5_000,
        updatedAt: T0 + 5_000,
        result,
        parserVersion: 'p@2',
        normalizerVersion: 'n@3',
        lastErrorCode: null,
        lastErrorRetryable: null,
        retryCount: 0,
        attemptCount: 1,
      });
      expect(await store.listAttempts(job.id)).toEqual([
        expect.objectContaining({
          id: ref.attemptId,
          state: 'succeeded',
          errorCode: null,
          retryable: null,
          finishedAt: T0 + 5_000,
          durationMs: 5_000,
        }),
      ]);
      const transitions = await store.listTransitions(job.id);
      expect(path(transitions)).toEqual([
        'null->pending:created by test',
        'pending->running:claimed',
        'running->succeeded:PUBLISH_FIRST: 7 entities',
      ]);
      expect(transitions[2]).toMatchObject({ actor: 'worker:a', attemptNumber: 1, at: T0 + 5_000 });

      expect(await store.finishJob(ref, outcome({ state: 'failed', now: T0 + 6_000 }))).toBe(false);
      expect(await store.getJob(job.id)).toMatchObject({ state: 'succeeded', finishedAt: T0 + 5_000 });
      expect(await store.listTransitions(job.id)).toHaveLength(3);
    });

    it('finishes into a retry: pending again with backoff, error recorded, claim released', async () => {
      const { job, ref } = await claimed();
      const error = { category: 'provider', code: 'PROVIDER_5XX', message: 'HTTP 503', retryable: true };
      expect(
        await store.finishJob(
          ref,
          outcome({ state: 'pending', now: T0 + 1_000, nextRetryAt: T0 + 16_000, reason: 'retry in 15s after PROVIDER_5XX', error }),
        ),
      ).toBe(true);
      expect(await store.getJob(job.id)).toMatchObject({
        state: 'pending',
        nextRetryAt: T0 + 16_000,
        leaseUntil: null,
        claimedBy: null,
        claimToken: `fin:${ref.claimToken}`,
        lastErrorCategory: 'provider',
        lastErrorCode: 'PROVIDER_5XX',
        lastErrorMessage: 'HTTP 503',
        lastErrorRetryable: true,
        retryCount: 1,
        lastEnqueuedAt: T0 + 1_000,
        finishedAt: null,
      });
      expect((await store.listAttempts(job.id))[0]).toMatchObject({
        state: 'failed',
        errorCategory: 'provider',
        errorCode: 'PROVIDER_5XX',
        errorMessage: 'HTTP 503',
        retryable: true,
        durationMs: 1_000,
      });
      expect(path(await store.listTransitions(job.id)).at(-1)).toBe('running->pending:retry in 15s after PROVIDER_5XX');

      const req2 = claimReq(job.id, { now: T0 + 16_000, workerId: 'worker:b' });
      const second = (await store.claimJob(req2))!;
      expect(second).toMatchObject({ attemptCount: 2, claimedBy: 'worker:b' });
      expect(await store.finishJob(refOf(req2, second), outcome({ state: 'succeeded', now: T0 + 17_000, startedAt: T0 + 16_000 }))).toBe(
        true,
      );
      const finished = (await store.getJob(job.id))!;
      expect(finished).toMatchObject({
        state: 'succeeded',
        retryCount: 1,
        lastErrorCode: null,
        lastErrorRetryable: null,
        nextRetryAt: T0 + 16_000,
      });
      expect((await store.listAttempts(job.id)).map((a) => [a.attemptNumber, a.state])).toEqual([
        [1, 'failed'],
        [2, 'succeeded'],
      ]);
      expect(path(await store.listTransitions(job.id))).toEqual([
        'null->pending:created by test',
        'pending->running:claimed',
        'running->pending:retry in 15s after PROVIDER_5XX',
        'pending->running:claimed',
        'running->succeeded:to succeeded',
      ]);
    });

    it('finishes as failed or exhausted with a non-retryable or retryable error', async () => {
      const a = await claimed();
      expect(
        await store.finishJob(
          a.ref,
          outcome({
            state: 'failed',
            now: T0 + 10,
            reason: 'non-retryable PROVIDER_4XX',
            error: { category: 'provider', code: 'PROVIDER_4XX', message: 'HTTP 400', retryable: false },
          }),
        ),
      ).toBe(true);
      expect(await store.getJob(a.job.id)).toMatchObject({
        state: 'failed',
        finishedAt: T0 + 10,
        lastErrorRetryable: false,
        lastErrorCode: 'PROVIDER_4XX',
      });
      expect((await store.listAttempts(a.job.id))[0]).toMatchObject({ state: 'failed', retryable: false });

      const b = await claimed({ scopeKey: 'track=b', maxAttempts: 1 });
      expect(
        await store.finishJob(
          b.ref,
          outcome({
            state: 'exhausted',
            now: T0 + 20,
            reason: 'out of attempts',
            error: { category: 'network', code: 'TIMEOUT', message: 't', retryable: true },
          }),
        ),
      ).toBe(true);
      expect(await store.getJob(b.job.id)).toMatchObject({ state: 'exhausted', finishedAt: T0 + 20, lastErrorRetryable: true });
      expect(path(await store.listTransitions(b.job.id)).at(-1)).toBe('running->exhausted:out of attempts');
    });

    it('refuses to finish with a token that is not the live claim', async () => {
      const { job, ref } = await claimed();
      expect(await store.finishJob({ ...ref, claimToken: 'someone-else' }, outcome({ state: 'succeeded', now: T0 + 1 }))).toBe(false);
      expect(await store.finishJob({ ...ref, jobId: uuid() }, outcome({ state: 'succeeded', now: T0 + 1 }))).toBe(false);
      expect(await store.getJob(job.id)).toMatchObject({ state: 'running', claimToken: ref.claimToken });
      expect((await store.listAttempts(job.id))[0]!.state).toBe('running');
      expect(await store.listTransitions(job.id)).toHaveLength(2);
    });
  });
}
