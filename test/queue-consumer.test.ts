import { createMessageBatch, getQueueResult, createExecutionContext, reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { enqueueJob } from '../src/runtime/enqueue';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import worker from '../src/worker/index';
import { withCleanState, api, CATALOG, CATALOG_KEY, fixtures, manualDeps, migrate, waitForJob, captureErrorLogs } from './helpers';

describe('queue consumer edge', () => {
  withCleanState();

  it('acknowledges malformed and unknown messages without harm, and processes a valid one', async () => {
    const logs = captureErrorLogs();
    const deps = manualDeps();
    const { job } = await enqueueJob(
      { ...deps, defaultMaxAttempts: 3 },
      { ...CATALOG, params: { ...CATALOG.params }, actor: 'test', reason: 'test' },
    );
    const batch = createMessageBatch<unknown>('ingestion-jobs', [
      { id: 'm-1', timestamp: new Date(), attempts: 1, body: 'not json at all' },
      { id: 'm-2', timestamp: new Date(), attempts: 1, body: { job_id: "1' OR 1=1 --" } },
      { id: 'm-3', timestamp: new Date(), attempts: 1, body: { job_id: '00000000-0000-4000-8000-000000000000' } },
      { id: 'm-4', timestamp: new Date(), attempts: 1, body: { job_id: job.id } },
      { id: 'm-5', timestamp: new Date(), attempts: 2, body: { job_id: job.id } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(['m-1', 'm-2', 'm-3', 'm-4', 'm-5']);
    expect(result.retryMessages).toEqual([]);
    expect(await deps.store.listAttempts(job.id)).toHaveLength(1);
    expect((await deps.store.getJob(job.id))!.state).toBe('succeeded');
    // The two malformed bodies are logged as errors (m-1, m-2); the unknown job id is not an error.
    expect(logs.errors.map((e) => [e.msg, e.message_id])).toEqual([
      ['malformed queue message dropped', 'm-1'],
      ['malformed queue message dropped', 'm-2'],
    ]);
  });

  it('lets the queue redeliver a message the consumer itself could not handle', async () => {
    const logs = captureErrorLogs();
    const batch = createMessageBatch<unknown>('ingestion-jobs', [
      { id: 'm-1', timestamp: new Date(), attempts: 1, body: { job_id: '00000000-0000-4000-8000-000000000001' } },
    ]);
    const ctx = createExecutionContext();
    await env.DB.exec('DROP TABLE ingestion_jobs');
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['m-1']);
    expect(logs.errors).toEqual([
      expect.objectContaining({
        msg: 'consumer could not handle message; queue will redeliver',
        job_id: '00000000-0000-4000-8000-000000000001',
        error: expect.stringMatching(/ingestion_jobs/),
      }),
    ]);
    await reset();
    await migrate();
  });

  it('drains the dead-letter queue by logging and acknowledging', async () => {
    const logs = captureErrorLogs();
    const batch = createMessageBatch('ingestion-jobs-dlq', [
      { id: 'd-1', timestamp: new Date(), attempts: 6, body: { job_id: '00000000-0000-4000-8000-000000000001' } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['d-1']);
    expect(logs.errors).toEqual([
      expect.objectContaining({
        msg: 'dead-lettered message',
        message_id: 'd-1',
        attempts: 6,
        body: { job_id: '00000000-0000-4000-8000-000000000001' },
      }),
    ]);
  });
});

describe('operator actions: cancel and retry', () => {
  withCleanState();

  it('retries a failed job with a fresh attempt budget through the API, audited', async () => {
    const logs = captureErrorLogs();
    await fixtures.routes([{ key: CATALOG_KEY, status: 400, body: 'bad', contentType: 'text/plain' }]);
    const deps = manualDeps();
    const { job } = await enqueueJob(
      { ...deps, defaultMaxAttempts: 1 },
      { ...CATALOG, params: { ...CATALOG.params }, actor: 'test', reason: 'test' },
    );
    expect((await handleJobMessage(deps, job.id)).kind).toBe('failed');
    expect(logs.seen()).toEqual(['job failed:PROVIDER_4XX']);
    const notYet = await api(`/jobs/${job.id}/cancel`, { method: 'POST' });
    expect(notYet.status).toBe(409);
    expect(((await notYet.json()) as any).error.code).toBe('JOB_NOT_CANCELLABLE');
    await fixtures.reset();
    const retried = await api(`/jobs/${job.id}/retry`, { method: 'POST' });
    expect(retried.status).toBe(202);
    expect(((await retried.json()) as any).job).toMatchObject({ state: 'pending', max_attempts: 2, attempt_count: 1 });
    const done = await waitForJob(job.id);
    expect(done.job.state).toBe('succeeded');
    expect(done.transitions.map((t: any) => `${t.from}->${t.to}:${t.actor}`)).toEqual([
      'null->pending:test',
      `pending->running:${done.attempts[0].worker_id}`,
      `running->failed:${done.attempts[0].worker_id}`,
      'failed->pending:default',
      `pending->running:${done.attempts[1].worker_id}`,
      `running->succeeded:${done.attempts[1].worker_id}`,
    ]);
    const again = await api(`/jobs/${job.id}/retry`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).error.code).toBe('JOB_NOT_RETRYABLE');
  });

  it('cancels a pending job; its late message is then ignored', async () => {
    const deps = manualDeps();
    const { job } = await enqueueJob(
      { ...deps, defaultMaxAttempts: 3 },
      { ...CATALOG, params: { ...CATALOG.params }, actor: 'test', reason: 'test' },
    );
    const res = await api(`/jobs/${job.id}/cancel`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).job.state).toBe('cancelled');
    expect(await handleJobMessage(deps, job.id)).toEqual({ kind: 'skipped', reason: 'finished' });
    const listed = (await (await api('/jobs?state=cancelled')).json()) as any;
    expect(listed.jobs.map((j: any) => j.id)).toEqual([job.id]);
  });

  it('pages through jobs with a cursor and filters', async () => {
    const deps = manualDeps();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { job } = await enqueueJob(
        { ...deps, defaultMaxAttempts: 3 },
        { pipeline: 'liverc.event_catalog', params: { track_slug: `track-${i}` }, actor: 'test', reason: 'test' },
      );
      ids.push(job.id);
      deps.now = (
        (t) => () =>
          t
      )(deps.now() + 1000);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (await api(`/jobs?pipeline=liverc.event_catalog&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json()) as any;
      seen.push(...page.jobs.map((j: any) => j.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const scoped = (await (await api('/jobs?scope_key=track_slug%3Dtrack-3')).json()) as any;
    expect(scoped.jobs.map((j: any) => j.id)).toEqual([ids[3]]);
    for (const id of ids) await deps.store.cancelJob(id, Date.now(), 'test', 'cleanup');
  });
});
