/**
 * GET /internal/v1/operations/{id}: a bulk retry and a re-normalization followed by their id through the real queue
 * consumer, D1 and R2, until every job of the operation finished; dry runs, unknown and malformed ids.
 */
import { describe, expect, it } from 'vitest';
import { api, captureErrorLogs, CATALOG, CATALOG_KEY, fixtures, manualDeps, READER_TOKEN, runOnce, withCleanState } from './helpers';

type Status = {
  operation: {
    operation_id: string;
    kind: string;
    requested_by: string;
    dry_run: boolean;
    request: Record<string, unknown>;
    report: { job_ids: string[] };
  };
  status: {
    state: string;
    jobs: {
      total: number;
      finished: number;
      by_state: Record<string, number>;
      decisions: Record<string, number>;
      failures: unknown[];
      missing: number;
    };
  };
};

async function follow(id: string, token?: string): Promise<Status> {
  const until = Date.now() + 20_000;
  for (;;) {
    const res = await api(`/operations/${id}`, { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Status;
    if (body.status.state !== 'running') return body;
    if (Date.now() > until) throw new Error(`operation ${id} still running: ${JSON.stringify(body.status)}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

describe('GET /operations/{id}', () => {
  withCleanState();

  it('follows a bulk retry to done: the retried job succeeds and publishes; the dry run before it changed nothing', async () => {
    const logs = captureErrorLogs();
    await fixtures.routes([{ key: CATALOG_KEY, status: 400, body: 'bad', contentType: 'text/plain' }]);
    const failed = await runOnce(manualDeps(), CATALOG.pipeline, { ...CATALOG.params });
    expect(failed.stored.state).toBe('failed');
    expect(logs.seen()).toEqual(['job failed:PROVIDER_4XX']);
    await fixtures.reset();
    const filter = { pipeline: CATALOG.pipeline, states: ['failed'], error_code: 'PROVIDER_4XX' };

    const dry = (await (
      await api('/operations/bulk-retry', { method: 'POST', token: undefined, json: { ...filter, dry_run: true } })
    ).json()) as { operation_id: string };
    const dryStatus = await follow(dry.operation_id, READER_TOKEN);
    expect(dryStatus.operation).toMatchObject({
      kind: 'bulk_retry',
      requested_by: 'default',
      dry_run: true,
      request: { ...filter, dry_run: true },
      report: { job_ids: [failed.id] },
    });
    expect(dryStatus.status).toEqual({
      state: 'dry_run',
      jobs: {
        total: 1,
        finished: 1,
        by_state: { failed: 1 },
        decisions: {},
        failures: [{ job_id: failed.id, state: 'failed', error_code: 'PROVIDER_4XX' }],
        missing: 0,
      },
    });

    const res = await api('/operations/bulk-retry', { method: 'POST', json: filter });
    expect(res.status).toBe(202);
    const real = (await res.json()) as { operation_id: string };
    expect(real.operation_id).not.toBe(dry.operation_id);
    const done = await follow(real.operation_id);
    expect(done.operation).toMatchObject({ kind: 'bulk_retry', dry_run: false, report: { job_ids: [failed.id] } });
    expect(done.status).toEqual({
      state: 'done',
      jobs: { total: 1, finished: 1, by_state: { succeeded: 1 }, decisions: { PUBLISH_FIRST: 1 }, failures: [], missing: 0 },
    });
  });

  it('follows a re-normalization to done, counting the publication decisions of its replay jobs', async () => {
    const deps = manualDeps();
    await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params });
    const res = await api('/operations/renormalize', { method: 'POST', json: { pipeline: CATALOG.pipeline } });
    expect(res.status).toBe(202);
    const op = (await res.json()) as { operation_id: string; job_ids: string[] };
    const done = await follow(op.operation_id);
    expect(done.operation).toMatchObject({ kind: 'renormalize', requested_by: 'default', report: { job_ids: op.job_ids } });
    // The normalizer did not change: the replay decides no change, and no provider request was made.
    expect(done.status).toMatchObject({
      state: 'done',
      jobs: { total: 1, finished: 1, by_state: { succeeded: 1 }, decisions: { SKIP_NO_CHANGE: 1 } },
    });
    expect((await fixtures.log()).filter((r) => r.key === CATALOG_KEY)).toHaveLength(1);
  });

  it('answers 404 for an unknown id and 400 with the field for a malformed one', async () => {
    const unknown = await api('/operations/op-00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('OPERATION_NOT_FOUND');
    const bad = await api('/operations/..%2Fraw%2Fabc');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'INVALID_OPERATION_ID', details: { field: 'id' } } });
  });
});
