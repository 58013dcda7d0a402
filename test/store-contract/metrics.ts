/**
 * Part of the Store contract (test/store-contract.ts): the golden-signal aggregates behind /metrics (seed 001):
 * retries and dead-lettered jobs by pipeline, attempt durations, publication decisions (the no-change rate), the
 * newest publication per pipeline and the most overdue schedule.
 */
import { describe, expect, it } from 'vitest';
import { ATTEMPT_DURATION_BUCKETS_MS, type Store } from '../../src/core/ports';
import { MIN, T0, claimReq, decided, newJob, outcome, publication, refOf, withStore, type MakeStore } from './fixtures';

export function describeMetrics(makeStore: MakeStore): void {
  describe('metrics: golden signals', () => {
    let store: Store;
    const claimed = withStore(makeStore, (s) => (store = s));

    it('counts retries, dead letters, durations, decisions and staleness by pipeline', async () => {
      // p1: one retry (attempt of 300 ms), then a 2 s attempt that publishes.
      const a = await claimed({ pipeline: 'p1', scopeKey: 's1' });
      expect(
        await store.finishJob(
          a.ref,
          outcome({
            state: 'pending',
            now: T0 + 300,
            nextRetryAt: T0 + 1_000,
            error: { category: 'provider', code: 'PROVIDER_5XX', message: 'x', retryable: true },
          }),
        ),
      ).toBe(true);
      const again = claimReq(a.job.id, { now: T0 + 1_000 });
      const running = (await store.claimJob(again))!;
      const pub = publication(a.job.id, 1, { pipeline: 'p1', scopeKey: 's1', publishedAt: T0 + 2_900 });
      expect(
        await store.recordDecision(
          decided(
            a.job.id,
            { decision: 'PUBLISH_FIRST', reason: 'first', classification: 'FIRST_PUBLICATION', publicationId: pub.id, now: T0 + 2_900 },
            { pipeline: 'p1', scopeKey: 's1' },
          ),
          pub,
        ),
      ).toBe(true);
      expect(await store.finishJob(refOf(again, running), outcome({ state: 'succeeded', now: T0 + 3_000, startedAt: T0 + 1_000 }))).toBe(
        true,
      );
      // p1: a later job that found nothing new.
      const b = await claimed({ pipeline: 'p1', scopeKey: 's1' }, T0 + 4_000);
      expect(
        await store.recordDecision(
          decided(
            b.job.id,
            { decision: 'SKIP_NO_CHANGE', reason: 'same', classification: 'NO_CHANGE', publicationId: null, now: T0 + 4_100 },
            { pipeline: 'p1', scopeKey: 's1' },
          ),
          null,
        ),
      ).toBe(true);
      expect(
        await store.finishJob(
          b.ref,
          outcome({
            state: 'succeeded',
            now: T0 + 4_200,
            startedAt: T0 + 4_000,
            result: {
              provider_requests: 3,
              acceptance: { records_seen: 10, accepted: 7, rejected: 3, rejected_by_rule: { price_range: 2, required: 1 } },
            },
          }),
        ),
      ).toBe(true);
      // p2: exhausted after one 40 s attempt; another one failed for good.
      const c = await claimed({ pipeline: 'p2', scopeKey: 's2', maxAttempts: 1 });
      expect(
        await store.finishJob(
          c.ref,
          outcome({
            state: 'exhausted',
            now: T0 + 40_000,
            error: { category: 'network', code: 'PROVIDER_TIMEOUT', message: 'x', retryable: true },
          }),
        ),
      ).toBe(true);
      const d = await claimed({ pipeline: 'p2', scopeKey: 's3' });
      expect(
        await store.finishJob(
          d.ref,
          outcome({ state: 'failed', now: T0 + 50, error: { category: 'provider', code: 'PROVIDER_4XX', message: 'x', retryable: false } }),
        ),
      ).toBe(true);
      await store.upsertSchedule({
        id: 'late',
        pipeline: 'p1',
        params: {},
        cron: '* * * * *',
        enabled: true,
        nextDueAt: T0 - 5 * MIN,
        createdAt: T0,
        updatedAt: T0,
      });
      await store.upsertSchedule({
        id: 'off',
        pipeline: 'p1',
        params: {},
        cron: '* * * * *',
        enabled: false,
        nextDueAt: T0 - 60 * MIN,
        createdAt: T0,
        updatedAt: T0,
      });
      await store.insertJob(newJob({ pipeline: 'p3', scopeKey: 'never-run' }));

      const m = await store.metrics();
      expect(m.retriesByPipeline).toEqual([
        { pipeline: 'p1', count: 1 },
        { pipeline: 'p2', count: 0 },
        { pipeline: 'p3', count: 0 },
      ]);
      const le = (ms: number) => ATTEMPT_DURATION_BUCKETS_MS.map((b) => (ms <= b ? 1 : 0));
      const sum = (...xs: number[][]) => xs.reduce((acc, x) => acc.map((v, i) => v + x[i]!));
      expect(m.attemptDurations).toEqual([
        { pipeline: 'p1', count: 3, sumMs: 300 + 2_000 + 200, buckets: sum(le(300), le(2_000), le(200)) },
        { pipeline: 'p2', count: 2, sumMs: 40_000 + 50, buckets: sum(le(40_000), le(50)) },
      ]);
      expect(m.decisionsByPipeline).toEqual([
        { pipeline: 'p1', decision: 'PUBLISH_FIRST', count: 1 },
        { pipeline: 'p1', decision: 'SKIP_NO_CHANGE', count: 1 },
      ]);
      expect(m.latestPublicationByPipeline).toEqual([{ pipeline: 'p1', at: T0 + 2_900 }]);
      // Job metrics: acceptance counts and provider requests from finished jobs' results.
      expect(m.recordsByPipeline).toEqual([{ pipeline: 'p1', seen: 10, accepted: 7, rejected: 3, providerRequests: 3 }]);
      expect(m.rejectionsByRule).toEqual([
        { pipeline: 'p1', rule: 'price_range', count: 2 },
        { pipeline: 'p1', rule: 'required', count: 1 },
      ]);
      expect(m.oldestDueScheduleAt).toBe(T0 - 5 * MIN);
      const dead = m.jobsByStateAndPipeline.filter((r) => r.state === 'exhausted' || r.state === 'failed');
      expect(dead.map((r) => ({ ...r, count: Number(r.count) })).sort((x, y) => x.state.localeCompare(y.state))).toEqual([
        { state: 'exhausted', pipeline: 'p2', count: 1 },
        { state: 'failed', pipeline: 'p2', count: 1 },
      ]);
    });

    it('sums partial acceptance out of final job results: records seen and rejected by pipeline, rejections by rule', async () => {
      const acc = (seen: number, byRule: Record<string, number>) => ({
        acceptance: { records_seen: seen, rejected: Object.values(byRule).reduce((a, b) => a + b, 0), rejected_by_rule: byRule },
      });
      const a = await claimed({ pipeline: 'csv', scopeKey: 'a' });
      expect(
        await store.finishJob(a.ref, outcome({ state: 'succeeded', now: T0 + 10, result: acc(10, { price_range: 2, required: 1 }) })),
      ).toBe(true);
      // A threshold failure keeps its acceptance in the result: its rejections count too.
      const b = await claimed({ pipeline: 'csv', scopeKey: 'b' });
      const failed = { category: 'validation', code: 'REJECTION_THRESHOLD', message: 'x', retryable: false };
      expect(
        await store.finishJob(b.ref, outcome({ state: 'failed', now: T0 + 20, error: failed, result: acc(4, { price_range: 3 }) })),
      ).toBe(true);
      const c = await claimed({ pipeline: 'plain', scopeKey: 'c' });
      expect(await store.finishJob(c.ref, outcome({ state: 'succeeded', now: T0 + 30, result: { summary: 'no acceptance' } }))).toBe(true);

      const m = await store.metrics();
      expect(m.recordsByPipeline).toEqual([{ pipeline: 'csv', seen: 14, accepted: 0, rejected: 6, providerRequests: 0 }]);
      expect(m.rejectionsByRule).toEqual([
        { pipeline: 'csv', rule: 'price_range', count: 5 },
        { pipeline: 'csv', rule: 'required', count: 1 },
      ]);
    });
  });
}
