/**
 * The dev stack's cron ticker (scripts/cron-ticker.mjs) against a real loopback HTTP server standing in for
 * wrangler dev: it fires at once, then at every minute boundary (UTC), and stops. Only timers and the clock are fake.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CRON, startCronTicker } from './cron-ticker.mjs';

/** A queue of events a test can await one by one, without any timer. */
function events<T>() {
  const seen: T[] = [];
  const waiting: Array<(v: T) => void> = [];
  return {
    seen,
    push(v: T) {
      seen.push(v);
      waiting.shift()?.(v);
    },
    next: () => new Promise<T>((ok) => waiting.push(ok)),
  };
}

let server: Server | null = null;
afterEach(async () => {
  vi.useRealTimers();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  server = null;
});

async function fakeWrangler(requests: ReturnType<typeof events<{ url: string; at: string }>>) {
  server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', at: new Date().toISOString() });
    res.writeHead(200, { connection: 'close' }).end('ok');
  });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('cron ticker', () => {
  it('fires the scheduled handler at start, then at each minute boundary, until stopped', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(Date.parse('2026-12-02T12:00:30.000Z'));
    const requests = events<{ url: string; at: string }>();
    const logs = events<string>();
    const url = await fakeWrangler(requests);
    const ticker = startCronTicker(url, { log: (m: string) => logs.push(m) });
    await ticker.first;
    expect(requests.seen).toEqual([{ url: `/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(CRON)}`, at: '2026-12-02T12:00:30.000Z' }]);
    expect(logs.seen).toEqual(['cron * * * * * fired at 2026-12-02T12:00:30.000Z: 200']);

    // Not before the boundary, 30 s later.
    await vi.advanceTimersByTimeAsync(29_999);
    expect(requests.seen).toHaveLength(1);
    let log = logs.next();
    await vi.advanceTimersByTimeAsync(1);
    expect(await log).toBe('cron * * * * * fired at 2026-12-02T12:01:00.000Z: 200');
    log = logs.next();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await log).toBe('cron * * * * * fired at 2026-12-02T12:02:00.000Z: 200');
    expect(requests.seen.map((r) => r.at)).toEqual(['2026-12-02T12:00:30.000Z', '2026-12-02T12:01:00.000Z', '2026-12-02T12:02:00.000Z']);

    ticker.stop();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(requests.seen).toHaveLength(3);
  });

  it('logs and keeps going when the Worker cannot be reached', async () => {
    const logs: string[] = [];
    // A loopback port nothing listens on.
    const ticker = startCronTicker('http://127.0.0.1:9', { log: (m: string) => logs.push(m) });
    await ticker.first;
    ticker.stop();
    expect(logs).toEqual([expect.stringMatching(/^cron \* \* \* \* \* could not be fired: fetch failed$/)]);
  });
});
