/**
 * Part of the Store contract (test/store-contract.ts): `requested_by` on jobs and on every transition. The
 * worker's own steps carry the job's requester; an operator's or the sweeper's action carries its own name.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports';
import { MIN, T0, claimReq, newJob, outcome, withStore, type MakeStore } from './fixtures';

export function describeRequestedBy(makeStore: MakeStore): void {
  describe('requested_by', () => {
    let store: Store;
    const claimed = withStore(makeStore, (s) => (store = s));

    it('is kept on the job and carried by the worker transitions; cancel and retry record the operator', async () => {
      const { job, ref } = await claimed({ requestedBy: 'nest', actor: 'nest' });
      expect(job.requestedBy).toBe('nest');
      expect(await store.finishJob(ref, outcome({ state: 'failed', now: T0 + 10, actor: 'worker:a' }))).toBe(true);
      const retried = await store.retryJob(job.id, T0 + 20, 'ops-alice', 'retry requested');
      expect(retried).toMatchObject({ state: 'pending', requestedBy: 'nest' });
      expect(await store.cancelJob(job.id, T0 + 30, 'ops-bob', 'operator cancelled')).toMatchObject({ state: 'cancelled' });
      const ts = (await store.listTransitions(job.id)).map((t) => `${t.fromState}->${t.toState} by ${t.actor} for ${t.requestedBy}`);
      expect(ts).toEqual([
        'null->pending by nest for nest',
        'pending->running by worker:a for nest',
        'running->failed by worker:a for nest',
        'failed->pending by ops-alice for ops-alice',
        'pending->cancelled by ops-bob for ops-bob',
      ]);
    });

    it('a schedule-made job is requested by the scheduler; the sweeper records itself when it exhausts a job', async () => {
      const { job } = await store.insertJob(newJob({ requestedBy: 'scheduler', actor: 'scheduler:daily', maxAttempts: 1 }));
      expect((await store.getJob(job.id))!.requestedBy).toBe('scheduler');
      expect(await store.claimJob(claimReq(job.id, { now: T0 }))).not.toBeNull();
      expect(await store.exhaustExpiredFinalAttempts(T0 + 2 * MIN, 'sweeper')).toEqual([job.id]);
      const ts = await store.listTransitions(job.id);
      expect(ts.map((t) => t.requestedBy)).toEqual(['scheduler', 'scheduler', 'sweeper']);
      expect(ts[2]).toMatchObject({ toState: 'exhausted', actor: 'sweeper' });
    });
  });
}
