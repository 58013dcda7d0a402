/**
 * Part of the Store contract (test/store-contract.ts): claims: due pending jobs, live and expired leases, exhausted
 * attempts, concurrent claimers.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports';
import type { Job } from '../../src/core/types';
import { MIN, T0, claimReq, newJob, outcome, path, refOf, uuid, withStore, type MakeStore } from './fixtures';

export function describeClaims(makeStore: MakeStore): void {
  describe('claims', () => {
    let store: Store;
    const claimed = withStore(makeStore, (s) => (store = s));

    it('claims a pending, due job: running, attempt opened, transition written', async () => {
      const { job } = await store.insertJob(newJob());
      const req = claimReq(job.id, { now: T0 + 5, leaseUntil: T0 + 5 + MIN });
      const running = await store.claimJob(req);
      expect(running).toMatchObject({
        id: job.id,
        state: 'running',
        attemptCount: 1,
        claimedBy: 'worker:a',
        claimToken: req.claimToken,
        claimedAt: T0 + 5,
        leaseUntil: T0 + 5 + MIN,
        lastHeartbeatAt: T0 + 5,
        progressDone: 0,
        progressTotal: 0,
        updatedAt: T0 + 5,
      });
      expect(await store.getJob(job.id)).toEqual(running);
      expect(await store.listAttempts(job.id)).toEqual([
        {
          id: req.attemptId,
          jobId: job.id,
          attemptNumber: 1,
          workerId: 'worker:a',
          state: 'running',
          errorCategory: null,
          errorCode: null,
          errorMessage: null,
          retryable: null,
          startedAt: T0 + 5,
          finishedAt: null,
          durationMs: null,
        },
      ]);
      const transitions = await store.listTransitions(job.id);
      expect(path(transitions)).toEqual(['null->pending:created by test', 'pending->running:claimed']);
      expect(transitions[1]).toMatchObject({ actor: 'worker:a', attemptNumber: 1, at: T0 + 5 });
    });

    it('does not claim a pending job before it is due', async () => {
      const { job } = await store.insertJob(newJob());
      expect(await store.claimJob(claimReq(job.id, { now: T0 - 1 }))).toBeNull();
      const req = claimReq(job.id, { now: T0 });
      const ref = refOf(req, (await store.claimJob(req))!);
      expect(
        await store.finishJob(
          ref,
          outcome({
            state: 'pending',
            now: T0 + 100,
            nextRetryAt: T0 + 10_000,
            error: { category: 'provider', code: 'PROVIDER_5XX', message: 'down', retryable: true },
          }),
        ),
      ).toBe(true);
      expect(await store.claimJob(claimReq(job.id, { now: T0 + 9_999 }))).toBeNull();
      const again = await store.claimJob(claimReq(job.id, { now: T0 + 10_000 }));
      expect(again?.attemptCount).toBe(2);
      expect(await store.getJob(job.id)).toMatchObject({ state: 'running', attemptCount: 2 });
      expect(await store.listAttempts(job.id)).toHaveLength(2);
    });

    it('does not claim a running job whose lease is live (up to and including lease_until)', async () => {
      const { job, req } = await claimed();
      expect(await store.claimJob(claimReq(job.id, { now: T0 + 1 }))).toBeNull();
      expect(await store.claimJob(claimReq(job.id, { now: req.leaseUntil }))).toBeNull();
      expect(await store.getJob(job.id)).toMatchObject({ claimToken: req.claimToken, attemptCount: 1 });
      expect(await store.listAttempts(job.id)).toHaveLength(1);
    });

    it('reclaims a running job after its lease expired: the old attempt ends LEASE_EXPIRED and the old claim is dead', async () => {
      const { job, req: old, ref: oldRef } = await claimed({}, T0);
      const at = old.leaseUntil + 1;
      const req = claimReq(job.id, { now: at, workerId: 'worker:b' });
      const taken = await store.claimJob(req);
      expect(taken).toMatchObject({
        state: 'running',
        attemptCount: 2,
        claimedBy: 'worker:b',
        claimToken: req.claimToken,
        leaseUntil: req.leaseUntil,
      });
      const attempts = await store.listAttempts(job.id);
      expect(attempts.map((a) => [a.attemptNumber, a.workerId, a.state, a.errorCode])).toEqual([
        [1, 'worker:a', 'failed', 'LEASE_EXPIRED'],
        [2, 'worker:b', 'running', null],
      ]);
      expect(attempts[0]).toMatchObject({ errorCategory: 'lease', retryable: true, finishedAt: at, durationMs: at - T0 });
      const transitions = await store.listTransitions(job.id);
      expect(path(transitions)).toEqual([
        'null->pending:created by test',
        'pending->running:claimed',
        'running->running:reclaimed after lease expiry',
      ]);
      expect(transitions[2]).toMatchObject({ actor: 'worker:b', attemptNumber: 2, at });

      expect(await store.renewLease(oldRef, at + 1, at + MIN)).toBe(false);
      expect(await store.finishJob(oldRef, outcome({ state: 'succeeded', now: at + 2 }))).toBe(false);
      expect(await store.getJob(job.id)).toMatchObject({ state: 'running', claimToken: req.claimToken });
      expect(await store.listTransitions(job.id)).toHaveLength(3);
    });

    it('does not claim once attempts are exhausted, nor a finished or unknown job', async () => {
      const { job, req } = await claimed({ maxAttempts: 1 });
      expect(await store.claimJob(claimReq(job.id, { now: req.leaseUntil + 1 }))).toBeNull();
      expect(await store.getJob(job.id)).toMatchObject({ state: 'running', attemptCount: 1, claimToken: req.claimToken });

      const done = await claimed({ scopeKey: 'track=done' });
      await store.finishJob(done.ref, outcome({ state: 'succeeded', now: T0 + 1 }));
      expect(await store.claimJob(claimReq(done.job.id, { now: T0 + 2 * MIN }))).toBeNull();

      const { job: pending } = await store.insertJob(newJob({ scopeKey: 'track=cancelled' }));
      await store.cancelJob(pending.id, T0 + 1, 'test', 'stop');
      expect(await store.claimJob(claimReq(pending.id, { now: T0 + 2 }))).toBeNull();

      expect(await store.claimJob(claimReq(uuid()))).toBeNull();
    });

    it('lets exactly one of many concurrent claims win', async () => {
      const { job } = await store.insertJob(newJob());
      const reqs = Array.from({ length: 8 }, (_, i) => claimReq(job.id, { now: T0 + 1, workerId: `worker:${i}` }));
      const results = await Promise.all(reqs.map((r) => store.claimJob(r)));
      const winners = results.filter((r): r is Job => r !== null);
      expect(winners).toHaveLength(1);
      const winner = reqs[results.findIndex((r) => r !== null)]!;
      expect(winners[0]).toMatchObject({ attemptCount: 1, claimToken: winner.claimToken, claimedBy: winner.workerId });
      expect((await store.listAttempts(job.id)).map((a) => a.id)).toEqual([winner.attemptId]);
      expect(path(await store.listTransitions(job.id))).toEqual(['null->pending:created by test', 'pending->running:claimed']);
    });

    it('lets exactly one of many concurrent claims take over an expired lease', async () => {
      const { job, req } = await claimed();
      const at = req.leaseUntil + 1;
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => store.claimJob(claimReq(job.id, { now: at, workerId: `worker:${i}` }))),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      const attempts = await store.listAttempts(job.id);
      expect(attempts.map((a) => a.state)).toEqual(['failed', 'running']);
      expect(path(await store.listTransitions(job.id))).toEqual([
        'null->pending:created by test',
        'pending->running:claimed',
        'running->running:reclaimed after lease expiry',
      ]);
    });
  });
}
