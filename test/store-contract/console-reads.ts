/**
 * The console overview's aggregates (src/core/console-reads.ts) on each store: jobs by state and pipeline with the
 * oldest pending and the retries, providers pushing back within the window, publications per hour of the last day.
 * Registered by the D1 and Postgres runners (test/store-d1.test.ts, test/store-pg/contract.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ConsoleReads } from '../../src/core/console-reads';
import type { Store } from '../../src/core/ports';
import { MIN, T0, decided, newJob, outcome, publication, withStore, type MakeStore } from './fixtures';

const HOUR = 60 * MIN;
const NOW = T0 + 30 * HOUR;
const error = (code: string) => ({ category: 'provider', code, message: code, retryable: true });

export function describeConsoleReads(makeStore: MakeStore, readsOf: (store: Store) => ConsoleReads): void {
  describe('console reads: overview', () => {
    let store: Store;
    const claimed = withStore(makeStore, (s) => (store = s));

    const publish = async (scopeKey: string, sequence: number, at: number) => {
      const j = await claimed({ pipeline: 'liverc.event_catalog', scopeKey, now: at - 2_000 }, at - 1_000);
      const pub = publication(j.job.id, sequence, { pipeline: 'liverc.event_catalog', scopeKey, publishedAt: at });
      const d = {
        decision: 'PUBLISH_FIRST',
        reason: 'first',
        classification: 'FIRST_PUBLICATION',
        publicationId: pub.id,
        now: at,
      } as const;
      await store.recordDecision(decided(j.job.id, d, { pipeline: 'liverc.event_catalog', scopeKey }), pub);
      await store.finishJob(j.ref, outcome({ state: 'succeeded', now: at, startedAt: at - 1_000 }));
    };

    it('counts by state and pipeline, names the providers pushing back now and the publications per hour', async () => {
      expect(await readsOf(store).overview(NOW)).toEqual({
        jobsByStateAndPipeline: [],
        oldestPendingCreatedAt: null,
        publicationsTotal: 0,
        retriesTotal: 0,
        pressure: [],
        publicationsPerHour: [],
      });
      await store.insertJob(newJob({ pipeline: 'sofascore.match', scopeKey: 'm1', now: NOW - 3 * HOUR }));
      await store.insertJob(newJob({ pipeline: 'sofascore.match', scopeKey: 'm2', now: NOW - 2 * HOUR }));
      // Rate limited five minutes ago: back to pending with a retry (pressure now, one retry counted).
      const limited = await claimed({ pipeline: 'liverc.event_deep', scopeKey: 'e1', now: NOW - 11 * MIN }, NOW - 10 * MIN);
      const retry = { state: 'pending', now: NOW - 5 * MIN, nextRetryAt: NOW, error: error('PROVIDER_RATE_LIMITED') } as const;
      await store.finishJob(limited.ref, outcome(retry));
      // Blocked an hour ago: outside the window.
      const blocked = await claimed({ pipeline: 'sofascore.standings', scopeKey: 's1', maxAttempts: 1 }, NOW - HOUR);
      await store.finishJob(blocked.ref, outcome({ state: 'failed', now: NOW - HOUR + 1_000, error: error('PROVIDER_BLOCKED') }));
      // Two publications in the same hour, one the hour before, one two days ago (in the total only).
      const hour = Math.floor((NOW - 10 * MIN) / HOUR) * HOUR;
      await publish('t1', 1, hour + 1_000);
      await publish('t1', 2, hour + 2_000);
      await publish('t2', 1, hour - 30 * MIN);
      await publish('t3', 1, NOW - 48 * HOUR);

      expect(await readsOf(store).overview(NOW)).toEqual({
        jobsByStateAndPipeline: [
          { state: 'failed', pipeline: 'sofascore.standings', count: 1 },
          { state: 'pending', pipeline: 'liverc.event_deep', count: 1 },
          { state: 'pending', pipeline: 'sofascore.match', count: 2 },
          { state: 'succeeded', pipeline: 'liverc.event_catalog', count: 4 },
        ],
        oldestPendingCreatedAt: NOW - 3 * HOUR,
        publicationsTotal: 4,
        retriesTotal: 1,
        pressure: [{ pipeline: 'liverc.event_deep', code: 'PROVIDER_RATE_LIMITED', jobs: 1, last: NOW - 5 * MIN }],
        publicationsPerHour: [
          { hour, count: 2 },
          { hour: hour - HOUR, count: 1 },
        ],
      });
    });
  });
}
