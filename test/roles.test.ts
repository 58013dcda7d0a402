import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/worker/app';
import { ALICE_TOKEN, api, migrate, READER_TOKEN } from './helpers';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SAMPLE: Record<string, string> = { id: '00000000-0000-4000-8000-000000000000', sha256: '0'.repeat(64) };

/** Every concrete route of the app's own route table (middleware registered with `use` is method ALL). */
function routeTable() {
  const seen = new Map<string, { method: string; path: string; roles: string[] }>();
  for (const r of createApp().routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/internal/v1/') || r.path.includes('*')) continue;
    const key = `${r.method} ${r.path}`;
    const entry = seen.get(key) ?? { method: r.method, path: r.path, roles: [] };
    // Hono wraps a mounted app's handlers (error handling) and keeps the original under __COMPOSED_HANDLER.
    let h = r.handler as { requiredRole?: string; __COMPOSED_HANDLER?: unknown } | undefined;
    while (h && !h.requiredRole && h.__COMPOSED_HANDLER) h = h.__COMPOSED_HANDLER as typeof h;
    const role = h?.requiredRole;
    if (role) entry.roles.push(role);
    seen.set(key, entry);
  }
  return [...seen.values()];
}

const concrete = (path: string) =>
  path.replace(/:([a-z0-9_]+)/gi, (_, name: string) => SAMPLE[name] ?? 'sample-id').replace('/internal/v1', '');
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; details?: Record<string, unknown> } }).error;

describe('token roles', () => {
  beforeEach(migrate);
  afterEach(() => reset());

  it('finds the mutating routes in the route table', () => {
    const mutating = routeTable()
      .filter((r) => MUTATING.has(r.method))
      .map((r) => `${r.method} ${r.path}`);
    // A floor, not the list: a new route is covered by the walk below without editing this test.
    expect(mutating).toEqual(
      expect.arrayContaining([
        'POST /internal/v1/jobs',
        'POST /internal/v1/jobs/:id/cancel',
        'POST /internal/v1/jobs/:id/retry',
        'PUT /internal/v1/schedules/:id',
      ]),
    );
  });

  it('every mutating route declares the operator role and refuses a reader token with 403 ROLE_FORBIDDEN', async () => {
    const mutating = routeTable().filter((r) => MUTATING.has(r.method));
    for (const r of mutating) {
      expect(r.roles, `${r.method} ${r.path} declares requireRole('operator')`).toContain('operator');
      const res = await api(concrete(r.path), { method: r.method, token: READER_TOKEN, json: {} });
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
      const err = await errorOf(res);
      expect(err).toMatchObject({ code: 'ROLE_FORBIDDEN', details: { required_role: 'operator', role: 'reader' } });
    }
    expect(Number((await env.DB.prepare('SELECT count(*) AS n FROM ingestion_jobs').first<{ n: number }>())!.n)).toBe(0);
  });

  it('an operator token passes the role check on every mutating route', async () => {
    for (const r of routeTable().filter((x) => MUTATING.has(x.method))) {
      const res = await api(concrete(r.path), { method: r.method, token: ALICE_TOKEN, json: {} });
      expect([401, 403], `${r.method} ${r.path} answered ${res.status}`).not.toContain(res.status);
    }
  });

  it('a reader token reads every read route', async () => {
    for (const r of routeTable().filter((x) => x.method === 'GET')) {
      const res = await api(concrete(r.path), { token: READER_TOKEN });
      expect([401, 403], `${r.method} ${r.path} answered ${res.status}`).not.toContain(res.status);
    }
  });

  it('records the caller token name as requested_by on the job and its transitions', async () => {
    const res = await api('/jobs', { method: 'POST', token: ALICE_TOKEN, json: { pipeline: 'liverc.track_catalog', params: {} } });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: { id: string; requested_by: string } };
    expect(job.requested_by).toBe('ops-alice');
    const cancelled = await api(`/jobs/${job.id}/cancel`, { method: 'POST', json: {} });
    expect(cancelled.status).toBe(200);
    const detail = (await (await api(`/jobs/${job.id}`, { token: READER_TOKEN })).json()) as {
      job: { requested_by: string };
      transitions: Array<{ actor: string; requested_by: string }>;
    };
    expect(detail.job.requested_by).toBe('ops-alice');
    expect(detail.transitions.map((t) => [t.actor, t.requested_by])).toEqual([
      ['ops-alice', 'ops-alice'],
      ['default', 'default'],
    ]);
  });
});
