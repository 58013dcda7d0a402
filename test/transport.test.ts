import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../src/core/errors';
import type { ProviderProfile } from '../src/core/provider';
import { ProviderClient, overrideUrl, parseRetryAfter } from '../src/runtime/provider-client';
import { getProvider } from '../src/pipelines/registry';
import type { ProviderRateLimiter } from '../src/durable/rate-limiter';
import { DurableRateLimiter } from '../src/wiring/env-ports';
import { fixtures } from './helpers';

const PROFILE: ProviderProfile = {
  name: 'example',
  hostPattern: /(^|\.)example\.test$/,
  ratePerSec: 1000,
  burst: 1000,
  session: {
    bootstrapUrl: 'https://www.example.test/login',
    extractToken: (b) => /name="csrf-token" content="([^"]+)"/.exec(b)?.[1] ?? null,
    tokenHeader: 'X-CSRF-TOKEN',
    ttlSec: 600,
  },
};

const client = (timeoutMs = 3000) =>
  new ProviderClient({
    http: { fetch: (u, i) => fetch(u, i) },
    limiter: { acquire: async () => {} },
    sessionCache: new Map(),
    upstreamOverride: env.UPSTREAM_OVERRIDE!,
    userAgent: 'adapter-test/1',
    timeoutMs,
  });

async function failure(p: Promise<unknown>): Promise<AdapterError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AdapterError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

const req = (path: string, extra = {}) => ({ resourceType: 'page', resourceKey: path, url: `https://www.example.test${path}`, ...extra });

describe('provider transport', () => {
  beforeEach(() => fixtures.reset());

  it('rewrites provider URLs to UPSTREAM_OVERRIDE and keeps hosts per provider', async () => {
    expect(overrideUrl('https://a.liverc.com/results/?p=x&id=1', 'http://127.0.0.1:9')).toBe(
      'http://127.0.0.1:9/a.liverc.com/results/?p=x&id=1',
    );
    expect(overrideUrl('https://a.liverc.com/', null)).toBe('https://a.liverc.com/');
    expect((await failure(client().fetch(PROFILE, { ...req('/'), url: 'https://evil.test/' }))).code).toBe('HOST_NOT_ALLOWED');
    await fixtures.routes([{ key: 'www.example.test/ok', body: '<html>fine</html>' }]);
    const res = await client().fetch(PROFILE, req('/ok'));
    expect(res).toMatchObject({ status: 200, body: '<html>fine</html>', url: 'https://www.example.test/ok' });
  });

  it('classifies 429 (with Retry-After) and 5xx as retryable, other 4xx as not, optional 404 as a value', async () => {
    await fixtures.routes([
      { key: 'www.example.test/limited', status: 429, body: 'slow down', headers: { 'retry-after': '7' } },
      { key: 'www.example.test/down', status: 502, body: 'bad gateway' },
      { key: 'www.example.test/gone', status: 404, body: 'nope' },
      { key: 'www.example.test/teapot', status: 418, body: 'teapot' },
    ]);
    const limited = await failure(client().fetch(PROFILE, req('/limited')));
    expect(limited).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryable: true, retryAfterSec: 7 });
    expect(await failure(client().fetch(PROFILE, req('/down')))).toMatchObject({ code: 'PROVIDER_5XX', retryable: true });
    expect(await failure(client().fetch(PROFILE, req('/gone')))).toMatchObject({ code: 'PROVIDER_NOT_FOUND', retryable: false });
    expect(await failure(client().fetch(PROFILE, req('/teapot')))).toMatchObject({
      code: 'PROVIDER_4XX',
      retryable: false,
      category: 'provider',
    });
    expect((await client().fetch(PROFILE, req('/gone', { optional: true }))).status).toBe(404);
    expect(parseRetryAfter('Wed, 21 Oct 2099 07:28:00 GMT', Date.parse('2099-10-21T07:27:00Z'))).toBe(60);
    // Provider block detection never turns a 429 into a permanent failure.
    await fixtures.routes([
      { key: 'live.liverc.com/', status: 429, body: '<html><title>Too Many Requests</title></html>', headers: { 'retry-after': '30' } },
    ]);
    const liverc = getProvider('liverc')!;
    expect(await failure(client().fetch(liverc, { resourceType: 'x', resourceKey: 'x', url: 'https://live.liverc.com/' }))).toMatchObject({
      code: 'PROVIDER_RATE_LIMITED',
      retryable: true,
      retryAfterSec: 30,
    });
  });

  it('detects a bot challenge or a login wall instead of parsing it, whatever the status', async () => {
    const challenge =
      '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>' +
      '<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>';
    await fixtures.routes([
      { key: 'www.example.test/challenge', status: 403, body: challenge },
      { key: 'www.example.test/challenge200', status: 200, body: challenge },
      {
        key: 'www.example.test/login',
        status: 401,
        body: '<html><form action="/login" method="post"><input name="password"></form></html>',
      },
    ]);
    expect(await failure(client().fetch(PROFILE, req('/challenge')))).toMatchObject({ code: 'PROVIDER_BLOCKED', retryable: false });
    expect(await failure(client().fetch(PROFILE, req('/challenge200')))).toMatchObject({ code: 'PROVIDER_BLOCKED' });
    expect((await failure(client().fetch(PROFILE, req('/login')))).message).toMatch(/login wall/);
  });

  it('times out a provider that never answers, as retryable', async () => {
    await fixtures.routes([{ key: 'www.example.test/slow', body: 'late', delayMs: 1500 }]);
    expect(await failure(client(300).fetch(PROFILE, req('/slow')))).toMatchObject({
      code: 'PROVIDER_TIMEOUT',
      category: 'network',
      retryable: true,
    });
  });

  it('obtains a session (CSRF token and cookies) once and attaches it to session requests', async () => {
    await fixtures.routes([
      {
        key: 'www.example.test/login',
        body: '<html><head><meta name="csrf-token" content="tok-123"></head></html>',
        headers: { 'set-cookie': 'sid=abc; Path=/; HttpOnly' },
      },
      { key: 'www.example.test/api/data', body: '{"ok":true}', contentType: 'application/json' },
    ]);
    const c = client();
    await c.fetch(PROFILE, req('/api/data', { session: true, method: 'POST', body: '{}' }));
    await c.fetch(PROFILE, req('/api/data', { session: true, method: 'POST', body: '{}' }));
    const log = (await fixtures.log()) as Array<{ key: string; method: string; cookie: string | null; csrf: string | null }>;
    expect(log.map((l) => l.key)).toEqual(['www.example.test/login', 'www.example.test/api/data', 'www.example.test/api/data']);
    expect(log[1]).toMatchObject({ method: 'POST', cookie: 'sid=abc', csrf: 'tok-123' });
  });
});

describe('provider rate limiter', () => {
  it('shares one bucket across every caller of a provider', async () => {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName('rate-test'));
    const waits = await Promise.all(Array.from({ length: 8 }, () => stub.reserve(4, 2)));
    const sorted = [...waits].sort((a, b) => a - b);
    expect(sorted.slice(0, 2)).toEqual([0, 0]);
    // Each later reservation waits one more interval (250 ms at 4/s): the bucket is shared, not per caller.
    for (let i = 2; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(240);
    expect(sorted[7]!).toBeGreaterThanOrEqual(1400);
    const other = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName('rate-test-other'));
    expect(await other.reserve(4, 2)).toBe(0);
    await runInDurableObject(stub, async (instance: ProviderRateLimiter) => {
      expect(() => instance.reserve(0, 1)).toThrow(/positive/);
    });
  });

  it('makes concurrent jobs of one provider wait their turn through the Durable Object', async () => {
    const limiter = new DurableRateLimiter(env.RATE_LIMITER, 20);
    const started = Date.now();
    await Promise.all(Array.from({ length: 30 }, () => limiter.acquire('liverc-shared-test')));
    // 30 requests at 20/s with a burst of 20 cannot all pass at once: at least ~10 intervals of 50 ms were waited.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });
});
