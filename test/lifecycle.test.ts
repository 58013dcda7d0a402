import { describe, expect, it } from 'vitest';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { enqueueJob } from '../src/runtime/enqueue';
import {
  withCleanState,
  api,
  assertInvariants,
  CATALOG,
  CATALOG_KEY,
  clock,
  fixtures,
  manualDeps,
  waitForJob,
  captureErrorLogs,
} from './helpers';

const enqueueDirect = (deps: ReturnType<typeof manualDeps>, extra: Partial<Parameters<typeof enqueueJob>[1]> = {}) =>
  enqueueJob({ ...deps, defaultMaxAttempts: 5 }, { ...CATALOG, params: { ...CATALOG.params }, actor: 'test', reason: 'test', ...extra });

describe('job lifecycle through the real queue', () => {
  withCleanState();

  it('runs a job end to end: enqueue, claim, fetch, publish, succeed, with every transition audited', async () => {
    const res = await api('/jobs', { method: 'POST', json: CATALOG, headers: { 'x-request-id': 'req-lifecycle-1' } });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: { id: string; state: string; scope_key: string; request_id: string } };
    expect(job.request_id).toBe('req-lifecycle-1');
    expect(job.state).toBe('pending');
    expect(job.scope_key).toBe('track_slug=canberraoffroad');
    const done = await waitForJob(job.id);
    expect(done.job.state).toBe('succeeded');
    expect(done.job.result.decision).toBe('PUBLISH_FIRST');
    expect(done.attempts).toHaveLength(1);
    expect(done.attempts[0].state).toBe('succeeded');
    expect(done.transitions.map((t: any) => `${t.from}->${t.to}`)).toEqual(['null->pending', 'pending->running', 'running->succeeded']);
    expect(done.snapshots).toHaveLength(1);
    expect(done.snapshots[0].url).toBe('https://canberraoffroad.liverc.com/events/');
    const latest = await api('/publications/latest?pipeline=liverc.event_catalog&track_slug=canberraoffroad');
    expect(latest.status).toBe(200);
    const envelope = (await latest.json()) as any;
    expect(envelope.contract).toEqual({ schema: 'ingestion.publication', version: 1 });
    expect(envelope.decision.publication_decision).toBe('PUBLISH_FIRST');
    expect(envelope.changes.added.length).toBe(100);
    expect(envelope.source.job_id).toBe(job.id);
  });

  it('retries a 5xx with backoff and a delayed message, then succeeds', async () => {
    await fixtures.routes([{ key: CATALOG_KEY, status: 503, body: 'down', contentType: 'text/plain', times: 1 }]);
    const res = await api('/jobs', { method: 'POST', json: CATALOG });
    const { job } = (await res.json()) as { job: { id: string } };
    const done = await waitForJob(job.id, undefined, 25_000);
    expect(done.job.state).toBe('succeeded');
    expect(done.job.attempt_count).toBe(2);
    expect(done.job.retry_count).toBe(1);
    expect(done.attempts[0]).toMatchObject({ state: 'failed', error: { code: 'PROVIDER_5XX', category: 'provider', retryable: true } });
    expect(done.attempts[1].state).toBe('succeeded');
    const retry = done.transitions.find((t: any) => t.from === 'running' && t.to === 'pending');
    expect(retry.reason).toMatch(/^retry in \d+s after PROVIDER_5XX$/);
  });

  it('returns the existing job for a repeated idempotency key or an active scope, and a new one afterwards', async () => {
    const deps = manualDeps();
    const a = await enqueueDirect(deps, { idempotencyKey: 'k-1' });
    const b = await enqueueDirect(deps, { idempotencyKey: 'k-1' });
    expect(b.created).toBe(false);
    expect(b.job.id).toBe(a.job.id);
    const c = await enqueueDirect(deps);
    expect(c.created).toBe(false);
    expect(c.job.id).toBe(a.job.id);
    expect(deps.queue.sent).toHaveLength(1);
    await handleJobMessage(deps, a.job.id);
    const d = await enqueueDirect(deps);
    expect(d.created).toBe(true);
    expect(d.job.id).not.toBe(a.job.id);
    await handleJobMessage(deps, d.job.id);
  });
});

describe('consumer failure handling and concurrency', () => {
  withCleanState({ invariants: false });

  it('fails a non-retryable provider error at once', async () => {
    const logs = captureErrorLogs();
    await fixtures.routes([{ key: CATALOG_KEY, status: 400, body: 'bad request', contentType: 'text/plain' }]);
    const deps = manualDeps();
    const { job } = await enqueueDirect(deps);
    const out = await handleJobMessage(deps, job.id);
    expect(out).toEqual({ kind: 'failed', code: 'PROVIDER_4XX' });
    const stored = (await deps.store.getJob(job.id))!;
    expect(stored.state).toBe('failed');
    expect(stored.lastErrorRetryable).toBe(false);
    expect((await deps.store.listAttempts(job.id))[0]).toMatchObject({ state: 'failed', errorCode: 'PROVIDER_4XX', retryable: false });
    expect(logs.errors).toEqual([
      expect.objectContaining({
        msg: 'job failed',
        job_id: job.id,
        state: 'failed',
        error_code: 'PROVIDER_4XX',
        error_category: 'provider',
      }),
    ]);
    await assertInvariants(deps.now());
  });

  it('exhausts a job after max_attempts retryable failures, with capped backoff between them', async () => {
    const logs = captureErrorLogs();
    await fixtures.routes([{ key: CATALOG_KEY, status: 503, body: 'down', contentType: 'text/plain' }]);
    const c = clock();
    const deps = manualDeps({ clock: c });
    const { job } = await enqueueDirect(deps, { maxAttempts: 3 });
    const first = await handleJobMessage(deps, job.id);
    expect(first).toMatchObject({ kind: 'retry', code: 'PROVIDER_5XX' });
    // Not due yet: a duplicate early message is acknowledged without running the job.
    expect(await handleJobMessage(deps, job.id)).toEqual({ kind: 'skipped', reason: 'not_due' });
    c.advance(10_000);
    expect(await handleJobMessage(deps, job.id)).toMatchObject({ kind: 'retry' });
    c.advance(10_000);
    expect(await handleJobMessage(deps, job.id)).toEqual({ kind: 'exhausted', code: 'PROVIDER_5XX' });
    const stored = (await deps.store.getJob(job.id))!;
    expect(stored.state).toBe('exhausted');
    expect(stored.attemptCount).toBe(3);
    const delays = deps.queue.sent.filter((s) => s.delaySec !== undefined && s.jobId === job.id).map((s) => s.delaySec!);
    expect(delays.every((d) => d >= 1 && d <= 2)).toBe(true); // base 1s, cap 2s in the test config
    expect(await handleJobMessage(deps, job.id)).toEqual({ kind: 'skipped', reason: 'finished' });
    // Only the final attempt is an error; the retries before it are warnings.
    expect(logs.errors).toEqual([
      expect.objectContaining({ msg: 'job exhausted', job_id: job.id, attempt: 3, error_code: 'PROVIDER_5XX' }),
    ]);
    await assertInvariants(c.now());
  });

  it('processes a duplicated message once', async () => {
    const deps = manualDeps();
    const { job } = await enqueueDirect(deps);
    expect((await handleJobMessage(deps, job.id)).kind).toBe('succeeded');
    expect(await handleJobMessage(deps, job.id)).toEqual({ kind: 'skipped', reason: 'finished' });
    expect(await deps.store.listAttempts(job.id)).toHaveLength(1);
    expect(await handleJobMessage(deps, '00000000-0000-4000-8000-000000000000')).toEqual({ kind: 'skipped', reason: 'unknown' });
  });

  it('lets exactly one of two racing consumers run a job', async () => {
    const c = clock();
    const a = manualDeps({ clock: c, workerId: 'worker:a' });
    const b = manualDeps({ clock: c, workerId: 'worker:b' });
    const { job } = await enqueueDirect(a);
    const outcomes = await Promise.all([handleJobMessage(a, job.id), handleJobMessage(b, job.id)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['skipped', 'succeeded']);
    expect(outcomes.find((o) => o.kind === 'skipped')).toMatchObject({ reason: expect.stringMatching(/claimed_elsewhere|finished/) });
    expect(await a.store.listAttempts(job.id)).toHaveLength(1);
    const pubs = await a.store.listPublications(CATALOG.pipeline, 'track_slug=canberraoffroad', null, 10);
    expect(pubs).toHaveLength(1);
  });

  it('recovers a job whose consumer crashed mid-job once its lease expires', async () => {
    const c = clock();
    const deps = manualDeps({ clock: c, workerId: 'worker:survivor' });
    const { job } = await enqueueDirect(deps);
    // The crashed consumer: claimed with a lease, opened an attempt, never finished.
    const crashed = await deps.store.claimJob({
      jobId: job.id,
      workerId: 'worker:crashed',
      claimToken: 'tok-crashed',
      now: c.now(),
      leaseUntil: c.now() + 60_000,
      attemptId: crypto.randomUUID(),
    });
    expect(crashed?.state).toBe('running');
    expect(await handleJobMessage(deps, job.id)).toEqual({ kind: 'skipped', reason: 'claimed_elsewhere' });
    c.advance(61_000);
    expect((await handleJobMessage(deps, job.id)).kind).toBe('succeeded');
    const attempts = await deps.store.listAttempts(job.id);
    expect(attempts.map((a) => [a.workerId, a.state, a.errorCode])).toEqual([
      ['worker:crashed', 'failed', 'LEASE_EXPIRED'],
      ['worker:survivor', 'succeeded', null],
    ]);
    const transitions = await deps.store.listTransitions(job.id);
    expect(transitions.map((t) => `${t.fromState}->${t.toState}:${t.reason}`)).toEqual([
      'null->pending:test',
      'pending->running:claimed',
      'running->running:reclaimed after lease expiry',
      expect.stringMatching(/^running->succeeded:PUBLISH_FIRST/),
    ]);
    await assertInvariants(c.now());
  });

  it('stops a consumer that lost its lease from writing the outcome', async () => {
    const c = clock();
    const deps = manualDeps({ clock: c });
    const { job } = await enqueueDirect(deps);
    await fixtures.routes([{ key: CATALOG_KEY, file: 'liverc/Track.events.listing.page.html', delayMs: 400 }]);
    const running = handleJobMessage(deps, job.id);
    await new Promise((ok) => setTimeout(ok, 150));
    const cancelled = await deps.store.cancelJob(job.id, c.now(), 'test', 'operator cancelled');
    expect(cancelled?.state).toBe('cancelled');
    expect(await running).toEqual({ kind: 'lease_lost' });
    const stored = (await deps.store.getJob(job.id))!;
    expect(stored.state).toBe('cancelled');
    expect((await deps.store.listAttempts(job.id))[0]).toMatchObject({ state: 'failed', errorCode: 'CANCELLED' });
    expect(await deps.store.getNormalized(job.id)).toBeNull();
    await assertInvariants(c.now());
  });
});
