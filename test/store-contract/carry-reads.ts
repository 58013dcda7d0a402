/**
 * Part of the Store contract (test/store-contract.ts): carryReads, what a pipeline's `carryOver` reads in one round
 * trip. previousSeenAt is pinned against the reads it replaced (latestFetchedNormalized for the confirming job, then
 * that job's snapshots of its last attempt), so the one statement answers what they answered.
 */
import { describe, expect, it } from 'vitest';
import type { CarryReadRequest, Store } from '../../src/core/ports';
import type { Publication } from '../../src/core/types';
import { latestFetchedAt } from '../../src/runtime/normalize-step';
import { T0, decided, newJob, outcome, publication, snapshot, uuid, withStore, type MakeStore } from './fixtures';

const H1 = '1'.repeat(64);
const H2 = '2'.repeat(64);

export function describeCarryReads(makeStore: MakeStore): void {
  describe('carryReads', () => {
    let store: Store;
    const claimed = withStore(makeStore, (s) => (store = s));

    /** A fetch job of track=a at `now`: its snapshots ([attempt, fetchedAt]), its result, a publication if `sequence`. */
    async function fetchJob(
      now: number,
      o: { hash: string; snaps?: Array<[number, number]>; sequence?: number; state?: 'succeeded' | 'failed'; mode?: 'fetch' | 'replay' },
    ): Promise<{ jobId: string; pub: Publication | null }> {
      const { job, ref } = await claimed({ mode: o.mode ?? 'fetch', now }, now);
      // Distinct resource keys: a snapshot's identity is (job, attempt, resource, sha256).
      for (const [i, [attemptNumber, fetchedAt]] of (o.snaps ?? []).entries())
        expect(await store.insertSnapshot(snapshot(job.id, { attemptNumber, fetchedAt, resourceKey: `r${i}` }))).toBe(true);
      const pub = o.sequence ? publication(job.id, o.sequence, { normalizedHash: o.hash, publishedAt: now + 5 }) : null;
      const d = pub
        ? ({ decision: pub.publicationDecision, reason: 'r', classification: pub.changeClassification, publicationId: pub.id } as const)
        : ({ decision: 'SKIP_NO_CHANGE', reason: 'same', classification: 'NO_CHANGE', publicationId: null } as const);
      await store.recordDecision(decided(job.id, { ...d, now: now + 5 }, { normalizedHash: o.hash, createdAt: now + 1 }), pub);
      await store.finishJob(ref, outcome({ state: o.state ?? 'succeeded', now: now + 6 }));
      return { jobId: job.id, pub };
    }

    const ask = (previous: Publication | null, excludeJobId = uuid(), related: CarryReadRequest['related'] = null) =>
      store.carryReads({ pipeline: 'test.pipeline', scopeKey: 'track=a', previous, excludeJobId, related });

    /** previousSeenAt as the three sequential reads computed it before carryReads. */
    async function seenBefore(previous: Publication, excludeJobId: string): Promise<number | null> {
      const latest = await store.latestFetchedNormalized('test.pipeline', 'track=a');
      const confirming =
        latest && latest.jobId !== excludeJobId && latest.normalizedHash === previous.normalizedHash ? latest.jobId : previous.jobId;
      const snaps = await store.listSnapshots(confirming);
      const last = Math.max(0, ...snaps.map((s) => s.attemptNumber));
      return latestFetchedAt(snaps.filter((s) => s.attemptNumber === last));
    }

    async function expectSeen(previous: Publication, seenAt: number | null, excludeJobId = uuid()) {
      expect(await seenBefore(previous, excludeJobId)).toBe(seenAt);
      expect(await ask(previous, excludeJobId)).toEqual({ previousSeenAt: seenAt, related: [] });
    }

    it('reads nothing without a previous publication or related scopes', async () => {
      expect(await ask(null)).toEqual({ previousSeenAt: null, related: [] });
      await fetchJob(T0, { hash: H1, snaps: [[1, T0 + 10]] }); // a fetch without a publication is no previous
      expect(await ask(null)).toEqual({ previousSeenAt: null, related: [] });
    });

    it("the publication's own fetch; a later unchanged re-sync confirms it; a later changed result does not", async () => {
      const { pub } = await fetchJob(T0, { hash: H1, snaps: [[1, T0 + 10]], sequence: 1 });
      await expectSeen(pub!, T0 + 10);
      // Another job's result that hashed alike (skipped as unchanged): its fetch is the latest sighting.
      const resync = await fetchJob(T0 + 1_000, { hash: H1, snaps: [[1, T0 + 1_010]] });
      await expectSeen(pub!, T0 + 1_010);
      // The running job's own earlier result never confirms: back to the publication's job, not to an older re-sync.
      await expectSeen(pub!, T0 + 10, resync.jobId);
      // Failed and replay jobs are no fetch that confirmed anything.
      await fetchJob(T0 + 2_000, { hash: H2, snaps: [[1, T0 + 2_010]], state: 'failed' });
      await fetchJob(T0 + 3_000, { hash: H1, snaps: [[1, T0 + 3_010]], mode: 'replay' });
      await expectSeen(pub!, T0 + 1_010);
      // The newest fetched result hashed otherwise (held, say): the publication's job, even with a re-sync between.
      await fetchJob(T0 + 4_000, { hash: H2, snaps: [[1, T0 + 4_010]] });
      await expectSeen(pub!, T0 + 10);
    });

    it("counts only the confirming job's last attempt; none without snapshots", async () => {
      const { pub } = await fetchJob(T0, {
        hash: H1,
        sequence: 1,
        // Attempt 1 fetched later than attempt 2 (another clock): still attempt 2's newest.
        snaps: [
          [1, T0 + 10],
          [1, T0 + 90],
          [2, T0 + 40],
          [2, T0 + 50],
        ],
      });
      await expectSeen(pub!, T0 + 50);
      await fetchJob(T0 + 1_000, { hash: H1 }); // confirms, but stored no snapshot
      await expectSeen(pub!, null);
    });

    it('lists the latest publication time of every scope under a scope-key prefix, with the seen-at in one call', async () => {
      const mk = async (scopeKey: string, sequence: number, publishedAt: number, supersedesId: string | null = null) => {
        // One active job per scope: each publication's job has a scope key of its own.
        const { job } = await store.insertJob(newJob({ pipeline: 'test.deep', scopeKey: `${scopeKey}#${sequence}` }));
        const p = publication(job.id, sequence, { pipeline: 'test.deep', scopeKey, publishedAt, supersedesId });
        const d = { decision: p.publicationDecision, reason: 'r', classification: p.changeClassification, publicationId: p.id };
        await store.recordDecision(decided(p.jobId, { ...d, now: publishedAt }, { pipeline: 'test.deep', scopeKey }), p);
        return p;
      };
      const a1 = await mk('track_slug=x&event_id=1', 1, T0 + 1_000);
      await mk('track_slug=x&event_id=1', 2, T0 + 4_000, a1.id);
      await mk('track_slug=x&event_id=22', 1, T0 + 2_000);
      await mk('track_slug=xy&event_id=3', 1, T0 + 3_000); // another track whose slug starts alike
      await mk('track_slug=y&event_id=1', 1, T0 + 5_000);
      const under = (scopeKeyPrefix: string, pipeline = 'test.deep') => ask(null, uuid(), { pipeline, scopeKeyPrefix });
      const expected = [
        { scopeKey: 'track_slug=x&event_id=1', publishedAt: T0 + 4_000 },
        { scopeKey: 'track_slug=x&event_id=22', publishedAt: T0 + 2_000 },
      ];
      expect(await under('track_slug=x&event_id=')).toEqual({ previousSeenAt: null, related: expected });
      // `_` and `%` are plain characters here, not LIKE wildcards
      expect((await under('track%slug=x')).related).toEqual([]);
      expect((await under('track slug=x')).related).toEqual([]);
      expect((await under('track_slug=x&event_id=', 'test.none')).related).toEqual([]);
      // Both answers at once, as a catalogue re-sync asks them.
      const { pub } = await fetchJob(T0 + 6_000, { hash: H1, snaps: [[1, T0 + 6_010]], sequence: 1 });
      const rel = { pipeline: 'test.deep', scopeKeyPrefix: 'track_slug=x&event_id=' };
      expect(await ask(pub, uuid(), rel)).toEqual({ previousSeenAt: T0 + 6_010, related: expected });
      expect(await ask(pub, uuid(), { ...rel, scopeKeyPrefix: 'none=' })).toEqual({ previousSeenAt: T0 + 6_010, related: [] });
    });
  });
}
