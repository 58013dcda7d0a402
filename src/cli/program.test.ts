/**
 * The `ingest` program (commander parsing, command layer, exit codes) against the real Worker in the pool: its
 * API, the real queue consumer, D1, R2 and the fixture server. Only stdout/stderr and the clock are the test's.
 */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import eventsPage from '../../testdata/liverc/Track.events.listing.page.html?raw';
import { withCleanState, fixtures, TOKEN, READER_TOKEN, CATALOG_KEY, captureErrorLogs } from '../../test/helpers';
import { EXIT } from './client';
import type { Io } from './io';
import { runCli } from './program';

function harness(token: string | undefined = TOKEN) {
  const out: string[] = [];
  const err: string[] = [];
  const bars: Array<{ label: string; updates: Array<[number, number, string]> }> = [];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    json: false,
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 100))),
    progress: {
      start: (label) => bars.push({ label, updates: [] }),
      update: (d, t, s) => bars[bars.length - 1]!.updates.push([d, t, s]),
      stop: () => {},
    },
  };
  const fetchFn = (url: string, init?: RequestInit) => exports.default.fetch(new Request(url, init));
  const run = (...argv: string[]) =>
    runCli(argv, {
      io,
      env: { INGEST_URL: 'http://adapter.local', INGEST_TOKEN: token },
      fetch: fetchFn,
      wait: { intervalMs: 100, timeoutMs: 20_000 },
    });
  return { out, err, bars, run };
}

describe('ingest CLI', () => {
  withCleanState();

  it('runs the LiveRC seed flow: events ingest succeeds with progress, then exits ALREADY_COMPLETE', async () => {
    const h = harness();
    expect(
      await h.run('events', 'ingest', '--track', 'canberraoffroad', '--event', '486677', '--depth', 'laps_full'),
      h.err.join('\n') + h.out.join('\n'),
    ).toBe(EXIT.OK);
    expect(h.out.join('\n')).toMatch(/liverc\.event_deep \[track_slug=canberraoffroad&event_id=486677\] succeeded - PUBLISH_FIRST/);
    const bar = h.bars[0]!;
    expect(bar.label).toBe('liverc.event_deep');
    const last = bar.updates[bar.updates.length - 1]!;
    expect(last[2]).toBe('succeeded');
    expect(last[0]).toBe(last[1]);
    expect(bar.updates.some((u) => u[2] === 'pending' || u[2] === 'running')).toBe(true);

    await fixtures.reset();
    const again = harness();
    expect(await again.run('--json', 'events', 'ingest', '--track', 'canberraoffroad', '--event', '486677')).toBe(EXIT.ALREADY_COMPLETE);
    const doc = JSON.parse(again.out.join('')) as { job: { result: { skip_reason: string }; requested_by: string }; exit_code: number };
    expect(doc).toMatchObject({
      exit_code: EXIT.ALREADY_COMPLETE,
      job: { result: { skip_reason: 'EVENT_ALREADY_COMPLETE' }, requested_by: 'default' },
    });
    expect(await fixtures.log()).toEqual([]);

    const ren = harness();
    expect(await ren.run('renormalize', 'liverc.event_deep', '--dry-run')).toBe(EXIT.OK);
    expect(ren.out[0]).toMatch(/^op-[0-9a-f-]{36}: dry run, 1 scopes would be replayed$/);
    const pub = harness();
    expect(
      await pub.run('publications', 'latest', 'liverc.event_deep', '--param', 'track_slug=canberraoffroad', '--param', 'event_id=486677'),
    ).toBe(EXIT.OK);
    expect(pub.out[0]).toMatch(/^publication [0-9a-f-]{36} #1 of liverc\.event_deep/);
    expect(await pub.run('publications', 'history', 'liverc.event_deep', '-p', 'track_slug=canberraoffroad', '-p', 'event_id=486677')).toBe(
      EXIT.OK,
    );
    expect(pub.out.join('\n')).toMatch(/PUBLISH_FIRST/);
  });

  it('tracks sync and events refresh wait for their jobs', async () => {
    const h = harness();
    expect(await h.run('tracks', 'sync'), h.err.join('\n') + h.out.join('\n')).toBe(EXIT.OK);
    expect(await h.run('--json', 'events', 'refresh', '--track', 'canberraoffroad', '--depth', 'none')).toBe(EXIT.OK);
    const doc = JSON.parse(h.out[h.out.length - 1]!) as {
      job: { state: string; pipeline: string; params: Record<string, unknown> };
      children: unknown[];
    };
    expect(doc.job).toMatchObject({
      state: 'succeeded',
      pipeline: 'liverc.event_catalog',
      params: { track_slug: 'canberraoffroad', depth: 'none' },
    });
    expect(doc.children).toEqual([]);
    expect(h.bars.map((b) => b.label)).toEqual(['liverc.track_catalog', 'liverc.event_catalog']);
  });

  it('lists, shows, cancels and retries jobs, and shows schedules', async () => {
    const h = harness();
    expect(await h.run('--json', 'enqueue', 'liverc.event_catalog', '--param', 'track_slug=canberraoffroad', '--param', 'depth=none')).toBe(
      EXIT.OK,
    );
    const { job } = JSON.parse(h.out.pop()!) as { job: { id: string } };
    expect(await h.run('jobs', 'cancel', job.id)).toBe(EXIT.OK);
    expect(h.out.pop()).toMatch(/cancelled/);
    expect(await h.run('jobs', 'retry', job.id)).toBe(EXIT.REJECTED);
    expect(h.err.pop()).toMatch(/JOB_NOT_RETRYABLE/);
    expect(await h.run('jobs', 'list', '--pipeline', 'liverc.event_catalog')).toBe(EXIT.OK);
    expect(h.out.pop()).toMatch(
      new RegExp(`${job.id}\\s+liverc\\.event_catalog\\s+track_slug=canberraoffroad\\s+cancelled\\s+\\S+\\s+default`),
    );
    expect(await h.run('jobs', 'bulk-retry', '--state', 'exhausted', '--pipeline', 'liverc.event_catalog', '--dry-run')).toBe(EXIT.OK);
    expect(h.out.join('\n')).toMatch(/op-[0-9a-f-]{36}: dry run, would retry 0/);
    expect(await h.run('jobs', 'show', job.id)).toBe(EXIT.OK);
    expect(h.out.join('\n')).toMatch(/requested by default/);
    expect(await h.run('schedules', 'set', 'tracks.hourly', '--pipeline', 'liverc.track_catalog', '--cron', '*/30 * * * *')).toBe(EXIT.OK);
    expect(await h.run('schedules')).toBe(EXIT.OK);
    expect(h.out.pop()).toMatch(/tracks\.hourly\s+liverc\.track_catalog/);
  });

  it('exits with distinct codes for a refused token, a reader token acting, bad usage and an unreachable API', async () => {
    const wrong = harness('not-the-token-0123456789');
    expect(await wrong.run('jobs', 'list')).toBe(EXIT.AUTH);
    expect(wrong.err.join('\n')).toMatch(/refused the token \(AUTH_INVALID/);
    const reader = harness(READER_TOKEN);
    expect(await reader.run('jobs', 'list')).toBe(EXIT.OK);
    expect(await reader.run('tracks', 'sync')).toBe(EXIT.AUTH);
    expect(reader.err.join('\n')).toMatch(/ROLE_FORBIDDEN/);
    const usage = harness();
    expect(await usage.run('enqueue', 'liverc.event_catalog', '--param', 'no-equals-sign')).toBe(EXIT.USAGE);
    expect(await usage.run('frobnicate')).toBe(EXIT.USAGE);
    expect(await usage.run('events', 'ingest', '--track', 'x', '--event', '1', '--depth', 'deep')).toBe(EXIT.USAGE);
    expect(await usage.run('enqueue', 'no.such_pipeline')).toBe(EXIT.REJECTED);
    // A real connection to a loopback port nothing listens on.
    const down = await runCli(['--url', 'http://127.0.0.1:9', 'jobs', 'list'], {
      io: {
        out: () => {},
        err: (t) => usage.err.push(t),
        json: false,
        sleep: async () => {},
        progress: { start() {}, update() {}, stop() {} },
      },
      env: { INGEST_TOKEN: TOKEN },
    });
    expect(down).toBe(EXIT.UNREACHABLE);
    expect(usage.err.pop()).toMatch(/cannot reach the API at http:\/\/127\.0\.0\.1:9/);
  });

  it('events refresh --depth laps_full waits for the event ingestions it starts (only newly discovered events)', async () => {
    // The first sync sees the listing without event 486677; the laps_full sync then discovers it and ingests it.
    const row = /<tr>\s*<td><a href="\/results\/\?p=view_event&id=486677"[\s\S]*?<\/tr>/.exec(eventsPage)![0];
    await fixtures.routes([{ key: CATALOG_KEY, body: eventsPage.replace(row, '') }]);
    const h = harness();
    expect(await h.run('events', 'refresh', '--track', 'canberraoffroad'), h.err.join('\n')).toBe(EXIT.OK);
    await fixtures.reset();
    expect(await h.run('--json', 'events', 'refresh', '--track', 'canberraoffroad', '--depth', 'laps_full'), h.err.join('\n')).toBe(
      EXIT.OK,
    );
    const doc = JSON.parse(h.out[h.out.length - 1]!) as {
      job: { state: string; params: Record<string, unknown>; result: { child_job_ids: string[] } };
      children: Array<{ id: string; pipeline: string; state: string; params: Record<string, unknown>; requested_by: string }>;
      exit_code: number;
    };
    expect(doc.job).toMatchObject({
      state: 'succeeded',
      params: { track_slug: 'canberraoffroad', depth: 'laps_full', ingest: 'new_only' },
    });
    expect(doc.children).toEqual([
      expect.objectContaining({
        pipeline: 'liverc.event_deep',
        state: 'succeeded',
        params: expect.objectContaining({ track_slug: 'canberraoffroad', event_id: '486677' }),
      }),
    ]);
    expect(doc.job.result.child_job_ids).toEqual([doc.children[0]!.id]);
    expect(doc.exit_code).toBe(EXIT.OK);
    // One bar per job, then one counting the children, which ends full.
    expect(h.bars.map((b) => b.label)).toEqual(['liverc.event_catalog', 'liverc.event_catalog', 'child jobs']);
    expect(h.bars[2]!.updates.at(-1)).toEqual([1, 1, '1/1 children done']);
  });

  it('follows a bulk retry by its operation id with a progress bar: operations show, jobs bulk-retry --wait', async () => {
    const logs = captureErrorLogs();
    await fixtures.routes([{ key: CATALOG_KEY, status: 400, body: 'bad', contentType: 'text/plain' }]);
    const h = harness();
    expect(await h.run('enqueue', 'liverc.event_catalog', '-p', 'track_slug=canberraoffroad', '--wait')).toBe(EXIT.FAILED);
    expect(logs.seen()).toEqual(['job failed:PROVIDER_4XX']);
    await fixtures.reset();
    expect(await h.run('--json', 'jobs', 'bulk-retry', '--state', 'failed', '--error-code', 'PROVIDER_4XX', '--wait')).toBe(EXIT.OK);
    const doc = JSON.parse(h.out.pop()!) as {
      operation: { operation_id: string; kind: string; requested_by: string };
      status: { state: string; jobs: Record<string, unknown> };
      exit_code: number;
    };
    expect(doc).toMatchObject({
      operation: { kind: 'bulk_retry', requested_by: 'default' },
      status: { state: 'done', jobs: { total: 1, finished: 1, by_state: { succeeded: 1 }, decisions: { PUBLISH_FIRST: 1 } } },
      exit_code: EXIT.OK,
    });
    const bar = h.bars[h.bars.length - 1]!;
    expect(bar.label).toBe(doc.operation.operation_id);
    expect(bar.updates.at(-1)).toEqual([1, 1, 'done']);
    const show = harness();
    expect(await show.run('operations', 'show', doc.operation.operation_id)).toBe(EXIT.OK);
    expect(show.out[0]).toMatch(new RegExp(`^${doc.operation.operation_id} bulk_retry by default at \\S+: done, 1/1 jobs finished$`));
    expect(show.out[1]).toBe('states: succeeded 1; decisions: PUBLISH_FIRST 1');
    expect(await show.run('operations', 'show', 'op-00000000-0000-4000-8000-000000000000')).toBe(EXIT.REJECTED);
    expect(show.err.pop()).toMatch(/OPERATION_NOT_FOUND/);
  });
});
