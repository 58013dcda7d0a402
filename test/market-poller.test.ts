/**
 * Betfair live polling on the real Durable Object runtime: the MarketPoller alarm loop enqueues one
 * betfair.market_book job per tick, the real queue consumer runs it against the fixture server's hand-made market
 * books (scripts/fixtures/betfair-market-book.mjs, replayed from the greyhound recording), and an unchanged book
 * writes nothing to R2 and publishes nothing. The interval is long (300 s) so only the first poll (armed for "now"
 * by start) fires by itself; every later tick is run by hand with runDurableObjectAlarm.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKET_BOOK_URL } from '../src/pipelines/betfair/market-book';
import { enqueueJob } from '../src/runtime/enqueue';
import { api, fixtures, manualDeps, READER_TOKEN, waitForJob, withCleanState } from './helpers';

const MARKET = '1.197931750';
const ROUTE = MARKET_BOOK_URL.replace('https://', '');
const poller = (id: string) =>
  env.MARKET_POLLER.get(env.MARKET_POLLER.idFromName(id)) as unknown as DurableObjectStub & { stop(r: string): Promise<unknown> };
const status = async (id: string) => ((await (await api(`/pollers/${id}`)).json()) as any).poller;
const bookAt = (line: number) =>
  fetch(`${env.FIXTURE_CONTROL_URL}/__control/betfair/market-book`, { method: 'POST', body: JSON.stringify({ line }) });
const start = (body: Record<string, unknown>) => api('/pollers', { method: 'POST', json: { interval_ms: 300_000, ...body } });

async function untilPolls(id: string, n: number) {
  for (let i = 0; i < 100; i++) {
    const s = await status(id);
    if (s.polls >= n) return s;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`poller ${id} did not reach ${n} polls: ${JSON.stringify(await status(id))}`);
}

async function pollJobs(): Promise<number> {
  const r = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ingestion_jobs WHERE pipeline = 'betfair.market_book'`).first<{ n: number }>();
  return r!.n;
}

describe('Betfair live poller (MarketPoller Durable Object)', () => {
  withCleanState();
  const started = new Set<string>();
  afterEach(async () => {
    for (const id of started) await poller(id).stop('test over');
    started.clear();
  });

  it('polls once per tick; an unchanged book writes nothing to R2 and publishes nothing; a changed one publishes', async () => {
    const res = await start({ market_ids: [MARKET] });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    started.add(MARKET);
    expect(body).toMatchObject({ created: true, poller: { id: MARKET, state: 'running', interval_ms: 300_000, market_ids: [MARKET] } });

    const first = await untilPolls(MARKET, 1);
    const j1 = await waitForJob(first.last_job_id);
    expect(j1.job).toMatchObject({ pipeline: 'betfair.market_book', state: 'succeeded', max_attempts: 1 });
    expect(j1.job.result).toMatchObject({ decision: 'PUBLISH_FIRST', provider_requests: 1, raw_bodies_written: 1, payload_written: true });
    // The next tick is armed one interval after the poll, not sooner.
    await runInDurableObject(poller(MARKET), async (_i, state) => {
      expect((await state.storage.getAlarm())! - Date.parse(first.last_poll_at)).toBe(300_000);
    });

    expect(await runDurableObjectAlarm(poller(MARKET))).toBe(true);
    const second = await untilPolls(MARKET, 2);
    const j2 = await waitForJob(second.last_job_id);
    expect(j2.job.result).toMatchObject({
      decision: 'SKIP_NO_CHANGE',
      provider_requests: 1,
      raw_bodies_written: 0,
      payload_written: false,
      publication_id: null,
    });

    await bookAt(165); // the suspension at the off
    expect(await runDurableObjectAlarm(poller(MARKET))).toBe(true);
    const third = await untilPolls(MARKET, 3);
    const j3 = await waitForJob(third.last_job_id);
    expect(j3.job.result).toMatchObject({ decision: 'PUBLISH_CHANGED', provider_requests: 1, raw_bodies_written: 1 });

    // One provider request per poll, each a listMarketBook POST naming the market set and carrying the session
    // token of the provider's login (at most one login: the session is reused across polls).
    const all = (await fixtures.log()) as Array<{ key: string; method: string; body?: string; auth: string | null }>;
    const LOGIN = 'identitysso.betfair.com/api/login';
    expect(all.filter((l) => l.key === LOGIN).length).toBeLessThanOrEqual(1);
    const log = all.filter((l) => l.key !== LOGIN);
    expect(log.map((l) => `${l.method} ${l.key}`)).toEqual(Array(3).fill(`POST ${ROUTE}`));
    expect(JSON.parse(log[0]!.body!).marketIds).toEqual([MARKET]);
    expect(log.every((l) => typeof l.auth === 'string' && l.auth.length > 0)).toBe(true);
    const pubs = await env.DB.prepare(`SELECT COUNT(*) AS n FROM published_results WHERE pipeline = 'betfair.market_book'`).first<{
      n: number;
    }>();
    expect(pubs!.n).toBe(2);
    const latest = (await (await api(`/publications/latest?pipeline=betfair.market_book&market_ids=${MARKET}`)).json()) as any;
    expect(latest.payload.markets[0]).toMatchObject({ market_id: MARKET, status: 'SUSPENDED', inplay: false });
    expect(latest.payload.markets[0].runners).toHaveLength(6);

    // Polls pass the shared provider rate limiter like every provider request.
    const limiter: any = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName('betfair'));
    const bucket = await (runInDurableObject as any)(limiter, async (i: any) => i.bucket);
    expect(bucket).not.toBeNull();
  });

  it('stops cleanly: no alarm left, a late alarm does nothing, a stop during a poll is not undone by it', async () => {
    await start({ market_ids: [MARKET] });
    started.add(MARKET);
    await waitForJob((await untilPolls(MARKET, 1)).last_job_id);
    const stop = await api(`/pollers/${MARKET}/stop`, { method: 'POST', json: { reason: 'race over' } });
    expect(stop.status).toBe(200);
    expect(((await stop.json()) as any).poller).toMatchObject({
      state: 'stopped',
      stop_cause: 'api',
      stop_reason: 'race over',
      next_poll_at: null,
      polls: 1,
    });
    const jobs = await pollJobs();
    await runInDurableObject(poller(MARKET), async (instance: any, state) => {
      expect(await state.storage.getAlarm()).toBeNull();
      await instance.alarm(); // an alarm that fires after the stop
      expect(await state.storage.getAlarm()).toBeNull();
    });
    expect(await runDurableObjectAlarm(poller(MARKET))).toBe(false);
    expect(await pollJobs()).toBe(jobs);
    expect((await status(MARKET)).polls).toBe(1);

    // Restart, then a stop that lands while a tick is between its re-arm and its enqueue.
    await start({ market_ids: [MARKET] });
    await waitForJob((await untilPolls(MARKET, 1)).last_job_id);
    await runInDurableObject(poller(MARKET), async (instance: any, state) => {
      await Promise.all([instance.alarm(), instance.stop('stopped mid-poll')]);
      expect(await state.storage.getAlarm()).toBeNull();
      expect((await instance.status()).state).toBe('stopped');
    });
    // The tick that raced the stop may have enqueued its poll: let it finish before the test ends.
    for (let i = 0; i < 100; i++) {
      const open = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ingestion_jobs WHERE state IN ('pending', 'running')`).first<{
        n: number;
      }>();
      if (open!.n === 0) break;
      await new Promise((ok) => setTimeout(ok, 50));
    }
    const listed = (await (await api('/pollers')).json()) as any;
    expect(listed.pollers).toEqual([
      expect.objectContaining({ id: MARKET, state: 'stopped', stop_reason: 'stopped mid-poll', generation: 2 }),
    ]);
  });

  it('a tick whose previous poll is still pending enqueues nothing; max_polls ends the loop', async () => {
    // A pending poll of the same scope that no consumer will run (its message is recorded, not sent).
    const deps = manualDeps();
    const { job: blocker } = await enqueueJob(
      { ...deps, defaultMaxAttempts: 1 },
      { pipeline: 'betfair.market_book', params: { market_ids: MARKET }, actor: 'test', reason: 'in flight' },
    );
    await start({ market_ids: [MARKET], max_polls: 1 });
    started.add(MARKET);
    for (let i = 0; i < 100 && (await status(MARKET)).skipped_in_flight < 1; i++) await new Promise((ok) => setTimeout(ok, 50));
    expect(await status(MARKET)).toMatchObject({ polls: 0, skipped_in_flight: 1, state: 'running' });
    expect(await pollJobs()).toBe(1);
    await deps.store.cancelJob(blocker.id, Date.now(), 'test', 'unblock the poller');

    expect(await runDurableObjectAlarm(poller(MARKET))).toBe(true);
    const s = await untilPolls(MARKET, 1);
    await waitForJob(s.last_job_id);
    expect(await runDurableObjectAlarm(poller(MARKET))).toBe(true);
    expect(await status(MARKET)).toMatchObject({
      state: 'stopped',
      stop_cause: 'max_polls',
      stop_reason: 'max_polls reached (1)',
      polls: 1,
      next_poll_at: null,
    });
  });

  it('ends by itself once every polled market is CLOSED: no further alarm, no further provider request', async () => {
    const bookRequests = async () => ((await fixtures.log()) as Array<{ key: string }>).filter((l) => l.key === ROUTE).length;
    await start({ market_ids: [MARKET] });
    started.add(MARKET);
    await waitForJob((await untilPolls(MARKET, 1)).last_job_id); // the book at line 1: OPEN
    await bookAt(100_000); // the cursor stops at the recording's last line: the settled market, CLOSED
    // The tick after an open book polls on.
    expect(await runDurableObjectAlarm(poller(MARKET))).toBe(true);
    const last = (await untilPolls(MARKET, 2)).last_job_id;
    const closedBook = await waitForJob(last);
    expect(closedBook.job.result).toMatchObject({ decision: 'PUBLISH_CHANGED', provider_requests: 1 });
    const latest = (await (await api(`/publications/latest?pipeline=betfair.market_book&market_ids=${MARKET}`)).json()) as any;
    expect(latest.payload.markets[0]).toMatchObject({ market_id: MARKET, status: 'CLOSED' });
    expect(await bookRequests()).toBe(2);

    // The next tick reads that book, stops the loop and asks the provider nothing.
    expect(await runDurableObjectAlarm(poller(MARKET))).toBe(true);
    expect(await status(MARKET)).toMatchObject({
      state: 'stopped',
      stop_cause: 'markets_closed',
      stop_reason: `every market closed (${MARKET})`,
      polls: 2,
      next_poll_at: null,
      last_job_id: last,
    });
    const jobs = await pollJobs();
    await runInDurableObject(poller(MARKET), async (instance: any, state) => {
      expect(await state.storage.getAlarm()).toBeNull();
      await instance.alarm(); // a late alarm after the stop
    });
    expect(await runDurableObjectAlarm(poller(MARKET))).toBe(false);
    expect(await pollJobs()).toBe(jobs);
    expect(await bookRequests()).toBe(2);
    const listed = (await (await api('/pollers')).json()) as any;
    expect(listed.pollers).toEqual([expect.objectContaining({ id: MARKET, state: 'stopped', stop_cause: 'markets_closed' })]);
  });

  it('refuses bad requests with a code and the offending field; readers cannot start pollers', async () => {
    const bad = async (body: Record<string, unknown>, field: string) => {
      const r = await api('/pollers', { method: 'POST', json: body });
      expect(r.status).toBe(400);
      const e = ((await r.json()) as any).error;
      expect(e.code).toBe('INVALID_REQUEST');
      expect(Object.keys(e.details.fields)).toContain(field);
    };
    await bad({ market_ids: ['x'] }, 'market_ids.0');
    await bad({ market_ids: [] }, 'market_ids');
    await bad({ market_ids: [MARKET], interval_ms: 10 }, 'interval_ms');
    await bad({ market_ids: [MARKET], until: '2000-01-01T00:00:00Z' }, 'until');
    await bad({ market_ids: [MARKET], extra: 1 }, 'extra');
    expect((await api('/pollers', { method: 'POST', json: { market_ids: [MARKET] }, token: READER_TOKEN })).status).toBe(403);
    expect((await api('/pollers/nonsense')).status).toBe(400);
    expect(((await (await api('/pollers/1.2')).json()) as any).error.code).toBe('POLLER_NOT_FOUND');
    expect((await api('/pollers/1.2/stop', { method: 'POST', json: {} })).status).toBe(404);
  });
});
