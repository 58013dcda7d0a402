/**
 * Part of the Store contract (test/store-contract.ts): the publisher's one-transaction write (commitDecision)
 * and the sweeper's end of a final attempt that died after that write (RULES.complete) or before it (exhaust).
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports';
import {
  MIN,
  T0,
  claimReq,
  decided,
  newJob,
  outcome,
  path,
  publication,
  refOf,
  seedNormalized,
  withStore,
  type MakeStore,
} from './fixtures';

export function describeDecisions(makeStore: MakeStore): void {
  describe('decision commits and dead final attempts', () => {
    let store: Store;
    const claimed = withStore(makeStore, (s) => (store = s));
    const first = (jobId: string, pubId: string | null, now = T0 + 200) =>
      decided(jobId, {
        decision: pubId ? 'PUBLISH_FIRST' : 'SKIP_NO_CHANGE',
        reason: pubId ? 'first' : 'same',
        classification: pubId ? 'FIRST_PUBLICATION' : 'NO_CHANGE',
        publicationId: pubId,
        now,
      });

    it('commits a decision and the job success in one transaction, only on a base still the latest and a claim still held', async () => {
      const a = await claimed();
      const claim = { jobId: a.job.id, claimToken: a.req.claimToken };
      const pub = publication(a.job.id, 1);
      const finish = { ref: a.ref, outcome: outcome({ state: 'succeeded', now: T0 + 200, result: { decision: 'PUBLISH_FIRST' } }) };

      const lost = await store.commitDecision({
        result: first(a.job.id, pub.id),
        publication: pub,
        claim: { ...claim, claimToken: 'x' },
        basedOnSequence: 0,
        finish,
      });
      expect(lost).toEqual({ kind: 'lease_lost' });
      expect(await store.getPublication(pub.id)).toBeNull();
      expect(await store.getJob(a.job.id)).toMatchObject({ state: 'running' });

      // Another job of the scope published while this one worked: its decision was taken on an old base.
      // (Its job row sits in another scope only because one scope holds one active job; its publication is track=a's.)
      const otherJob = (await claimed({ scopeKey: 'track=other' })).job.id;
      const other = publication(otherJob, 1);
      await store.recordDecision(first(otherJob, other.id), other);
      const stale = await store.commitDecision({
        result: first(a.job.id, pub.id),
        publication: { ...pub, sequence: 1 },
        claim,
        basedOnSequence: 0,
        finish,
      });
      expect(stale).toEqual({ kind: 'stale' });
      expect(await store.getNormalized(a.job.id)).toBeNull();
      expect(await store.getJob(a.job.id)).toMatchObject({ state: 'running' });

      const next = { ...pub, sequence: 2, supersedesId: other.id };
      const saved = await store.commitDecision({ result: first(a.job.id, pub.id), publication: next, claim, basedOnSequence: 1, finish });
      expect(saved).toEqual({ kind: 'saved', finished: true, deliveries: 0 });
      expect(await store.getPublication(pub.id)).toEqual(next);
      expect(await store.getNormalized(a.job.id)).toMatchObject({ publicationDecision: 'PUBLISH_FIRST', publicationId: pub.id });
      expect(await store.getJob(a.job.id)).toMatchObject({
        state: 'succeeded',
        result: { decision: 'PUBLISH_FIRST' },
        finishedAt: T0 + 200,
      });
      expect((await store.listAttempts(a.job.id)).map((x) => x.state)).toEqual(['succeeded']);
      expect(path(await store.listTransitions(a.job.id)).at(-1)).toBe('running->succeeded:to succeeded');
    });

    it('a claim asked for the latest publication reads it in its own transaction (null for none, the newest otherwise)', async () => {
      const a = await store.insertJob(newJob());
      const reqA = { ...claimReq(a.job.id), withLatestPublication: true as const };
      const claimedA = await store.claimJob(reqA);
      expect(claimedA?.latestPublication).toBeNull();
      const other = (await claimed({ scopeKey: 'track=other' })).job.id;
      const p1 = publication(a.job.id, 1);
      await store.recordDecision(first(a.job.id, p1.id), p1);
      const p2 = publication(other, 2, { supersedesId: p1.id });
      await store.recordDecision(first(other, p2.id), p2);
      expect(await store.finishJob(refOf(reqA, claimedA!), outcome({ state: 'succeeded', now: T0 + 1 }))).toBe(true);

      const b = await store.insertJob(newJob({ idempotencyKey: 'b' }));
      const claimedB = await store.claimJob({ ...claimReq(b.job.id), withLatestPublication: true });
      expect(claimedB?.latestPublication).toEqual(p2);
      const c = await store.insertJob(newJob({ scopeKey: 'track=c' }));
      expect(await store.claimJob(claimReq(c.job.id))).not.toHaveProperty('latestPublication');
    });

    it('commits a no-change decision without finishing when asked so; the job stays running under its claim', async () => {
      const a = await claimed();
      const saved = await store.commitDecision({
        result: first(a.job.id, null),
        publication: null,
        claim: { jobId: a.job.id, claimToken: a.req.claimToken },
        basedOnSequence: 0,
      });
      expect(saved).toEqual({ kind: 'saved', finished: false, deliveries: 0 });
      expect(await store.getJob(a.job.id)).toMatchObject({ state: 'running' });
      expect(await store.finishJob(a.ref, outcome({ state: 'succeeded', now: T0 + 300 }))).toBe(true);
    });

    it('completes a dead final attempt whose decision was saved as succeeded; exhausts one without a decision', async () => {
      const decidedJob = await claimed({ maxAttempts: 1 }, T0);
      const bare = await claimed({ scopeKey: 'track=bare', maxAttempts: 1 }, T0);
      const undecided = await claimed({ scopeKey: 'track=undecided', maxAttempts: 1 }, T0);
      const pub = publication(decidedJob.job.id, 1);
      await store.recordDecision(first(decidedJob.job.id, pub.id), pub, {
        jobId: decidedJob.job.id,
        claimToken: decidedJob.req.claimToken,
      });
      // A normalized row without a decision is not a saved decision.
      await seedNormalized(store, undecided.job.id, { scopeKey: 'track=undecided' });
      const now = T0 + 2 * MIN;

      expect(await store.completeDecidedFinalAttempts(now, 'sweeper')).toEqual([decidedJob.job.id]);
      expect(await store.getJob(decidedJob.job.id)).toMatchObject({
        state: 'succeeded',
        finishedAt: now,
        leaseUntil: null,
        lastErrorCode: null,
      });
      expect((await store.listAttempts(decidedJob.job.id))[0]).toMatchObject({
        state: 'failed',
        errorCode: 'LEASE_EXPIRED',
        finishedAt: now,
      });
      const t = await store.listTransitions(decidedJob.job.id);
      expect(path(t).at(-1)).toBe('running->succeeded:final attempt died after its decision was saved');
      expect(t.at(-1)).toMatchObject({ actor: 'sweeper', at: now });
      // The dead attempt's late finish cannot land any more.
      expect(await store.finishJob(decidedJob.ref, outcome({ state: 'succeeded', now: now + 1 }))).toBe(false);

      expect((await store.exhaustExpiredFinalAttempts(now, 'sweeper')).sort()).toEqual([bare.job.id, undecided.job.id].sort());
      expect(await store.completeDecidedFinalAttempts(now, 'sweeper')).toEqual([]);
      expect(await store.getJob(decidedJob.job.id)).toMatchObject({ state: 'succeeded' });
    });
  });
}
