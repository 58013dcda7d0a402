/**
 * Part of the Store contract (test/store-contract.ts): schedules (upsert, due, advance exactly once) and metrics.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports';
import { MIN, T0, claimReq, decided, newJob, outcome, publication, seedNormalized, refOf, withStore, type MakeStore } from './fixtures';

export function describeSchedules(makeStore: MakeStore): void {
  describe('schedules and metrics', () => {
    let store: Store;
    const claimed = withStore(makeStore, (s) => (store = s));

    const schedule = (id: string, over: Partial<Parameters<Store['upsertSchedule']>[0]> = {}) => ({
      id,
      pipeline: 'test.pipeline',
      params: { track: id },
      cron: '*/5 * * * *',
      enabled: true,
      nextDueAt: T0,
      createdAt: T0 - 1_000,
      updatedAt: T0 - 1_000,
      ...over,
    });

    it('upserts schedules, lists them by id, and keeps the last enqueued slot across updates', async () => {
      await store.upsertSchedule(schedule('b-sched'));
      await store.upsertSchedule(schedule('a-sched', { enabled: false, cron: '17 4 * * *' }));
      expect(await store.listSchedules()).toEqual([
        { ...schedule('a-sched', { enabled: false, cron: '17 4 * * *' }), lastEnqueuedSlot: null },
        { ...schedule('b-sched'), lastEnqueuedSlot: null },
      ]);
      expect(await store.advanceSchedule('b-sched', T0, T0 + 5 * MIN, T0 + 1)).toBe(true);
      await store.upsertSchedule(
        schedule('b-sched', { cron: '*/10 * * * *', nextDueAt: T0 + 10 * MIN, params: { track: 'z' }, updatedAt: T0 + 2, createdAt: 0 }),
      );
      const [, b] = await store.listSchedules();
      expect(b).toEqual({
        ...schedule('b-sched'),
        cron: '*/10 * * * *',
        nextDueAt: T0 + 10 * MIN,
        params: { track: 'z' },
        updatedAt: T0 + 2,
        lastEnqueuedSlot: T0,
      });
    });

    it('lists due, enabled schedules oldest first, up to the limit', async () => {
      await store.upsertSchedule(schedule('late', { nextDueAt: T0 - 1_000 }));
      await store.upsertSchedule(schedule('later', { nextDueAt: T0 }));
      await store.upsertSchedule(schedule('future', { nextDueAt: T0 + 1 }));
      await store.upsertSchedule(schedule('off', { nextDueAt: T0 - 5_000, enabled: false }));
      expect((await store.dueSchedules(T0, 10)).map((s) => s.id)).toEqual(['late', 'later']);
      expect((await store.dueSchedules(T0, 1)).map((s) => s.id)).toEqual(['late']);
      expect(await store.dueSchedules(T0 - 2_000, 10)).toEqual([]);
    });

    it('advances a schedule from its slot exactly once, even when advances race', async () => {
      await store.upsertSchedule(schedule('s1', { nextDueAt: T0 }));
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => store.advanceSchedule('s1', T0, T0 + 5 * MIN, T0 + i)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const [s] = await store.listSchedules();
      expect(s).toMatchObject({ nextDueAt: T0 + 5 * MIN, lastEnqueuedSlot: T0 });
      expect(await store.advanceSchedule('s1', T0, T0 + 10 * MIN, T0 + 10)).toBe(false);
      expect(await store.advanceSchedule('missing', T0, T0 + 10 * MIN, T0 + 10)).toBe(false);
      expect(await store.dueSchedules(T0 + MIN, 10)).toEqual([]);
    });

    it('reports metrics: jobs by state and pipeline, attempts by outcome, retries, oldest pending, publications', async () => {
      expect(await store.metrics()).toEqual({
        jobsByStateAndPipeline: [],
        attemptsByOutcome: [],
        attemptErrorsByCode: [],
        retriesTotal: 0,
        oldestPendingCreatedAt: null,
        publicationsTotal: 0,
        retriesByPipeline: [],
        attemptDurations: [],
        decisionsByPipeline: [],
        latestPublicationByPipeline: [],
        oldestDueScheduleAt: null,
        recordsByPipeline: [],
        rejectionsByRule: [],
      });

      const a = await claimed({ scopeKey: 'track=a' }, T0);
      await store.finishJob(
        a.ref,
        outcome({
          state: 'pending',
          now: T0 + 1,
          nextRetryAt: T0 + 2,
          error: { category: 'provider', code: 'X', message: 'x', retryable: true },
        }),
      );
      const req = claimReq(a.job.id, { now: T0 + 2 });
      const again = (await store.claimJob(req))!;
      await store.finishJob(refOf(req, again), outcome({ state: 'succeeded', now: T0 + 3 }));
      await seedNormalized(store, a.job.id);
      const pub = publication(a.job.id, 1);
      await store.recordDecision(
        decided(a.job.id, {
          decision: 'PUBLISH_FIRST',
          reason: 'r',
          classification: 'FIRST_PUBLICATION',
          publicationId: pub.id,
          now: T0 + 4,
        }),
        pub,
      );
      await store.insertJob(newJob({ scopeKey: 'track=b', now: T0 + 100 }));
      await store.insertJob(newJob({ scopeKey: 'track=c', now: T0 + 50 }));
      await store.insertJob(newJob({ scopeKey: 'track=a', pipeline: 'test.other', now: T0 + 10 }));
      await claimed({ scopeKey: 'track=d' }, T0 + 5);

      const m = await store.metrics();
      const byKey = (rows: Array<{ state: string; count: number; pipeline?: string }>) =>
        rows.map((r) => `${r.state}/${r.pipeline ?? ''}=${r.count}`).sort();
      expect(byKey(m.jobsByStateAndPipeline)).toEqual([
        'pending/test.other=1',
        'pending/test.pipeline=2',
        'running/test.pipeline=1',
        'succeeded/test.pipeline=1',
      ]);
      expect(byKey(m.attemptsByOutcome)).toEqual(['failed/=1', 'running/=1', 'succeeded/=1']);
      expect(m.attemptErrorsByCode).toEqual([{ code: 'X', count: 1 }]);
      expect(m.retriesTotal).toBe(1);
      expect(m.oldestPendingCreatedAt).toBe(T0 + 10);
      expect(m.publicationsTotal).toBe(1);
      for (const r of m.jobsByStateAndPipeline) expect(typeof r.count).toBe('number');
    });
  });
}
