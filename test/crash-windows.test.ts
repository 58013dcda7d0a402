/**
 * Crash windows: a consumer killed between two writes that belong together, then recovered by the sweeper and a
 * second consumer. Each test proves no duplicate publication, no lost job and no double processing (a late write of
 * the dead consumer never lands). Real D1, R2, the ScopePublisher DO and the fixture server; crashes are injected
 * at the consumer's port calls (test/support/crash.ts).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sweepJobs } from '../src/runtime/cron-tasks';
import { enqueueJob } from '../src/runtime/enqueue';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { publishScope } from '../src/runtime/publish-scope';
import { assertInvariants, CATALOG, CATALOG_KEY, clock, fixtures, manualDeps, withCleanState, type Clock } from './helpers';
import { crashAt } from './support/crash';

const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;
const enqueue = (deps: ReturnType<typeof manualDeps>, maxAttempts = 5, params: Record<string, unknown> = {}) =>
  enqueueJob(
    { ...deps, defaultMaxAttempts: maxAttempts },
    { ...CATALOG, params: { ...CATALOG.params, ...params }, actor: 'test', reason: 'test' },
  );
/** A sync that enqueues deep jobs after its decision: the job's finish is a write of its own (the others finish
 * in the publisher's decision batch), so the window between publication and finish exists only for these. */
const WITH_FOLLOW_UPS = { depth: 'laps_full', max_deep_jobs: 2 };

/** The cron after the dead consumer's lease ran out: re-sends the job; a fresh consumer then runs it. */
async function recover(c: Clock, jobId: string) {
  c.advance(61_000);
  const survivor = manualDeps({ clock: c, workerId: 'worker:survivor' });
  const swept = await sweepJobs({ store: survivor.store, queue: survivor.queue, log: survivor.log, now: survivor.now });
  expect(swept.resent).toContain(jobId);
  return { survivor, out: await handleJobMessage(survivor, jobId) };
}

describe('crash windows', () => {
  withCleanState({ invariants: false });

  it('no window between publication and finish without follow-ups: a consumer killed once the publisher answered leaves a succeeded job', async () => {
    const c = clock();
    const base = manualDeps({ clock: c, workerId: 'worker:doomed' });
    const { job } = await enqueue(base);
    const crash = crashAt(base, { port: 'publisher', method: 'publish', when: 'after' });
    void handleJobMessage(crash.deps, job.id);
    await crash.reached;
    await new Promise((ok) => setTimeout(ok, 50));
    const stored = (await base.store.getJob(job.id))!;
    expect(stored).toMatchObject({ state: 'succeeded', result: { decision: 'PUBLISH_FIRST', outcome: 'NORMALIZED' } });
    expect((await base.store.listAttempts(job.id)).map((a) => a.state)).toEqual(['succeeded']);
    expect(await count(`SELECT count(*) AS n FROM published_results`)).toBe(1);
    c.advance(61_000);
    const swept = await sweepJobs({ store: base.store, queue: base.queue, log: base.log, now: base.now });
    expect(swept).toEqual({ resent: [], exhausted: [], completed: [] });
    await assertInvariants(c.now());
  });

  it('consumer killed after the publication is written, before the job is finished: one publication, job succeeds', async () => {
    const c = clock();
    const base = manualDeps({ clock: c, workerId: 'worker:doomed' });
    const { job } = await enqueue(base, 5, WITH_FOLLOW_UPS);
    const crash = crashAt(base, { port: 'store', method: 'finishJob', when: 'before' });
    void handleJobMessage(crash.deps, job.id);
    await crash.reached;
    expect(await count(`SELECT count(*) AS n FROM published_results`)).toBe(1);
    expect((await base.store.getJob(job.id))!.state).toBe('running');

    const { out } = await recover(c, job.id);
    expect(out.kind).toBe('succeeded');
    expect(await count(`SELECT count(*) AS n FROM published_results`)).toBe(1);
    const pub = await env.DB.prepare(`SELECT id, job_id FROM published_results`).first<{ id: string; job_id: string }>();
    const stored = (await base.store.getJob(job.id))!;
    // The re-delivered publish answers what was decided the first time, naming the same publication.
    expect(stored.result).toMatchObject({ decision: 'PUBLISH_FIRST', publication_id: pub!.id });
    expect((await base.store.listAttempts(job.id)).map((a) => [a.workerId, a.state, a.errorCode])).toEqual([
      ['worker:doomed', 'failed', 'LEASE_EXPIRED'],
      ['worker:survivor', 'succeeded', null],
    ]);
    await assertInvariants(c.now());
  });

  it('a frozen consumer that wakes after the takeover cannot finish the job a second time', async () => {
    const c = clock();
    const base = manualDeps({ clock: c, workerId: 'worker:frozen' });
    const { job } = await enqueue(base, 5, WITH_FOLLOW_UPS);
    const frozen = crashAt(base, { port: 'store', method: 'finishJob', when: 'pause' });
    const zombie = handleJobMessage(frozen.deps, job.id);
    await frozen.reached;
    const { out } = await recover(c, job.id);
    expect(out.kind).toBe('succeeded');
    const before = (await base.store.getJob(job.id))!;
    frozen.resume();
    expect(await zombie).toEqual({ kind: 'lease_lost' });
    const after = (await base.store.getJob(job.id))!;
    expect(after.state).toBe('succeeded');
    expect(after.updatedAt).toBe(before.updatedAt);
    expect(await count(`SELECT count(*) AS n FROM published_results`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM job_state_transitions WHERE to_state = 'succeeded'`)).toBe(1);
    await assertInvariants(c.now());
  });

  it('a consumer frozen before its decision that wakes after the takeover publishes nothing but keeps its evidence', async () => {
    const c = clock();
    const base = manualDeps({ clock: c, workerId: 'worker:frozen' });
    const { job } = await enqueue(base);
    const frozen = crashAt(base, { port: 'publisher', method: 'publish', when: 'pause' });
    const zombie = handleJobMessage(frozen.deps, job.id);
    await frozen.reached;
    // Its snapshot row waits for the decision batch: not stored yet.
    expect(await count(`SELECT count(*) AS n FROM raw_snapshots`)).toBe(0);
    const { out, survivor } = await recover(c, job.id);
    expect(out.kind).toBe('succeeded');
    frozen.resume();
    expect(await zombie).toEqual({ kind: 'lease_lost' });
    expect(await count(`SELECT count(*) AS n FROM published_results`)).toBe(1);
    expect((await survivor.store.getJob(job.id))!.result).toMatchObject({ decision: 'PUBLISH_FIRST' });
    // What the provider answered the dead attempt is kept too, under its own attempt number.
    expect((await survivor.store.listSnapshots(job.id)).map((s) => [s.attemptNumber, s.status])).toEqual([
      [1, 200],
      [2, 200],
    ]);
    await assertInvariants(c.now());
  });

  it('consumer killed after the raw body is in R2, before its snapshot row: the retry records it once and publishes once', async () => {
    const c = clock();
    const base = manualDeps({ clock: c, workerId: 'worker:doomed' });
    const { job } = await enqueue(base);
    const crash = crashAt(base, { port: 'blobs', method: 'putIfAbsent', when: 'after', match: ([key]) => String(key).startsWith('raw/') });
    void handleJobMessage(crash.deps, job.id);
    await crash.reached;
    await new Promise((ok) => setTimeout(ok, 50));
    expect((await env.RAW.list({ prefix: 'raw/' })).objects).toHaveLength(1);
    expect(await count(`SELECT count(*) AS n FROM raw_snapshots`)).toBe(0);

    const { out, survivor } = await recover(c, job.id);
    expect(out.kind).toBe('succeeded');
    const snaps = await survivor.store.listSnapshots(job.id);
    expect(snaps.map((s) => s.attemptNumber)).toEqual([2]);
    expect((await env.RAW.list({ prefix: 'raw/' })).objects).toHaveLength(1);
    expect((await survivor.store.getJob(job.id))!.result).toMatchObject({ raw_bodies_written: 0, snapshot_rows: 1 });
    expect(await count(`SELECT count(*) AS n FROM published_results`)).toBe(1);
    await assertInvariants(c.now());
  });

  it('publisher killed after the envelope is in R2, before its row: the orphan stays unreferenced, one publication lands', async () => {
    const c = clock();
    const base = manualDeps({ clock: c, workerId: 'worker:doomed' });
    const { job } = await enqueue(base);
    // The publication step in this consumer's own hands (same publishScope the DO runs), so its writes can crash.
    const inner = crashAt(base, { port: 'store', method: 'commitDecision', when: 'before' });
    const consumer = {
      ...base,
      publisher: { publish: (req: Parameters<typeof publishScope>[2]) => publishScope(inner.deps.store, inner.deps.blobs, req) },
    };
    void handleJobMessage({ ...consumer, config: inner.deps.config }, job.id);
    await inner.reached;
    const orphans = (await env.RAW.list({ prefix: 'envelopes/' })).objects.map((o) => o.key);
    expect(orphans).toHaveLength(1);
    expect(await count(`SELECT count(*) AS n FROM published_results`)).toBe(0);

    const { out } = await recover(c, job.id);
    expect(out.kind).toBe('succeeded');
    const pubs = await env.DB.prepare(`SELECT envelope_key FROM published_results`).all<{ envelope_key: string }>();
    expect(pubs.results).toHaveLength(1);
    expect(orphans).not.toContain(pubs.results[0]!.envelope_key);
    await assertInvariants(c.now());
  });

  it('a provider that stalls longer than the lease: the heartbeat keeps the job, nobody else claims it, one attempt', async () => {
    await fixtures.routes([{ key: CATALOG_KEY, file: 'liverc/Track.events.listing.page.html', delayMs: 2_500 }]);
    const base = manualDeps({ clock: { t: 0, now: Date.now, advance: () => undefined } });
    const deps = { ...base, config: { ...base.config, leaseDurationSec: 1, heartbeatIntervalSec: 0.25 } };
    const { job } = await enqueue(deps);
    const running = handleJobMessage(deps, job.id);
    await new Promise((ok) => setTimeout(ok, 1_800)); // past the first lease, the provider still answering
    const rival = manualDeps({ clock: { t: 0, now: Date.now, advance: () => undefined }, workerId: 'worker:rival' });
    expect(await handleJobMessage(rival, job.id)).toEqual({ kind: 'skipped', reason: 'claimed_elsewhere' });
    const swept = await sweepJobs({ store: rival.store, queue: rival.queue, log: rival.log, now: Date.now });
    expect(swept).toEqual({ resent: [], exhausted: [], completed: [] });
    expect((await running).kind).toBe('succeeded');
    expect(await base.store.listAttempts(job.id)).toHaveLength(1);
    expect(await count(`SELECT count(*) AS n FROM published_results`)).toBe(1);
    expect((await fixtures.log()).filter((r) => r.key === CATALOG_KEY)).toHaveLength(1);
  });

  it('the sweeper exhausts a job whose final attempt died, and a late message for it is acknowledged', async () => {
    const c = clock();
    const base = manualDeps({ clock: c, workerId: 'worker:doomed' });
    const { job } = await enqueue(base, 1);
    const crash = crashAt(base, { port: 'publisher', method: 'publish', when: 'before' });
    void handleJobMessage(crash.deps, job.id);
    await crash.reached;
    c.advance(61_000);
    const swept = await sweepJobs({ store: base.store, queue: base.queue, log: base.log, now: base.now });
    expect(swept.exhausted).toEqual([job.id]);
    expect(swept.resent).not.toContain(job.id);
    const stored = (await base.store.getJob(job.id))!;
    expect(stored).toMatchObject({ state: 'exhausted', lastErrorCode: 'LEASE_EXPIRED', lastErrorRetryable: true });
    expect((await base.store.listAttempts(job.id)).map((a) => [a.state, a.errorCode])).toEqual([['failed', 'LEASE_EXPIRED']]);
    expect(await handleJobMessage(manualDeps({ clock: c }), job.id)).toEqual({ kind: 'skipped', reason: 'finished' });
    expect(await count(`SELECT count(*) AS n FROM published_results`)).toBe(0);
    await assertInvariants(c.now());
  });

  it('the sweeper completes (not exhausts) a job whose final attempt died after its decision was saved', async () => {
    const c = clock();
    const base = manualDeps({ clock: c, workerId: 'worker:doomed' });
    const { job } = await enqueue(base, 1, WITH_FOLLOW_UPS);
    const crash = crashAt(base, { port: 'store', method: 'finishJob', when: 'before' });
    void handleJobMessage(crash.deps, job.id);
    await crash.reached;
    expect(await count(`SELECT count(*) AS n FROM published_results`)).toBe(1);
    c.advance(61_000);
    const swept = await sweepJobs({ store: base.store, queue: base.queue, log: base.log, now: base.now });
    expect(swept).toMatchObject({ completed: [job.id], exhausted: [] });
    expect(swept.resent).not.toContain(job.id);
    const stored = (await base.store.getJob(job.id))!;
    expect(stored).toMatchObject({ state: 'succeeded', lastErrorCode: null });
    expect((await base.store.listAttempts(job.id)).map((a) => [a.state, a.errorCode])).toEqual([['failed', 'LEASE_EXPIRED']]);
    expect((await base.store.listTransitions(job.id)).at(-1)).toMatchObject({
      fromState: 'running',
      toState: 'succeeded',
      actor: 'sweeper',
      reason: 'final attempt died after its decision was saved',
    });
    expect(await handleJobMessage(manualDeps({ clock: c }), job.id)).toEqual({ kind: 'skipped', reason: 'finished' });
    expect(await count(`SELECT count(*) AS n FROM published_results`)).toBe(1);
    await assertInvariants(c.now());
  });
});
