import { reset } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allowedMethods } from '../src/worker/app';
import { api, migrate } from './helpers';

beforeEach(migrate);
afterEach(() => reset());

// The Allow answers the API gave when it kept a second, hand-written table (before the router became the source).
const ANSWERS: Array<[string, string, string]> = [
  ['/jobs', 'DELETE', 'GET, POST'],
  ['/jobs/00000000-0000-4000-8000-000000000000', 'POST', 'GET'],
  ['/jobs/00000000-0000-4000-8000-000000000000/cancel', 'GET', 'POST'],
  ['/jobs/00000000-0000-4000-8000-000000000000/retry', 'GET', 'POST'],
  ['/publications', 'POST', 'GET'],
  ['/publications/00000000-0000-4000-8000-000000000000', 'DELETE', 'GET'],
  ['/snapshots/abc', 'POST', 'GET'],
  ['/metrics', 'POST', 'GET'],
  ['/pipelines', 'POST', 'GET'],
  ['/schedules', 'POST', 'GET'],
  ['/health/live', 'POST', 'GET'],
  ['/health/ready', 'POST', 'GET'],
  ['/schedules/nightly', 'GET', 'PUT'],
  // GET on these two paths is GET /operations/{id} since that route exists ("bulk-retry" is refused there as an invalid
  // id, 400), so the 405 is checked with another method.
  ['/operations/bulk-retry', 'PUT', 'POST'],
  ['/operations/renormalize', 'DELETE', 'POST'],
];

describe('405 answers come from the router', () => {
  it.each(ANSWERS)('%s %s → 405, Allow: %s', async (path, method, allow) => {
    const res = await api(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('leaves unknown paths 404 and ignores middleware and paths outside the prefix', async () => {
    expect((await api('/nope', { method: 'DELETE' })).status).toBe(404);
    const table = allowedMethods(
      [
        { method: 'ALL', path: '/internal/v1/*' },
        { method: 'GET', path: '/admin/jobs' },
        { method: 'GET', path: '/internal/v1/a/:id' },
        { method: 'PUT', path: '/internal/v1/a/:id' },
      ],
      '/internal/v1/',
    );
    expect(table.map(([re, allow]) => [re.test('/internal/v1/a/7'), re.test('/internal/v1/a/7/b'), allow])).toEqual([
      [true, false, 'GET, PUT'],
    ]);
  });
});
