import { describe, expect, it } from 'vitest';
import { bulkRetry } from '../src/runtime/bulk-retry';
import { api, manualDeps, withCleanState, READER_TOKEN } from './helpers';

const T0 = Date.parse('2026-11-20T00:00:00Z');

/** A job that really went through claim and finish in D1 and ended `state` with `code`. */
async function endedJob(
  deps: ReturnType<typeof manualDeps>,
  pipeline: string,
  n: number,
  state: 'exhausted' | 'failed' | 'succeeded',
  code: string,
  at: number,
) {
  const id = crypto.randomUUID();
  const { job } = await deps.store.insertJob({
    id,
    pipeline,
    params: { n },
    scopeKey: `n=${n}`,
    mode: 'fetch',
    force: false,
    idempotencyKey: null,
    requestId: null,
    requestedBy: 'nest',
    parentJobId: null,
    maxAttempts: 1,
    now: at,
    actor: 'nest',
    reason: 'fixture',
  });
  const claimToken = crypto.randomUUID();
  const attemptId = crypto.randomUUID();
  const running = await deps.store.claimJob({ jobId: job.id, workerId: 'w', claimToken, now: at, leaseUntil: at + 60_000, attemptId });
  const error = state === 'succeeded' ? undefined : { category: 'provider', code, message: code, retryable: state === 'exhausted' };
  await deps.store.finishJob(
    { jobId: job.id, claimToken, attemptNumber: running!.attemptCount, attemptId },
    { state, now: at + 1, reason: 'fixture end', actor: 'w', error, startedAt: at },
  );
  return job.id;
}

describe('bulk retry', () => {
  withCleanState();

  async function fixtureSet(deps: ReturnType<typeof manualDeps>) {
    const timeouts: string[] = [];
    for (let i = 0; i < 5; i++) timeouts.push(await endedJob(deps, 'liverc.event_deep', i, 'exhausted', 'PROVIDER_TIMEOUT', T0 + i * 1000));
    await endedJob(deps, 'liverc.event_deep', 10, 'exhausted', 'PROVIDER_BLOCKED', T0);
    await endedJob(deps, 'liverc.event_deep', 11, 'failed', 'PARSE_FAILED', T0);
    await endedJob(deps, 'smoothcomp.event_detail', 12, 'exhausted', 'PROVIDER_TIMEOUT', T0);
    await endedJob(deps, 'liverc.event_deep', 13, 'succeeded', '', T0);
    // Outside the time range.
    await endedJob(deps, 'liverc.event_deep', 14, 'exhausted', 'PROVIDER_TIMEOUT', T0 - 86_400_000);
    return timeouts;
  }

  it('a dry run and the real run select the same jobs; batches are bounded; transitions carry the operation id', async () => {
    const deps = manualDeps();
    const expected = await fixtureSet(deps);
    const filter = {
      pipeline: 'liverc.event_deep',
      states: ['exhausted' as const],
      errorCode: 'PROVIDER_TIMEOUT',
      createdFrom: T0 - 1,
      createdTo: T0 + 3_600_000,
    };
    const dry = await bulkRetry(deps, filter, { dryRun: true, batchSize: 2, maxJobs: 100, operationId: 'op-dry', actor: 'ops-alice' });
    expect(dry).toMatchObject({ dry_run: true, matched: 5, retried: 0, batches: 0, truncated: false });
    expect(dry.job_ids.sort()).toEqual([...expected].sort());
    expect(deps.queue.sent).toEqual([]);
    expect(await deps.store.listJobs({ state: 'pending', limit: 50 })).toHaveLength(0);

    const real = await bulkRetry(deps, filter, { dryRun: false, batchSize: 2, maxJobs: 100, operationId: 'op-real', actor: 'ops-alice' });
    expect(real).toMatchObject({ dry_run: false, matched: 5, retried: 5, batches: 3, skipped: [] });
    expect(real.job_ids.sort()).toEqual(dry.job_ids.sort());
    expect(deps.queue.sent.map((s) => s.jobId).sort()).toEqual(dry.job_ids.sort());
    for (const id of expected) {
      const job = (await deps.store.getJob(id))!;
      expect(job).toMatchObject({ state: 'pending', maxAttempts: 2, requestedBy: 'nest' });
      const last = (await deps.store.listTransitions(id)).at(-1)!;
      expect(last).toMatchObject({
        fromState: 'exhausted',
        toState: 'pending',
        reason: 'bulk retry op-real',
        actor: 'ops-alice',
        requestedBy: 'ops-alice',
      });
    }
    // Nothing else moved; a second run finds nothing left.
    expect(await deps.store.listJobs({ state: 'exhausted', limit: 50 })).toHaveLength(3);
    expect((await bulkRetry(deps, filter, { dryRun: true, batchSize: 2, maxJobs: 100, operationId: 'op-again', actor: 'x' })).matched).toBe(
      0,
    );
  });

  it('caps an operation at max_jobs and says it was truncated', async () => {
    const deps = manualDeps();
    await fixtureSet(deps);
    const r = await bulkRetry(
      deps,
      { states: ['exhausted', 'failed'] },
      { dryRun: true, batchSize: 1, maxJobs: 3, operationId: 'op', actor: 'x' },
    );
    expect(r).toMatchObject({ matched: 3, truncated: true });
  });

  it('POST /operations/bulk-retry: dry run over the API, validation with the field, reader refused', async () => {
    const deps = manualDeps();
    await fixtureSet(deps);
    const res = await api('/operations/bulk-retry', {
      method: 'POST',
      json: { pipeline: 'liverc.event_deep', states: ['exhausted', 'failed'], dry_run: true },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { operation_id: string; matched: number; dry_run: boolean };
    expect(body).toMatchObject({ matched: 8, dry_run: true });
    expect(body.operation_id).toMatch(/^op-[0-9a-f-]{36}$/);
    const bad = await api('/operations/bulk-retry', { method: 'POST', json: { states: ['running'], batch_size: 0 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: { fields: Record<string, unknown> } } }).error.details.fields).toHaveProperty(
      'states',
    );
    expect((await api('/operations/bulk-retry', { method: 'POST', token: READER_TOKEN, json: { dry_run: true } })).status).toBe(403);
  });
});
