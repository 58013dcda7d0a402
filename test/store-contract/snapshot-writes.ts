/**
 * Part of the Store contract (test/store-contract.ts): the raw_snapshots rows of an attempt written with its other
 * guarded writes (src/runtime/pending-snapshots.ts): a flush under the claim, the decision batch, the finish. Each
 * lands only when its guard holds; a row whose identity is stored already is skipped, not an error.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports';
import { T0, firstPublication, outcome, snapshot, withStore, type MakeStore } from './fixtures';

export function describeSnapshotWrites(makeStore: MakeStore): void {
  describe('snapshot rows with guarded writes', () => {
    let store: Store;
    const claimed = withStore(makeStore, (s) => (store = s));
    const attemptsOf = async (jobId: string) => (await store.listSnapshots(jobId)).map((s) => [s.attemptNumber, s.resourceKey]);

    it('flushes rows only while the claim holds, skipping a row stored already, and says which it wrote', async () => {
      const a = await claimed();
      const claim = { jobId: a.job.id, claimToken: a.req.claimToken };
      const one = snapshot(a.job.id, { resourceKey: 'one' });
      const two = snapshot(a.job.id, { resourceKey: 'two' });
      expect(await store.insertSnapshots([], claim)).toEqual([]);
      expect(await store.insertSnapshots([one], { ...claim, claimToken: 'not-ours' })).toEqual([]);
      expect(await attemptsOf(a.job.id)).toEqual([]);
      expect(await store.insertSnapshots([one], claim)).toEqual([one.id]);
      // The same identity under a new id (a repeated flush) is skipped; the new row lands.
      expect(await store.insertSnapshots([{ ...one, id: crypto.randomUUID() }, two], claim)).toEqual([two.id]);
      expect(await attemptsOf(a.job.id)).toEqual([
        [1, 'one'],
        [1, 'two'],
      ]);
    });

    it('writes the rows with the decision only when the decision lands, before the finish ends the claim', async () => {
      const a = await claimed();
      const claim = { jobId: a.job.id, claimToken: a.req.claimToken };
      const { pub, result } = firstPublication(a.job.id, T0 + 200);
      const snapshots = [snapshot(a.job.id), snapshot(a.job.id, { resourceKey: 'entries', status: 404 })];
      const finish = { ref: a.ref, outcome: outcome({ state: 'succeeded', now: T0 + 200, result: { decision: 'PUBLISH_FIRST' } }) };
      const lost = await store.commitDecision({
        result,
        publication: pub,
        claim: { ...claim, claimToken: 'x' },
        basedOnSequence: 0,
        snapshots,
      });
      expect(lost).toEqual({ kind: 'lease_lost' });
      expect(await attemptsOf(a.job.id)).toEqual([]);
      const saved = await store.commitDecision({ result, publication: pub, claim, basedOnSequence: 0, finish, snapshots });
      expect(saved).toEqual({ kind: 'saved', finished: true, deliveries: 0 });
      expect(await attemptsOf(a.job.id)).toEqual([
        [1, 'entries'],
        [1, 'events'],
      ]);
      expect(await store.getJob(a.job.id)).toMatchObject({ state: 'succeeded' });
    });

    it('writes the rows with a finish that lands, and none with one refused', async () => {
      const a = await claimed();
      const rows = [snapshot(a.job.id, { status: 503 })];
      const retry = outcome({ state: 'pending', now: T0 + 10, nextRetryAt: T0 + 1_000, snapshots: rows });
      expect(await store.finishJob({ ...a.ref, claimToken: 'stale' }, retry)).toBe(false);
      expect(await attemptsOf(a.job.id)).toEqual([]);
      expect(await store.finishJob(a.ref, retry)).toBe(true);
      expect((await store.listSnapshots(a.job.id)).map((s) => [s.attemptNumber, s.status])).toEqual([[1, 503]]);
      expect(await store.getJob(a.job.id)).toMatchObject({ state: 'pending' });
    });
  });
}
