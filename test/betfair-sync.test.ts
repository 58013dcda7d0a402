/**
 * betfair.historic_sync on the real local runtime (miniflare D1, R2, Durable Objects, provider transport) against
 * the fixture server's Betfair identity + Historic Data API (scripts/fixtures/betfair-historic.mjs), which serves
 * the real recordings' bz2: login with the secrets, list, download into FILES once, one historic_market child per
 * file, session expiry and re-login, keep-alive, an interrupted download, rate limiting, a re-sync that does nothing.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BETFAIR_DEFAULT_SCHEDULES } from '../src/pipelines/betfair';
import { historicSyncPipeline } from '../src/pipelines/betfair/historic-sync';
import { BETFAIR_PROVIDER } from '../src/pipelines/betfair/provider';
import { fileKey, listRequest, resolveDay, syncParams } from '../src/pipelines/betfair/historic-api';
import { BZ2 } from '../src/pipelines/betfair/test-fixtures';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { ProviderClient } from '../src/runtime/provider-client';
import { validateParams } from '../src/runtime/validate-params';
import { DurableRateLimiter, providerCredentials } from '../src/wiring/env-ports';
import { api, captureErrorLogs, type Clock, clock, manualDeps, runOnce, withCleanState } from './helpers';

const HORSE = { sport: 'Horse Racing', from: '2017-06-01', to: '2017-06-30', market_types: ['win'], countries: ['GB'] };
const HORSE_PATH = '/xds_nfs/edp_processed/BASIC/2017/Jun/14/28270094/1.132153978.bz2';
const GREY = { sport: 'Greyhound Racing', plan: 'Pro Plan', from: '2022-04-19', to: '2022-04-19' };

const betfair = async (body?: Record<string, unknown>) =>
  (await (
    await fetch(`${env.FIXTURE_CONTROL_URL}/__control/betfair`, body ? { method: 'POST', body: JSON.stringify(body) } : {})
  ).json()) as { logins: number; keepAlives: number; lists: number; downloads: Record<string, number>; liveSessions: number };

/** The transport as the edge wires it (credentials from the env's secrets), with its own login cache and clock. */
function client(c: Clock, creds = providerCredentials(env)) {
  return new ProviderClient({
    http: { fetch: (url, init) => fetch(url, init) },
    limiter: new DurableRateLimiter(env.RATE_LIMITER, 1000),
    upstreamOverride: env.UPSTREAM_OVERRIDE!,
    userAgent: 'adapter-test',
    timeoutMs: 3000,
    credentials: creds,
    loginCache: new Map(),
    sessionCache: new Map(),
    now: c.now,
  });
}

function syncDeps(c: Clock = clock()) {
  return { ...manualDeps({ clock: c }), client: client(c) };
}

const bytesOf = async (key: string) => {
  const o = await env.FILES.get(key);
  return o ? new Uint8Array(await o.arrayBuffer()) : null;
};

describe('betfair.historic_sync', () => {
  withCleanState();

  it('logs in, lists, downloads each file into FILES once and enqueues one historic_market per file; a re-sync does nothing', async () => {
    const deps = syncDeps();
    const first = await runOnce(deps, 'betfair.historic_sync', HORSE);
    expect(first.out.kind).toBe('succeeded');
    expect(first.stored.scopeKey).toBe(
      'sport=horse%20racing&plan=basic%20plan&from=2017-06-01&to=2017-06-30&market_types=win&countries=gb',
    );
    expect(first.stored.result).toMatchObject({ decision: 'PUBLISH_FIRST', entity_count: 1 });
    expect(await bytesOf(fileKey(HORSE_PATH))).toEqual(BZ2.basic);
    expect(await betfair()).toMatchObject({ logins: 1, lists: 1, downloads: { [HORSE_PATH]: 1 } });

    const children = first.stored.result!.child_job_ids as string[];
    expect(children).toHaveLength(1);
    const child = (await deps.store.getJob(children[0]!))!;
    expect(child).toMatchObject({
      pipeline: 'betfair.historic_market',
      params: { key: `betfair/synced${HORSE_PATH}` },
      parentJobId: first.id,
    });
    expect(await handleJobMessage(deps, child.id)).toMatchObject({ kind: 'succeeded', result: { decision: 'PUBLISH_FIRST' } });
    const market = (await deps.store.getJob(child.id))!;
    expect(market.result).toMatchObject({ acceptance: { rejected: 0 } });

    const again = await runOnce(deps, 'betfair.historic_sync', HORSE);
    expect(again.stored.result).toMatchObject({ decision: 'SKIP_NO_CHANGE', child_job_ids: [], publication_id: null });
    // The list was asked again (one provider request), the file was found stored: no download, no new session.
    expect(await betfair()).toMatchObject({ logins: 1, lists: 2, downloads: { [HORSE_PATH]: 1 } });

    // Downstream reads the file set by the sync's scope (lists as comma-separated query values).
    const q = 'pipeline=betfair.historic_sync&sport=Horse%20Racing&from=2017-06-01&to=2017-06-30&market_types=WIN&countries=GB';
    const latest = (await (await api(`/publications/latest?${q}`)).json()) as any;
    expect(latest.payload.files).toEqual([
      { path: HORSE_PATH, key: `betfair/synced${HORSE_PATH}`, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: BZ2.basic.byteLength },
    ]);
  });

  it('an expired session: the 401 makes the transport log in again once and the same attempt succeeds', async () => {
    const deps = syncDeps();
    expect((await runOnce(deps, 'betfair.historic_sync', HORSE)).out.kind).toBe('succeeded');
    await betfair({ expireSessions: true });
    const grey = await runOnce(deps, 'betfair.historic_sync', GREY);
    expect(grey.out.kind).toBe('succeeded');
    expect(grey.stored.attemptCount).toBe(1);
    expect(grey.stored.result).toMatchObject({ decision: 'PUBLISH_FIRST', provider_requests: 3 });
    expect(await betfair()).toMatchObject({ logins: 2, liveSessions: 1 });
    expect((await bytesOf(fileKey('/xds_nfs/edp_processed/PRO/2022/Apr/19/31389771/1.197931750.bz2')))!.byteLength).toBe(
      BZ2.greyhound.byteLength,
    );
  });

  it('keep-alive after an hour of use; a refused keep-alive logs in again; a token never outlives four hours', async () => {
    const c = clock();
    const t = client(c);
    const req = listRequest(syncParams.parse(HORSE));
    await t.fetch(BETFAIR_PROVIDER, req);
    c.advance(61 * 60_000);
    await t.fetch(BETFAIR_PROVIDER, req);
    expect(await betfair()).toMatchObject({ logins: 1, keepAlives: 1 });
    await betfair({ expireSessions: true });
    c.advance(61 * 60_000);
    await t.fetch(BETFAIR_PROVIDER, req);
    expect(await betfair()).toMatchObject({ logins: 2, keepAlives: 2 });
    c.advance(4 * 3600_000 + 1);
    await t.fetch(BETFAIR_PROVIDER, req);
    expect(await betfair()).toMatchObject({ logins: 3, keepAlives: 2 });
  });

  it('wrong or missing credentials fail the job classified and not retried', async () => {
    const logs = captureErrorLogs();
    const c = clock();
    const wrong = { ...syncDeps(c), client: client(c, { betfair: { app_key: 'fixture-app-key', username: 'x', password: 'y' } }) };
    const bad = await runOnce(wrong, 'betfair.historic_sync', HORSE);
    expect(bad.out).toEqual({ kind: 'failed', code: 'PROVIDER_LOGIN_FAILED' });
    expect(bad.stored.lastErrorMessage).toContain('INVALID_USERNAME_OR_PASSWORD');
    const none = { ...syncDeps(c), client: client(c, {}) };
    const missing = await runOnce(none, 'betfair.historic_sync', { ...HORSE, from: '2017-06-02' });
    expect(missing.out).toEqual({ kind: 'failed', code: 'PROVIDER_CREDENTIALS_MISSING' });
    expect(logs.seen()).toEqual(['job failed:PROVIDER_LOGIN_FAILED', 'job failed:PROVIDER_CREDENTIALS_MISSING']);
  });

  it('a download interrupted halfway is retried; the next attempt reuses the list and stores the whole file once', async () => {
    const c = clock();
    const deps = syncDeps(c);
    await betfair({ cutNext: 1 });
    const first = await runOnce(deps, 'betfair.historic_sync', HORSE);
    expect(first.out).toMatchObject({ kind: 'retry' });
    expect(await env.FILES.head(fileKey(HORSE_PATH))).toBeNull();
    c.advance(60_000);
    const second = await handleJobMessage(deps, first.id);
    expect(second.kind).toBe('succeeded');
    expect(await bytesOf(fileKey(HORSE_PATH))).toEqual(BZ2.basic);
    // One list (reused by the second attempt), two download starts, one file.
    expect(await betfair()).toMatchObject({ lists: 1, downloads: { [HORSE_PATH]: 2 } });
    expect((await deps.store.getJob(first.id))!.result).toMatchObject({ resources_reused: 1, child_job_ids: [expect.any(String)] });
  });

  it('rate limited (429 with Retry-After): the job backs off for at least that long and then finishes', async () => {
    const c = clock();
    const deps = syncDeps(c);
    await betfair({ rateLimitNext: 1 });
    const first = await runOnce(deps, 'betfair.historic_sync', HORSE);
    expect(first.out).toMatchObject({ kind: 'retry', code: 'PROVIDER_RATE_LIMITED' });
    expect((first.out as { delaySec: number }).delaySec).toBeGreaterThanOrEqual(1);
    c.advance(60_000);
    expect((await handleJobMessage(deps, first.id)).kind).toBe('succeeded');
  });
});

describe('historic_sync params', () => {
  it("the seed's daily schedule (0 2 * * *) enqueues yesterday as concrete days", () => {
    const [daily] = BETFAIR_DEFAULT_SCHEDULES;
    expect(daily).toMatchObject({ cron: '0 2 * * *', pipeline: 'betfair.historic_sync' });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(validateParams(historicSyncPipeline, daily!.params)).toEqual({
      sport: 'Horse Racing',
      plan: 'Basic Plan',
      from: yesterday,
      to: yesterday,
      market_types: ['WIN'],
      countries: ['GB', 'IE'],
    });
  });

  it('days: YYYY-MM-DD, today, today-N (resolved at enqueue); ranges checked; codes upper-cased and sorted', () => {
    const now = Date.parse('2026-12-02T01:59:00Z');
    expect(resolveDay('today-1', now)).toBe('2026-12-01');
    expect(resolveDay('today', now)).toBe('2026-12-02');
    expect(resolveDay('2026-02-30', now)).toBeNull();
    const p = syncParams.parse({ ...HORSE, countries: ['ie', 'GB', 'gb'] });
    expect(p).toMatchObject({ plan: 'Basic Plan', market_types: ['WIN'], countries: ['GB', 'IE'] });
    expect(syncParams.safeParse({ ...HORSE, from: '2017-07-01' }).success).toBe(false);
    expect(syncParams.safeParse({ ...HORSE, to: '2017-08-30' }).success).toBe(false);
    expect(syncParams.safeParse({ ...HORSE, countries: ['GBR'] }).success).toBe(false);
    expect(syncParams.parse({ ...HORSE, countries: 'IE,gb' }).countries).toEqual(['GB', 'IE']);
  });
});
