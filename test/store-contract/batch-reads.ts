/**
 * Part of the Store contract (test/store-contract.ts): reads of many rows in few queries. getJobs answers what
 * getJob would for each id; latestPublications answers what latestPublication(pipeline) would for each pipeline.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports';
import { T0, decided, newJob, publication, uuid, withStore, type MakeStore } from './fixtures';

export function describeBatchReads(makeStore: MakeStore): void {
  describe('batch reads', () => {
    let store: Store;
    withStore(makeStore, (s) => (store = s));

    it('getJobs returns the stored jobs of the ids given (beyond one IN list), leaving out unknown ids', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 95; i++) ids.push((await store.insertJob(newJob({ scopeKey: `track=j${i}` }))).job.id);
      const got = await store.getJobs([...ids, uuid(), ids[0]!]);
      expect(got.map((j) => j.id).sort()).toEqual([...ids].sort());
      expect(got.find((j) => j.id === ids[7])).toEqual(await store.getJob(ids[7]!));
      expect(await store.getJobs([])).toEqual([]);
    });

    it('latestPublications answers latestPublication(pipeline) for every pipeline at once', async () => {
      const pubs = [
        { pipeline: 'test.a', scopeKey: 'track=1', sequence: 1, publishedAt: T0 + 1_000 },
        // A scope has one active job at a time: the second publication of a scope comes from its own scope key here.
        { pipeline: 'test.a', scopeKey: 'track=3', sequence: 2, publishedAt: T0 + 3_000 },
        { pipeline: 'test.a', scopeKey: 'track=2', sequence: 1, publishedAt: T0 + 2_000 },
        { pipeline: 'test.b', scopeKey: 'track=1', sequence: 1, publishedAt: T0 + 500 },
        { pipeline: 'test.c', scopeKey: 'track=1', sequence: 1, publishedAt: T0 + 9_000 },
      ];
      for (const p of pubs) {
        const { job } = await store.insertJob(newJob({ pipeline: p.pipeline, scopeKey: p.scopeKey }));
        const pub = publication(job.id, p.sequence, p);
        await store.recordDecision(
          decided(
            job.id,
            {
              decision: pub.publicationDecision,
              reason: 'r',
              classification: pub.changeClassification,
              publicationId: pub.id,
              now: p.publishedAt,
            },
            { pipeline: p.pipeline, scopeKey: p.scopeKey },
          ),
          pub,
        );
      }
      const latest = await store.latestPublications(['test.a', 'test.b', 'test.none']);
      const expected = [await store.latestPublication('test.a'), await store.latestPublication('test.b')];
      expect(latest.sort((x, y) => x.pipeline.localeCompare(y.pipeline))).toEqual(expected);
      expect(latest.map((p) => [p.pipeline, p.scopeKey, p.sequence])).toEqual([
        ['test.a', 'track=3', 2],
        ['test.b', 'track=1', 1],
      ]);
      expect(await store.latestPublications([])).toEqual([]);
    });
  });
}
