import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { runSchedules, seedSchedules, sweepJobs } from '../src/runtime/cron-tasks';
import { enqueueJob } from '../src/runtime/enqueue';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import worker from '../src/worker/index';
import { withCleanState, api, assertInvariants, CATALOG, clock, manualDeps } from './helpers';

const MIN = 60_000;

describe('scheduler and sweeper', () => {
  withCleanState({ invariants: false });

  it('enqueues a due schedule exactly once per slot, even when two cron runs overlap or one crashes before advancing', async () => {
    const c = clock(Date.parse('2026-11-23T10:00:30Z'));
    const deps = { ...manualDeps({ clock: c }), defaultMaxAttempts: 3 };
    const slot = Date.parse('2026-11-23T10:00:00Z');
    await deps.store.upsertSchedule({
      id: 'canberra-events',
      pipeline: CATALOG.pipeline,
      params: { ...CATALOG.params },
      cron: '*/5 * * * *',
      enabled: true,
      nextDueAt: slot,
      createdAt: 0,
      updatedAt: 0,
    });
    const [a, b] = await Promise.all([runSchedules(deps), runSchedules(deps)]);
    expect(a.enqueued.length + b.enqueued.length).toBe(1);
    // A cron run that enqueued but crashed before advancing: the same slot comes round again.
    await env.DB.prepare('UPDATE schedule_configs SET next_due_at = ? WHERE id = ?').bind(slot, 'canberra-events').run();
    const again = await runSchedules(deps);
    expect(again).toEqual({ enqueued: [], deduplicated: 1 });
    const jobs = await deps.store.listJobs({ limit: 10 });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.idempotencyKey).toBe(`schedule:canberra-events:${slot}`);
    expect(jobs[0]!.requestedBy).toBe('scheduler');
    expect((await deps.store.listTransitions(jobs[0]!.id))[0]).toMatchObject({
      actor: 'scheduler:canberra-events',
      requestedBy: 'scheduler',
    });
    const [schedule] = await deps.store.listSchedules();
    expect(new Date(schedule!.nextDueAt).toISOString()).toBe('2026-11-23T10:05:00.000Z');
    expect(schedule!.lastEnqueuedSlot).toBe(slot);
    // Not due again before the next slot.
    expect((await runSchedules(deps)).enqueued).toHaveLength(0);
  });

  it('seeds shipped schedules once without overwriting operator changes', async () => {
    const deps = manualDeps();
    expect(await seedSchedules(deps, [{ id: 'x.daily', pipeline: 'liverc.track_catalog', params: {}, cron: '17 4 * * *' }])).toBe(1);
    await env.DB.prepare(`UPDATE schedule_configs SET enabled = 0 WHERE id = 'x.daily'`).run();
    expect(await seedSchedules(deps, [{ id: 'x.daily', pipeline: 'liverc.track_catalog', params: {}, cron: '17 4 * * *' }])).toBe(0);
    expect((await deps.store.listSchedules())[0]!.enabled).toBe(false);
  });

  it('re-sends a job whose queue message was lost, and one whose consumer died, but not a fresh one', async () => {
    const c = clock();
    const deps = manualDeps({ clock: c });
    const lost = await enqueueJob(
      { ...deps, defaultMaxAttempts: 3 },
      { ...CATALOG, params: { ...CATALOG.params }, actor: 'test', reason: 'message lost' },
    );
    const other = await enqueueJob(
      { ...deps, defaultMaxAttempts: 3 },
      { pipeline: 'liverc.track_catalog', params: {}, actor: 'test', reason: 'consumer will die' },
    );
    await deps.store.claimJob({
      jobId: other.job.id,
      workerId: 'worker:dead',
      claimToken: 'dead',
      now: c.now(),
      leaseUntil: c.now() + MIN,
      attemptId: crypto.randomUUID(),
    });
    deps.queue.sent = [];
    expect((await sweepJobs(deps)).resent).toEqual([]); // nothing is overdue yet
    c.advance(2 * MIN);
    const sweep = await sweepJobs(deps);
    expect(sweep.resent.sort()).toEqual([lost.job.id, other.job.id].sort());
    expect(deps.queue.sent.map((s) => s.jobId).sort()).toEqual([lost.job.id, other.job.id].sort());
    expect((await sweepJobs(deps)).resent).toEqual([]); // not re-sent again within the window
    expect((await handleJobMessage(deps, lost.job.id)).kind).toBe('succeeded');
    expect((await handleJobMessage(deps, other.job.id)).kind).toBe('succeeded');
    await assertInvariants(c.now());
  });

  it('ends a job whose final attempt lost its lease as exhausted', async () => {
    const c = clock();
    const deps = manualDeps({ clock: c });
    const { job } = await enqueueJob(
      { ...deps, defaultMaxAttempts: 1 },
      { ...CATALOG, params: { ...CATALOG.params }, actor: 'test', reason: 'test' },
    );
    await deps.store.claimJob({
      jobId: job.id,
      workerId: 'worker:dead',
      claimToken: 'dead',
      now: c.now(),
      leaseUntil: c.now() + MIN,
      attemptId: crypto.randomUUID(),
    });
    c.advance(2 * MIN);
    expect(await handleJobMessage(deps, job.id)).toEqual({ kind: 'skipped', reason: 'no_attempts_left' });
    expect((await sweepJobs(deps)).exhausted).toEqual([job.id]);
    const stored = (await deps.store.getJob(job.id))!;
    expect(stored).toMatchObject({ state: 'exhausted', lastErrorCode: 'LEASE_EXPIRED' });
    expect((await deps.store.listAttempts(job.id))[0]).toMatchObject({ state: 'failed', errorCode: 'LEASE_EXPIRED' });
    await assertInvariants(c.now());
  });

  it('runs the whole cron handler: seeds the LiveRC daily catalogue and (secrets set) the Betfair daily sync', async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const body = (await (await api('/schedules')).json()) as { schedules: Array<{ id: string; cron: string }> };
    // The test environment carries the Betfair fixture's login secrets, so the seed's 0 2 * * * sync is seeded too.
    expect(body.schedules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'liverc.track_catalog.daily', cron: '17 4 * * *' }),
        expect.objectContaining({ id: 'betfair.historic_sync.daily', cron: '0 2 * * *' }),
      ]),
    );
    expect(body.schedules).toHaveLength(2);
  });

  it('validates schedules written through the API', async () => {
    const put = (id: string, json: unknown) => api(`/schedules/${id}`, { method: 'PUT', json });
    const TRACKS = { pipeline: 'liverc.track_catalog', params: {} };
    expect((await put('tracks', { ...TRACKS, cron: '*/10 * * * *' })).status).toBe(200);
    expect(((await (await put('bad', { ...TRACKS, cron: '99 * * * *' })).json()) as any).error.code).toBe('INVALID_CRON');
    expect(
      ((await (await put('bad', { pipeline: 'smoothcomp.event_catalog', params: { country: 'U S' }, cron: '* * * * *' })).json()) as any)
        .error.code,
    ).toBe('INVALID_PARAMS');
    // only pipelines that declare themselves schedulable run proactively (LiveRC: the track catalogue alone)
    const refused = await put('canberra', { pipeline: CATALOG.pipeline, params: CATALOG.params, cron: '*/10 * * * *' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as any).error).toMatchObject({
      code: 'PIPELINE_NOT_SCHEDULABLE',
      message: expect.stringContaining('liverc.event_catalog'),
    });
    expect(
      (
        await put('deep', {
          pipeline: 'liverc.event_deep',
          params: { track_slug: 'canberraoffroad', event_id: '486677' },
          cron: '0 * * * *',
        })
      ).status,
    ).toBe(400);
    expect(((await (await put('Bad Id', { pipeline: CATALOG.pipeline, params: {}, cron: '* * * * *' })).json()) as any).error.code).toBe(
      'INVALID_SCHEDULE_ID',
    );
  });

  it('exposes Prometheus metrics', async () => {
    const deps = manualDeps();
    const { job } = await enqueueJob(
      { ...deps, defaultMaxAttempts: 3 },
      { ...CATALOG, params: { ...CATALOG.params }, actor: 'test', reason: 'test' },
    );
    await handleJobMessage(deps, job.id);
    await enqueueJob({ ...deps, defaultMaxAttempts: 3 }, { pipeline: 'liverc.track_catalog', params: {}, actor: 'test', reason: 'test' });
    const res = await api('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await res.text();
    expect(text).toContain('ingestion_jobs{state="succeeded",pipeline="liverc.event_catalog"} 1');
    expect(text).toContain('ingestion_jobs{state="pending",pipeline="liverc.track_catalog"} 1');
    expect(text).toContain('ingestion_job_attempts_total{state="succeeded"} 1');
    expect(text).toContain('ingestion_publications_total 1');
    expect(text).toMatch(/ingestion_oldest_pending_age_seconds \d/);
  });
});
