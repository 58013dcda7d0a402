import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/worker/app';
import { api, CATALOG, migrate, TOKEN } from './helpers';

const countJobs = async () => (await env.DB.prepare('SELECT count(*) AS n FROM ingestion_jobs').first<{ n: number }>())!.n;
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; details?: any } }).error;

describe('internal API edges', () => {
  beforeEach(migrate);
  afterEach(() => reset());

  it('serves liveness and readiness', async () => {
    expect((await api('/health/live', { token: null })).status).toBe(200);
    const ready = await api('/health/ready', { token: null });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('reports not-ready with the reason when the database is not migrated', async () => {
    await reset();
    const res = await api('/health/ready', { token: null });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { reasons: string[] };
    expect(body.reasons.join(' ')).toMatch(/missing tables ingestion_jobs/);
  });

  it('requires a bearer token and rejects a wrong one', async () => {
    const missing = await api('/jobs', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await errorOf(missing)).code).toBe('AUTH_REQUIRED');
    const wrong = await api('/jobs', { token: 'test-token-0123456780' });
    expect(wrong.status).toBe(401);
    expect((await errorOf(wrong)).code).toBe('AUTH_INVALID');
    const basic = await api('/jobs', { token: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(401);
  });

  it('allows unauthenticated calls only in explicit insecure mode', async () => {
    const app = createApp();
    const insecureEnv = { ...env, INTERNAL_AUTH_TOKEN: undefined, ALLOW_INSECURE_INTERNAL_AUTH: 'true' } as Env;
    const res = await app.fetch(new Request('http://x/internal/v1/jobs'), insecureEnv);
    expect(res.status).toBe(200);
    const noTokenEnv = { ...env, INTERNAL_AUTH_TOKEN: undefined, API_TOKENS: undefined } as Env;
    const refused = await app.fetch(new Request('http://x/internal/v1/jobs'), noTokenEnv);
    expect(refused.status).toBe(503);
    expect((await errorOf(refused)).message).toMatch(/INTERNAL_AUTH_TOKEN/);
  });

  it('answers a bad configuration with the variable named, and readiness fails', async () => {
    const app = createApp();
    const bad = { ...env, WORKER_HEARTBEAT_INTERVAL_SEC: '90' } as Env;
    const res = await app.fetch(
      new Request('http://x/internal/v1/jobs', { headers: { authorization: 'Bearer test-token-0123456789' } }),
      bad,
    );
    expect(res.status).toBe(503);
    const err = await errorOf(res);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.details.variable).toBe('WORKER_HEARTBEAT_INTERVAL_SEC');
    const ready = await app.fetch(new Request('http://x/internal/v1/health/ready'), bad);
    expect(ready.status).toBe(503);
  });

  it('rejects malformed, mistyped and oversized bodies without writing anything', async () => {
    const malformed = await api('/jobs', { method: 'POST', body: '{"pipeline":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).code).toBe('MALFORMED_JSON');
    const wrongType = await api('/jobs', {
      method: 'POST',
      body: 'pipeline=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).toBe(415);
    const array = await api('/jobs', { method: 'POST', json: [1, 2] });
    expect((await errorOf(array)).code).toBe('INVALID_REQUEST');
    const huge = await api('/jobs', { method: 'POST', json: { pipeline: 'liverc.track_catalog', params: { pad: 'x'.repeat(70_000) } } });
    expect(huge.status).toBe(413);
    expect((await errorOf(huge)).code).toBe('PAYLOAD_TOO_LARGE');
    expect(await countJobs()).toBe(0);
  });

  it('validates the pipeline, its params and the request fields', async () => {
    const unknown = await api('/jobs', { method: 'POST', json: { pipeline: 'nope.pipeline', params: {} } });
    expect(unknown.status).toBe(400);
    expect((await errorOf(unknown)).code).toBe('UNKNOWN_PIPELINE');
    const badParams = await api('/jobs', {
      method: 'POST',
      json: { pipeline: 'liverc.event_catalog', params: { track_slug: 'Bad Slug!' } },
    });
    expect(badParams.status).toBe(400);
    const e = await errorOf(badParams);
    expect(e.code).toBe('INVALID_PARAMS');
    expect(Object.keys(e.details.fields)).toContain('track_slug');
    const typo = await api('/jobs', { method: 'POST', json: { pipeline: 'smoothcomp.event_catalog', params: { contry: 'US' } } });
    expect(typo.status).toBe(400);
    expect((await errorOf(typo)).details.fields).toEqual({ contry: ['unknown param'] });
    const extra = await api('/jobs', { method: 'POST', json: { pipeline: 'liverc.track_catalog', params: {}, priority: 9 } });
    expect((await errorOf(extra)).code).toBe('INVALID_REQUEST');
    const attempts = await api('/jobs', { method: 'POST', json: { pipeline: 'liverc.track_catalog', max_attempts: 0 } });
    expect((await errorOf(attempts)).details.fields.max_attempts).toBeDefined();
    expect(await countJobs()).toBe(0);
  });

  it('answers unknown routes, wrong methods, bad ids, bad queries and cursors with 4xx codes', async () => {
    expect((await errorOf(await api('/nope'))).code).toBe('NOT_FOUND');
    expect((await api('/nope')).status).toBe(404);
    const del = await api('/jobs', { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, POST');
    expect((await errorOf(await api('/jobs/not-a-uuid'))).code).toBe('INVALID_JOB_ID');
    const missing = await api('/jobs/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe('JOB_NOT_FOUND');
    expect((await errorOf(await api('/jobs?state=sleeping'))).code).toBe('INVALID_QUERY');
    expect((await errorOf(await api('/jobs?limit=100000'))).code).toBe('INVALID_QUERY');
    expect((await errorOf(await api('/jobs?cursor=%%%'))).code).toBe('INVALID_CURSOR');
    expect((await errorOf(await api('/jobs/00000000-0000-4000-8000-000000000000/cancel', { method: 'POST' }))).code).toBe('JOB_NOT_FOUND');
    expect((await errorOf(await api('/publications/latest'))).code).toBe('PIPELINE_REQUIRED');
    expect((await errorOf(await api('/publications/latest?pipeline=liverc.event_catalog&colour=red'))).code).toBe('UNKNOWN_SCOPE_FILTER');
    const none = await api('/publications/latest?pipeline=liverc.event_catalog&track_slug=nowhere');
    expect(none.status).toBe(404);
    expect((await errorOf(none)).code).toBe('PUBLICATION_NOT_FOUND');
    expect((await errorOf(await api('/snapshots/abc'))).code).toBe('INVALID_SHA256');
    expect((await api(`/snapshots/${'a'.repeat(64)}`)).status).toBe(404);
  });

  it('propagates a valid X-Request-Id and replaces a hostile one', async () => {
    const mine = await api('/jobs', { headers: { 'x-request-id': 'req-123.abc' } });
    expect(mine.headers.get('x-request-id')).toBe('req-123.abc');
    const hostile = await api('/jobs', { headers: { 'x-request-id': '<script>alert(1)</script>'.padEnd(300, 'z') } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes one log line per request: an enqueue names its job in the access line', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((l: unknown) => void lines.push(JSON.parse(String(l))));
    const app = createApp();
    const infoEnv = { ...env, LOG_LEVEL: 'info' } as Env; // the suite runs at warn
    const call = (path: string, init: RequestInit = {}) => app.fetch(new Request(`http://x/internal/v1${path}`, init), infoEnv);
    try {
      const res = await call('/jobs', {
        method: 'POST',
        body: JSON.stringify(CATALOG),
        headers: { 'x-request-id': 'req-one-line', authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      });
      expect(res.status).toBe(202);
      await call('/health/live');
    } finally {
      spy.mockRestore();
    }
    const job = ((await (await api('/jobs')).json()) as { jobs: Array<{ id: string }> }).jobs[0]!;
    const ofRequest = lines.filter((l) => l.request_id === 'req-one-line');
    expect(ofRequest).toHaveLength(1);
    expect(ofRequest[0]).toMatchObject({
      msg: 'job enqueued',
      method: 'POST',
      path: '/internal/v1/jobs',
      status: 202,
      job_id: job.id,
      pipeline: CATALOG.pipeline,
      scope_key: 'track_slug=canberraoffroad',
      state: 'pending',
    });
    expect(typeof ofRequest[0]!.duration_ms).toBe('number');
    // A route that names nothing keeps the plain access line.
    expect(lines.filter((l) => l.path === '/internal/v1/health/live').map((l) => l.msg)).toEqual(['http request']);
  });

  it('sends no CORS headers', async () => {
    const res = await api('/jobs', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
