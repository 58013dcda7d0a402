import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, localR2 } from './stack-io.mjs';
import { ROOT, startStack, waitForJob } from '../dev-stack.mjs';
import { BETFAIR_FIXTURE_CREDENTIALS as C } from '../fixtures/betfair-historic.mjs';

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
const r2 = (args: string[]): string | null => localR2(stack, args);

const call = (path: string, init?: RequestInit): Promise<any> => apiCall(stack, path, init);
const enqueue = (pipeline: string, params: Record<string, unknown>, key: string) =>
  call('/jobs', { method: 'POST', body: JSON.stringify({ pipeline, params }), headers: { 'idempotency-key': key } });
const counters = async () => (await fetch(`${stack.fixtures.url}/__control/betfair`)).json() as Promise<Record<string, any>>;

async function sync(params: Record<string, unknown>, key: string) {
  const r = await enqueue('betfair.historic_sync', params, key);
  expect(r.status).toBe(202);
  return (await waitForJob(stack, r.body.job.id)).job;
}

const HORSE = { sport: 'Horse Racing', from: '2017-06-01', to: '2017-06-30', market_types: ['WIN'], countries: ['GB'] };
const GREY = { sport: 'Greyhound Racing', plan: 'Pro Plan', from: '2022-04-19', to: '2022-04-19' };

describe('betfair on wrangler dev', () => {
  beforeAll(async () => {
    stack = await startStack({
      vars: { BETFAIR_APP_KEY: C.appKey, BETFAIR_USERNAME: C.username, BETFAIR_PASSWORD: C.password, PROVIDER_RATE_OVERRIDE: '1000' },
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('historic sync: login, list, download each recorded file once, one envelope per market; a re-sync publishes nothing', async () => {
    const markets: Array<{ key: string; market: string; track: string }> = [];
    for (const [params, market, track] of [
      [HORSE, '1.132153978', 'Hamilton'],
      [GREY, '1.197931750', 'Sheffield'],
    ] as const) {
      const job = await sync(params, `e2e-${market}-1`);
      expect(job.state).toBe('succeeded');
      expect(job.result).toMatchObject({ decision: 'PUBLISH_FIRST', entity_count: 1 });
      expect(job.result.child_job_ids).toHaveLength(1);
      const child = (await waitForJob(stack, job.result.child_job_ids[0])).job;
      expect(child).toMatchObject({ pipeline: 'betfair.historic_market', state: 'succeeded', result: { decision: 'PUBLISH_FIRST' } });
      markets.push({ key: child.params.key, market, track });
    }
    expect(await counters()).toMatchObject({ logins: 1, lists: 2 });
    expect(Object.values((await counters()).downloads)).toEqual([1, 1]);

    for (const m of markets) {
      // The downloaded file is in FILES under its Betfair path, and its market published once.
      expect(r2(['get', `ingestion-files/${m.key}`, '--pipe'])).not.toBeNull();
      const latest = await call(`/publications/latest?pipeline=betfair.historic_market&key=${encodeURIComponent(m.key)}`);
      expect(latest.status).toBe(200);
      expect(latest.body.publication.sequence).toBe(1);
      expect(latest.body.payload.markets.map((x: { market_id: string }) => x.market_id)).toEqual([m.market]);
      expect(latest.body.payload.races[0]).toMatchObject({ market_id: m.market, track: m.track });
    }

    const again = await sync(HORSE, 'e2e-resync');
    expect(again.state).toBe('succeeded');
    expect(again.result).toMatchObject({ decision: 'SKIP_NO_CHANGE', publication_id: null, child_job_ids: [] });
    expect(Object.values((await counters()).downloads)).toEqual([1, 1]);
    // Still the first envelope of each market: the re-sync enqueued no market job.
    for (const m of markets) {
      const latest = await call(`/publications/latest?pipeline=betfair.historic_market&key=${encodeURIComponent(m.key)}`);
      expect(latest.body.publication.sequence).toBe(1);
    }
  });

  it('CSV import: the real Betfair CSV publishes with its rejections counted by rule; the seed layout, mostly refused, fails the threshold', async () => {
    const nbl = 'betfair/csv/betfair_match_odds/NBL_2024-2025_Match_Odds.csv';
    const seed = 'betfair/csv/seed/card.csv';
    const put = (key: string, file: string) =>
      expect(r2(['put', `ingestion-files/${key}`, '--file', file, '--content-type', 'text/csv'])).not.toBeNull();
    put(nbl, join(ROOT, 'testdata', 'betfair', 'NBL_2024-2025_Match_Odds.csv'));
    put(seed, join(ROOT, 'testdata', 'betfair', 'handmade', 'seed-layout.handmade.csv'));

    const a = await enqueue(
      'betfair.csv_import',
      { key: nbl, mapping: 'betfair_match_odds', captured_at: '2024-11-15T00:00:00Z' },
      'e2e-nbl',
    );
    const real = (await waitForJob(stack, a.body.job.id)).job;
    expect(real).toMatchObject({ state: 'succeeded', result: { decision: 'PUBLISH_FIRST', acceptance: { records_seen: 284 } } });
    const acc = real.result.acceptance;
    expect(acc.rejected).toBeGreaterThan(0);
    expect(acc.rejected_by_rule).toEqual({ start_time_window: acc.rejected });
    const latest = await call(`/publications/latest?pipeline=betfair.csv_import&key=${encodeURIComponent(nbl)}&mapping=betfair_match_odds`);
    expect(latest.status).toBe(200);
    expect(latest.body.payload.records_seen).toBe(284);
    expect(r2(['get', `ingestion-files/${nbl}`, '--pipe'])).toBeNull();
    expect(r2(['get', 'ingestion-files/betfair/archive/csv/betfair_match_odds/NBL_2024-2025_Match_Odds.csv', '--pipe'])).not.toBeNull();

    // 7 of 11 rows refused (every rule once) is above the 50% threshold: nothing published, the counts kept.
    const b = await enqueue('betfair.csv_import', { key: seed, mapping: 'seed', captured_at: '2017-06-14T12:00:00Z' }, 'e2e-seed');
    const card = (await waitForJob(stack, b.body.job.id)).job;
    expect(card).toMatchObject({ state: 'failed', last_error: { code: 'REJECTION_THRESHOLD' } });
    expect(card.result.acceptance).toMatchObject({
      records_seen: 11,
      rejected: 7,
      rejected_by_rule: {
        price_format: 1,
        selection_name_required: 1,
        price_range: 1,
        volume_non_negative: 1,
        currency_mixed: 1,
        start_time_window: 1,
        duplicate_selection: 1,
      },
    });
    expect(r2(['get', 'ingestion-files/betfair/failed/csv/seed/card.csv.error.json', '--pipe'])).toContain('REJECTION_THRESHOLD');
  });
});
