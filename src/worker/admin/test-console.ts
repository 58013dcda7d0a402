/** Test support for the console's tests in the Workers pool: a request helper and a signed-in session. */
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { TOKEN } from '../../../test/helpers';

export const ORIGIN = 'http://adapter.local';

export function page(path: string, init: RequestInit & { cookie?: string; form?: Record<string, string>; origin?: string | null } = {}) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('cookie', init.cookie);
  let body = init.body;
  if (init.form) {
    headers.set('content-type', 'application/x-www-form-urlencoded');
    body = new URLSearchParams(init.form).toString();
  }
  if (init.origin !== null && (init.form || init.method === 'POST')) headers.set('origin', init.origin ?? ORIGIN);
  return exports.default.fetch(
    new Request(`${ORIGIN}/admin${path}`, { method: init.form ? 'POST' : (init.method ?? 'GET'), headers, body, redirect: 'manual' }),
  );
}

export async function signIn(token = TOKEN): Promise<{ cookie: string; csrf: string }> {
  const res = await page('/sign-in', { form: { token, next: '/admin' } });
  expect(res.status).toBe(303);
  const setCookie = res.headers.get('set-cookie')!;
  const cookie = setCookie.split(';')[0]!;
  const html = await (await page('', { cookie })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error(html.slice(0, 2000));
  return { cookie, csrf };
}

export const jobCount = async () => (await env.DB.prepare('SELECT count(*) AS n FROM ingestion_jobs').first<{ n: number }>())!.n;
