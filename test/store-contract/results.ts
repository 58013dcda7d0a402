/**
 * Part of the Store contract (test/store-contract.ts): snapshots, normalized results, publication decisions and the publication chain.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports';
import {
  T0,
  decided,
  isUniqueViolation,
  newJob,
  normalizedRow,
  outcome,
  publication,
  seedNormalized,
  snapshot,
  firstPublication,
  uuid,
  withStore,
  type MakeStore,
} from './fixtures';

export function describeResults(makeStore: MakeStore): void {
  describe('snapshots, normalized results, publications', () => {
    let store: Store;
    const claimed = withStore(makeStore, (s) => (store = s));

    it('records a snapshot once per identity (job, attempt, resource, sha256)', async () => {
      const { job } = await claimed();
      const first = snapshot(job.id);
      expect(await store.insertSnapshot(first)).toBe(true);
      expect(await store.insertSnapshot({ ...first, id: uuid(), fetchedAt: T0 + 99 })).toBe(false);
      expect(await store.insertSnapshot(snapshot(job.id, { sha256: 'b'.repeat(64), fetchedAt: T0 + 20 }))).toBe(true);
      expect(await store.insertSnapshot(snapshot(job.id, { attemptNumber: 2, fetchedAt: T0 + 30 }))).toBe(true);
      expect(await store.insertSnapshot(snapshot(job.id, { resourceKey: 'Entries', fetchedAt: T0 + 10 }))).toBe(true);
      expect(await store.insertSnapshot(snapshot(job.id, { resourceKey: 'entries', fetchedAt: T0 + 10 }))).toBe(true);
      expect(await store.listSnapshots(uuid())).toEqual([]);
      const listed = await store.listSnapshots(job.id);
      expect(listed.map((s) => [s.attemptNumber, s.fetchedAt, s.resourceKey, s.sha256[0]])).toEqual([
        [1, T0 + 10, 'Entries', 'a'],
        [1, T0 + 10, 'entries', 'a'],
        [1, T0 + 10, 'events', 'a'],
        [1, T0 + 20, 'events', 'b'],
        [2, T0 + 30, 'events', 'a'],
      ]);
      const { pipeline: _p, scopeKey: _s, ...expected } = first;
      expect(listed[2]).toEqual(expected);
      expect(await store.getSnapshotBySha('b'.repeat(64))).toMatchObject({ jobId: job.id, sha256: 'b'.repeat(64), fetchedAt: T0 + 20 });
      expect(await store.getSnapshotBySha('f'.repeat(64))).toBeNull();
    });

    it('upserts the normalized result of a job idempotently', async () => {
      const { job } = await claimed();
      expect(await store.getNormalized(job.id)).toBeNull();
      await seedNormalized(store, job.id);
      await seedNormalized(store, job.id);
      expect(await store.getNormalized(job.id)).toEqual({
        ...normalizedRow(job.id),
        publicationDecision: null,
        publicationReason: null,
        changeClassification: null,
        publicationId: null,
      });
      await store.recordDecision(
        decided(job.id, { decision: 'SKIP_NO_CHANGE', reason: 'same', classification: 'NO_CHANGE', publicationId: null, now: T0 + 150 }),
        null,
      );
      expect(await store.getNormalized(job.id)).toMatchObject({
        publicationDecision: 'SKIP_NO_CHANGE',
        publicationReason: 'same',
        changeClassification: 'NO_CHANGE',
        updatedAt: T0 + 150,
      });
      // A repeated execution overwrites the canonical record, its decision included, but keeps its creation time.
      const again = { normalizedHash: 'm'.repeat(64), entityCount: 8, payloadKey: 'normalized/m.json', createdAt: T0 + 500 };
      await store.recordDecision(
        decided(
          job.id,
          { decision: 'PUBLISH_CHANGED', reason: 'new', classification: 'CONTENT_CHANGED', publicationId: null, now: T0 + 500 },
          again,
        ),
        null,
      );
      expect(await store.getNormalized(job.id)).toMatchObject({
        normalizedHash: 'm'.repeat(64),
        entityCount: 8,
        payloadKey: 'normalized/m.json',
        createdAt: T0 + 100,
        updatedAt: T0 + 500,
      });
      expect(await store.getNormalized(job.id)).toMatchObject({
        publicationDecision: 'PUBLISH_CHANGED',
        publicationReason: 'new',
        changeClassification: 'CONTENT_CHANGED',
      });
    });

    it('finds the latest normalized result of a succeeded fetch job for a scope', async () => {
      const older = await claimed({ scopeKey: 'track=a' }, T0);
      await seedNormalized(store, older.job.id, { normalizedHash: '1'.repeat(64), createdAt: T0 + 10 });
      await store.finishJob(older.ref, outcome({ state: 'succeeded', now: T0 + 11 }));
      const newer = await claimed({ scopeKey: 'track=a', now: T0 + 20 }, T0 + 20);
      await seedNormalized(store, newer.job.id, { normalizedHash: '2'.repeat(64), createdAt: T0 + 30 });
      // Not finished yet: still the older one.
      expect((await store.latestFetchedNormalized('test.pipeline', 'track=a'))?.jobId).toBe(older.job.id);
      await store.finishJob(newer.ref, outcome({ state: 'succeeded', now: T0 + 31 }));
      expect((await store.latestFetchedNormalized('test.pipeline', 'track=a'))?.jobId).toBe(newer.job.id);
      const replay = await claimed({ scopeKey: 'track=a', mode: 'replay', now: T0 + 40 }, T0 + 40);
      await seedNormalized(store, replay.job.id, { createdAt: T0 + 50 });
      await store.finishJob(replay.ref, outcome({ state: 'succeeded', now: T0 + 51 }));
      const failed = await claimed({ scopeKey: 'track=a', now: T0 + 60 }, T0 + 60);
      await seedNormalized(store, failed.job.id, { createdAt: T0 + 70 });
      await store.finishJob(failed.ref, outcome({ state: 'failed', now: T0 + 71 }));
      expect((await store.latestFetchedNormalized('test.pipeline', 'track=a'))?.jobId).toBe(newer.job.id);
      expect(await store.latestFetchedNormalized('test.pipeline', 'track=zzz')).toBeNull();
      expect(await store.latestFetchedNormalized('test.other', 'track=a')).toBeNull();
    });

    it('records a decision with its normalized result (inserted or overwritten), without a publication', async () => {
      const a = await claimed();
      const held = decided(a.job.id, {
        decision: 'HOLD_DRIFT',
        reason: 'too many removed',
        classification: 'DRIFT_SUSPECTED',
        publicationId: null,
        now: T0 + 150,
      });
      await store.recordDecision(held, null);
      expect(await store.getNormalized(a.job.id)).toEqual(held);
      expect(await store.latestPublication('test.pipeline', 'track=a')).toBeNull();

      const b = await claimed({ scopeKey: 'track=b' });
      await seedNormalized(store, b.job.id, { scopeKey: 'track=b' });
      const skipped = decided(
        b.job.id,
        { decision: 'SKIP_NO_CHANGE', reason: 'same', classification: 'NO_CHANGE', publicationId: null, now: T0 + 300 },
        { scopeKey: 'track=b', normalizedHash: 'q'.repeat(64), createdAt: T0 + 250 },
      );
      await store.recordDecision(skipped, null);
      // Overwritten in place: everything but the creation time.
      expect(await store.getNormalized(b.job.id)).toEqual({ ...skipped, createdAt: T0 + 100 });
    });

    it('records a decision with its normalized result and the publication in one transaction', async () => {
      const a = await claimed();
      const { pub, result } = firstPublication(a.job.id, T0 + 200);
      await store.recordDecision(result, pub);
      expect(await store.getPublication(pub.id)).toEqual(pub);
      expect(await store.getNormalized(a.job.id)).toEqual(result);
      expect(await store.getPublication(uuid())).toBeNull();
    });

    it('finds the earliest publication of a pipeline written by another job that read the same bytes', async () => {
      const sha = 'd'.repeat(64);
      const a = await claimed();
      const b = await claimed({ scopeKey: 'track=b' });
      const c = await claimed({ scopeKey: 'track=c' });
      for (const j of [a, b, c]) await store.insertSnapshot(snapshot(j.job.id, { sha256: sha }));
      expect(await store.firstPublishedWithContent('test.pipeline', sha, c.job.id)).toBeNull();
      const pubB = publication(b.job.id, 1, { scopeKey: 'track=b', publishedAt: T0 + 100 });
      const decision = { decision: 'PUBLISH_FIRST', reason: 'first', classification: 'FIRST_PUBLICATION', now: T0 + 100 } as const;
      await store.recordDecision(decided(b.job.id, { ...decision, publicationId: pubB.id }, { scopeKey: 'track=b' }), pubB);
      const pubA = publication(a.job.id, 1, { publishedAt: T0 + 200 });
      await store.recordDecision(decided(a.job.id, { ...decision, publicationId: pubA.id }), pubA);
      expect(await store.firstPublishedWithContent('test.pipeline', sha, c.job.id)).toEqual({ jobId: b.job.id, publicationId: pubB.id });
      // Its own publication never makes a job a duplicate; another pipeline's never does either.
      expect(await store.firstPublishedWithContent('test.pipeline', sha, b.job.id)).toEqual({ jobId: a.job.id, publicationId: pubA.id });
      expect(await store.firstPublishedWithContent('other.pipeline', sha, c.job.id)).toBeNull();
      expect(await store.firstPublishedWithContent('test.pipeline', 'e'.repeat(64), c.job.id)).toBeNull();
    });

    it('writes a decision under a claim only while that claim still holds the job', async () => {
      const a = await claimed();
      const claim = { jobId: a.job.id, claimToken: a.req.claimToken };
      const { pub, result } = firstPublication(a.job.id, T0 + 200);
      expect(await store.recordDecision(result, pub, { ...claim, claimToken: 'someone-else' })).toBe(false);
      expect(await store.getPublication(pub.id)).toBeNull();
      expect(await store.getNormalized(a.job.id)).toBeNull();
      expect(await store.recordDecision(result, pub, claim)).toBe(true);
      expect(await store.getPublication(pub.id)).toEqual(pub);
      expect(await store.getNormalized(a.job.id)).toEqual(result);

      const b = await claimed({ scopeKey: 'track=b' });
      await store.cancelJob(b.job.id, T0 + 10, 'test', 'operator cancelled');
      const skipped = decided(
        b.job.id,
        { decision: 'SKIP_NO_CHANGE', reason: 'same', classification: 'NO_CHANGE', publicationId: null, now: T0 + 300 },
        { scopeKey: 'track=b' },
      );
      expect(await store.recordDecision(skipped, null, { jobId: b.job.id, claimToken: b.req.claimToken })).toBe(false);
      expect(await store.getNormalized(b.job.id)).toBeNull();
    });

    it('rejects a second publication for the same job as a unique violation, changing nothing', async () => {
      const a = await claimed();
      await seedNormalized(store, a.job.id);
      const first = publication(a.job.id, 1);
      await store.recordDecision(
        decided(a.job.id, {
          decision: 'PUBLISH_FIRST',
          reason: 'first',
          classification: 'FIRST_PUBLICATION',
          publicationId: first.id,
          now: T0 + 200,
        }),
        first,
      );
      const again = publication(a.job.id, 2);
      const err = await store
        .recordDecision(
          decided(a.job.id, {
            decision: 'PUBLISH_CHANGED',
            reason: 'again',
            classification: 'CONTENT_CHANGED',
            publicationId: again.id,
            now: T0 + 300,
          }),
          again,
        )
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).not.toBeNull();
      expect(isUniqueViolation(err)).toBe(true);
      expect(await store.getPublication(again.id)).toBeNull();
      expect(await store.getNormalized(a.job.id)).toMatchObject({
        publicationDecision: 'PUBLISH_FIRST',
        publicationId: first.id,
        updatedAt: T0 + 200,
      });
    });

    it('lets exactly one of two racing publishers append a (pipeline, scope, sequence) link; loser: unique violation', async () => {
      const a = await claimed();
      const b = await claimed({ scopeKey: 'track=b' });
      await seedNormalized(store, a.job.id);
      await seedNormalized(store, b.job.id);
      const pa = publication(a.job.id, 1);
      const pb = publication(b.job.id, 1); // same pipeline, scope (track=a) and sequence
      const results = await Promise.allSettled([
        store.recordDecision(
          decided(a.job.id, {
            decision: 'PUBLISH_FIRST',
            reason: 'a',
            classification: 'FIRST_PUBLICATION',
            publicationId: pa.id,
            now: T0 + 200,
          }),
          pa,
        ),
        store.recordDecision(
          decided(b.job.id, {
            decision: 'PUBLISH_FIRST',
            reason: 'b',
            classification: 'FIRST_PUBLICATION',
            publicationId: pb.id,
            now: T0 + 200,
          }),
          pb,
        ),
      ]);
      const fulfilled = results.filter((r) => r.status === 'fulfilled');
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(isUniqueViolation(rejected[0]!.reason)).toBe(true);
      const winner = results[0]!.status === 'fulfilled' ? { job: a.job.id, pub: pa.id } : { job: b.job.id, pub: pb.id };
      const loser = winner.job === a.job.id ? b.job.id : a.job.id;
      expect(await store.listPublications('test.pipeline', 'track=a', null, 10)).toEqual([
        expect.objectContaining({ id: winner.pub, sequence: 1 }),
      ]);
      expect(await store.getNormalized(winner.job)).toMatchObject({ publicationId: winner.pub });
      expect(await store.getNormalized(loser)).toMatchObject({ publicationDecision: null, publicationId: null });
    });

    it('returns the latest publication per scope or per pipeline, and pages a scope newest first', async () => {
      const jobs: string[] = [];
      for (let i = 0; i < 4; i++) jobs.push((await store.insertJob(newJob({ scopeKey: `track=p${i}` }))).job.id);
      const p1 = publication(jobs[0]!, 1, { publishedAt: T0 + 1_000 });
      const p2 = publication(jobs[1]!, 2, { supersedesId: p1.id, publishedAt: T0 + 2_000 });
      const p3 = publication(jobs[2]!, 3, { supersedesId: p2.id, publishedAt: T0 + 3_000 });
      const other = publication(jobs[3]!, 1, { scopeKey: 'track=b', publishedAt: T0 + 5_000 });
      for (const p of [p1, p2, p3, other]) {
        await store.recordDecision(
          decided(p.jobId, {
            decision: p.publicationDecision,
            reason: 'r',
            classification: p.changeClassification,
            publicationId: p.id,
            now: p.publishedAt,
          }),
          p,
        );
      }
      expect(await store.latestPublication('test.pipeline', 'track=a')).toEqual(p3);
      expect(await store.latestPublication('test.pipeline', 'track=b')).toEqual(other);
      expect(await store.latestPublication('test.pipeline')).toEqual(other);
      expect(await store.latestPublication('test.pipeline', 'track=none')).toBeNull();
      expect(await store.latestPublication('test.none')).toBeNull();
      expect((await store.listPublications('test.pipeline', 'track=a', null, 10)).map((p) => p.sequence)).toEqual([3, 2, 1]);
      expect((await store.listPublications('test.pipeline', 'track=a', null, 2)).map((p) => p.sequence)).toEqual([3, 2]);
      expect((await store.listPublications('test.pipeline', 'track=a', 2, 10)).map((p) => p.id)).toEqual([p1.id]);
      expect(await store.listPublications('test.pipeline', 'track=a', 1, 10)).toEqual([]);
      expect(await store.listPublications('test.pipeline', 'track=none', null, 10)).toEqual([]);
    });
  });
}
