/** Test helpers: migrated D1, API calls with auth, fixture-server control, runtime deps with a controllable clock. */
import { applyD1Migrations, reset, type D1Migration } from 'cloudflare:test';
import { afterEach, beforeEach, expect, onTestFinished, vi } from 'vitest';
import { env, exports } from 'cloudflare:workers';
import type { JobQueue } from '../src/core/ports';
import type { Job } from '../src/core/types';
import type { RuntimeDeps } from '../src/runtime/deps';
import { buildDeps } from '../src/wiring/env-ports';
import { enqueueJob, type EnqueueInput } from '../src/runtime/enqueue';
import { handleJobMessage } from '../src/runtime/handle-job-message';

export const TOKEN = 'test-token-0123456789';
/** API_TOKENS in vitest.config.ts: `nest` (reader) and `ops-alice` (operator). */
export const READER_TOKEN = 'reader-token-0123456789';
export const ALICE_TOKEN = 'alice-token-0123456789';

export async function migrate(): Promise<void> {
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS as D1Migration[]);
}

export function api(path: string, init: RequestInit & { json?: unknown; token?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token !== null) headers.set('authorization', `Bearer ${init.token ?? TOKEN}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(new Request(`http://adapter.local/internal/v1${path}`, { ...init, headers, body }));
}

const control = (path: string, body?: unknown) =>
  fetch(`${env.FIXTURE_CONTROL_URL}/__control/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });

export interface RouteOverride {
  key: string;
  file?: string;
  body?: string;
  /** Exact bytes, base64: binary bodies survive the JSON control API. */
  bodyBase64?: string;
  status?: number;
  headers?: Record<string, string>;
  contentType?: string;
  times?: number;
  delayMs?: number;
  /** Recorded by the fixture server as the route's last full 200 page served (GET /__control/stats). */
  label?: string;
  /** Answer 200 with half the body: `length` (Content-Length says the full size) or `chunked` (nothing says so). */
  cut?: 'length' | 'chunked';
}

export const fixtures = {
  reset: () => control('reset', {}),
  routes: (routes: RouteOverride[]) => control('routes', routes),
  faults: (f: Record<string, number> | null) => control('faults', f),
  stats: async (): Promise<{
    requests: number;
    served: number;
    faults: Record<string, number>;
    lastServed: Record<string, { label: string; at: number }>;
  }> => (await control('stats')).json() as never,
  log: async (): Promise<Array<{ key: string; method: string }>> =>
    ((await (await control('log')).json()) as { requests: Array<{ key: string; method: string }> }).requests,
};

/** A queue port that records sends instead of delivering them, for tests that drive handleJobMessage by hand. */
export class RecordingQueue implements JobQueue {
  sent: Array<{ jobId: string; delaySec?: number }> = [];
  async send(jobId: string, delaySec?: number) {
    this.sent.push({ jobId, delaySec });
  }
  async sendMany(ids: string[]) {
    for (const id of ids) this.sent.push({ jobId: id });
  }
}

export interface Clock {
  t: number;
  now: () => number;
  advance: (ms: number) => void;
}

export function clock(start = Date.now()): Clock {
  const c: Clock = {
    t: start,
    now: () => c.t,
    advance: (ms) => {
      c.t += ms;
    },
  };
  return c;
}

/** Real D1, R2, Durable Objects and provider transport; a recording queue and a controllable clock. */
export function manualDeps(opts: { clock?: Clock; workerId?: string } = {}): RuntimeDeps & { queue: RecordingQueue } {
  const base = buildDeps(env);
  const c = opts.clock ?? clock();
  return { ...base, queue: new RecordingQueue(), now: c.now, workerId: opts.workerId ?? base.workerId, random: () => 0.5 };
}

export async function waitForJob(
  id: string,
  done: (j: Job) => boolean = (j) => ['succeeded', 'failed', 'exhausted', 'cancelled'].includes(j.state),
  timeoutMs = 20_000,
): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(`/jobs/${id}`);
    const body = (await res.json()) as Record<string, any>;
    const job = body.job;
    if (job && done({ ...job, state: job.state } as Job)) return body;
    if (Date.now() > until) throw new Error(`job ${id} still ${job?.state} after ${timeoutMs} ms`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

export const CATALOG = { pipeline: 'liverc.event_catalog', params: { track_slug: 'canberraoffroad' } } as const;
export const CATALOG_KEY = 'canberraoffroad.liverc.com/events/';

/** Invariants every test ends with: no running job without a live lease; every job's last transition is its state. */
export async function assertInvariants(now = Date.now()): Promise<void> {
  const stuck = await env.DB.prepare(`SELECT id FROM ingestion_jobs WHERE state = 'running' AND (lease_until IS NULL OR lease_until < ?)`)
    .bind(now)
    .all();
  if (stuck.results.length) throw new Error(`running jobs without a live lease: ${JSON.stringify(stuck.results)}`);
  const bad = await env.DB.prepare(
    `SELECT j.id, j.state, (SELECT t.to_state FROM job_state_transitions t WHERE t.job_id = j.id ORDER BY t.rowid DESC LIMIT 1) AS last
     FROM ingestion_jobs j`,
  ).all<{ id: string; state: string; last: string | null }>();
  const mismatched = bad.results.filter((r) => r.last !== r.state);
  if (mismatched.length) throw new Error(`jobs whose last transition is not their state: ${JSON.stringify(mismatched)}`);
}

/** Fresh migrated D1 and a reset fixture server before each test; invariants checked and storage reset after. */
export function withCleanState(opts: { invariants?: boolean } = {}): void {
  beforeEach(async () => {
    await migrate();
    await fixtures.reset();
  });
  afterEach(async () => {
    if (opts.invariants !== false) await assertInvariants();
    await reset();
  });
}

/** Enqueue (recording queue) and process one job by hand; returns the outcome and the stored job. */
export async function runOnce(
  deps: ReturnType<typeof manualDeps>,
  pipeline: string,
  params: Record<string, unknown>,
  extra: Partial<EnqueueInput> = {},
) {
  const { job } = await enqueueJob({ ...deps, defaultMaxAttempts: 3 }, { pipeline, params, actor: 'test', reason: 'test', ...extra });
  const out = await handleJobMessage(deps, job.id);
  return { id: job.id, out, stored: (await deps.store.getJob(job.id))! };
}

export type LogLine = { level: string; msg: string; error_code?: string; [k: string]: unknown };

/**
 * Error-level log lines a test provokes on purpose are captured here instead of printed (a green run prints none),
 * so the test can assert on them. Everything else still reaches the console. Ends with the test. `seen()` lists
 * them as `msg:error_code`, in order.
 */
export function captureErrorLogs() {
  const print = console.log.bind(console);
  const errors: LogLine[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    const line = args.length === 1 && typeof args[0] === 'string' ? args[0] : '';
    if (line.startsWith('{"level":"error"')) errors.push(JSON.parse(line) as LogLine);
    else print(...args);
  });
  onTestFinished(() => spy.mockRestore());
  return { errors, seen: () => errors.map((e) => `${e.msg}:${e.error_code ?? ''}`) };
}

/**
 * The test provokes exactly these error-level lines (`msg:error_code`, each at least once, no other): they are
 * captured instead of printed, and the test fails at its end if one is missing or another appeared.
 */
export function expectErrorLogs(...expected: string[]) {
  const logs = captureErrorLogs();
  onTestFinished(() => expect([...new Set(logs.seen())].sort()).toEqual([...new Set(expected)].sort()));
  return logs;
}
