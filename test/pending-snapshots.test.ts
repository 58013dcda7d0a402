/**
 * The attempt's pending snapshot rows (src/runtime/pending-snapshots.ts) on the real D1 store: they wait for a
 * guarded write, a flush writes them once the oldest waited one heartbeat or MAX_PENDING wait, under the claim only.
 */
import { describe, expect, it } from 'vitest';
import type { NewSnapshot } from '../src/core/ports';
import { MAX_PENDING, PendingSnapshots } from '../src/runtime/pending-snapshots';
import { CATALOG, manualDeps, withCleanState } from './helpers';
import { newJob } from './store-contract/fixtures';

async function claimedJob(deps: ReturnType<typeof manualDeps>) {
  const now = deps.now();
  const { job } = await deps.store.insertJob(
    newJob({
      pipeline: CATALOG.pipeline,
      params: CATALOG.params,
      scopeKey: 'track_slug=canberraoffroad',
      now,
      requestedBy: 'test',
      reason: 'test',
    }),
  );
  const claimToken = crypto.randomUUID();
  const attemptId = crypto.randomUUID();
  await deps.store.claimJob({ jobId: job.id, workerId: 'w', claimToken, now, leaseUntil: now + 60_000, attemptId });
  return { jobId: job.id, claimToken, attemptNumber: 1, attemptId };
}

const row = (jobId: string, i: number): NewSnapshot => ({
  id: crypto.randomUUID(),
  jobId,
  attemptNumber: 1,
  pipeline: CATALOG.pipeline,
  scopeKey: 'track_slug=canberraoffroad',
  resourceType: 'page',
  resourceKey: `r${i}`,
  url: `https://example.test/${i}`,
  status: 200,
  contentType: 'text/html',
  sizeBytes: 1,
  sha256: 'a'.repeat(64),
  fetchedAt: i,
});

describe('pending snapshot rows', () => {
  withCleanState({ invariants: false });

  it('flushes once the oldest row waited the heartbeat, and once MAX_PENDING rows wait', async () => {
    const deps = manualDeps();
    const ref = await claimedJob(deps);
    const pending = new PendingSnapshots(20_000);
    pending.add(row(ref.jobId, 0), 1_000);
    await pending.flushIfDue(deps.store, ref, 20_999);
    expect(await deps.store.listSnapshots(ref.jobId)).toHaveLength(0);
    await pending.flushIfDue(deps.store, ref, 21_000);
    expect(await deps.store.listSnapshots(ref.jobId)).toHaveLength(1);
    expect(pending.rows).toEqual([]);
    for (let i = 1; i < MAX_PENDING; i++) pending.add(row(ref.jobId, i), 30_000);
    await pending.flushIfDue(deps.store, ref, 30_000);
    expect(pending.rows).toHaveLength(MAX_PENDING - 1);
    pending.add(row(ref.jobId, MAX_PENDING), 30_000);
    await pending.flushIfDue(deps.store, ref, 30_000);
    expect(pending.rows).toEqual([]);
    expect(await deps.store.listSnapshots(ref.jobId)).toHaveLength(MAX_PENDING + 1);
  });

  it('keeps the rows a flush could not write under a lost claim, and stores them as evidence', async () => {
    const deps = manualDeps();
    const ref = await claimedJob(deps);
    const pending = new PendingSnapshots(0);
    pending.add(row(ref.jobId, 0), 0);
    await pending.flushIfDue(deps.store, { ...ref, claimToken: 'taken-over' }, 1);
    expect(pending.rows).toHaveLength(1);
    expect(await deps.store.listSnapshots(ref.jobId)).toHaveLength(0);
    await pending.keepAsEvidence(deps.store, deps.log);
    expect(pending.rows).toEqual([]);
    expect((await deps.store.listSnapshots(ref.jobId)).map((s) => s.resourceKey)).toEqual(['r0']);
  });
});
