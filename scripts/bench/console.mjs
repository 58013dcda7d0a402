// Bench section `console`: per-page latency of the admin console on wrangler dev, one client (service time), after
// a signed-in session is opened the way a browser opens it (form post with the operator token, same Origin).
import { closedLoop } from './stack.mjs';

const PAGES = (jobId, pubId) => [
  '/admin',
  '/admin/pipelines',
  '/admin/jobs',
  `/admin/jobs/${jobId}`,
  `/admin/jobs/${jobId}/live.json`,
  '/admin/publications',
  `/admin/publications/${pubId}`,
  '/admin/schedules',
];

export async function measureConsole(a, { jobId, pubId, token, requests = 100 }) {
  const signIn = await fetch(`${a.url}/admin/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: a.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, next: '/admin' }),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  if (signIn.status !== 303 || !cookie) throw new Error(`console sign-in failed: ${signIn.status}`);
  const rows = [];
  for (const path of PAGES(jobId, pubId)) {
    const get = async () => {
      const r = await fetch(`${a.url}${path}`, { headers: { cookie }, redirect: 'manual' });
      await r.arrayBuffer();
      return r;
    };
    await closedLoop({ total: 10, concurrency: 1, fn: get }); // warm-up
    rows.push({
      path: path.replace(jobId, ':job').replace(pubId, ':publication'),
      ...(await closedLoop({ total: requests, concurrency: 1, timeLimitMs: 60_000, fn: get })),
    });
  }
  return rows;
}
