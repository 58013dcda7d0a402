/**
 * The JobStore contract: direct store-level tests of every port method (src/core/ports.ts), run against each
 * implementation (test/store-d1.test.ts, test/store-pg/*.test.ts). Every test starts from an empty, migrated
 * store made by `makeStore` and calls `cleanup` afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimRef, ClaimRequest, JobOutcome, JobStore, NewJob, NewSnapshot } from '../src/core/ports';
import type { ChangeClassification, Job, NormalizedResult, Publication, PublicationDecision } from '../src/core/types';

export interface StoreHarness {
  store: JobStore;
  cleanup(): Promise<void>;
}

/** A fixed clock well past 2^31 ms: timestamps must survive as exact numbers. */
const T0 = 1_800_000_000_000;
const MIN = 60_000;

const uuid = () => crypto.randomUUID();

function newJob(over: Partial<NewJob> = {}): NewJob {
  const defaults = {
    id: uuid(),
    pipeline: 'test.pipeline',
    params: { track: 'a', n: 1, nested: { b: [1, 2], a: 'x' } },
    scopeKey: 'track=a',
    mode: 'fetch' as const,
    force: false,
    idempotencyKey: null,
    requestId: null,
    parentJobId: null,
    maxAttempts: 3,
    now: T0,
    actor: 'test',
    reason: 'created by test',
  };
  return { ...defaults, ...over };
}

function claimReq(jobId: string, over: Partial<ClaimRequest> = {}): ClaimRequest {
  const now = over.now ?? T0;
  return { jobId, workerId: 'worker:a', claimToken: uuid(), now, leaseUntil: now + MIN, attemptId: uuid(), ...over };
}

const refOf = (req: ClaimRequest, job: Job): ClaimRef => ({
  jobId: req.jobId,
  claimToken: req.claimToken,
  attemptNumber: job.attemptCount,
  attemptId: req.attemptId,
});

function outcome(over: Partial<JobOutcome> & Pick<JobOutcome, 'state' | 'now'>): JobOutcome {
  return { reason: `to ${over.state}`, actor: 'worker:a', startedAt: T0, ...over };
}

function snapshot(jobId: string, over: Partial<NewSnapshot> = {}): NewSnapshot {
  return {
    id: uuid(),
    jobId,
    attemptNumber: 1,
    pipeline: 'test.pipeline',
    scopeKey: 'track=a',
    resourceType: 'page',
    resourceKey: 'events',
    url: 'https://example.test/events',
    status: 200,
    contentType: 'text/html',
    sizeBytes: 1234,
    sha256: 'a'.repeat(64),
    fetchedAt: T0 + 10,
    ...over,
  };
}

type NewNormalized = Omit<NormalizedResult, 'publicationDecision' | 'publicationReason' | 'changeClassification' | 'publicationId'>;

interface Decision {
  decision: PublicationDecision;
  reason: string;
  classification: ChangeClassification;
  publicationId: string | null;
  now: number;
}

function normalizedRow(jobId: string, over: Partial<NewNormalized> = {}): NewNormalized {
  return {
    jobId,
    pipeline: 'test.pipeline',
    scopeKey: 'track=a',
    sourceSnapshotHash: 's'.repeat(64),
    normalizedHash: 'n'.repeat(64),
    parserVersion: 'parser@1',
    normalizerVersion: 'norm@1',
    entityCount: 7,
    payloadKey: `normalized/${'n'.repeat(64)}.json`,
    createdAt: T0 + 100,
    updatedAt: T0 + 100,
    ...over,
  };
}

/** The job's normalized result carrying its decision, as recordDecision takes it. */
function decided(jobId: string, d: Decision, over: Partial<NewNormalized> = {}): NormalizedResult {
  return {
    ...normalizedRow(jobId, over),
    updatedAt: d.now,
    publicationDecision: d.decision,
    publicationReason: d.reason,
    changeClassification: d.classification,
    publicationId: d.publicationId,
  };
}

function publication(jobId: string, sequence: number, over: Partial<Publication> = {}): Publication {
  return {
    id: uuid(),
    pipeline: 'test.pipeline',
    scopeKey: 'track=a',
    jobId,
    sequence,
    supersedesId: null,
    sourceSnapshotHash: 's'.repeat(64),
    normalizedHash: 'n'.repeat(64),
    envelopeHash: 'e'.repeat(64),
    publicationDecision: sequence === 1 ? 'PUBLISH_FIRST' : 'PUBLISH_CHANGED',
    changeClassification: sequence === 1 ? 'FIRST_PUBLICATION' : 'CONTENT_CHANGED',
    publicationReason: 'test',
    parserVersion: 'parser@1',
    normalizerVersion: 'norm@1',
    entityCount: 7,
    addedCount: 7,
    removedCount: 0,
    changedCount: 0,
    payloadKey: 'normalized/x.json',
    envelopeKey: 'envelopes/x.json',
    publishedAt: T0 + 200,
    ...over,
  };
}

/** True when the error (or its cause, as drivers and drizzle wrap them) is a unique-constraint violation. */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { message?: unknown; cause?: unknown };
  return /UNIQUE/i.test(String(e?.message)) || /UNIQUE/i.test(String(e?.cause));
}

const path = (ts: Array<{ fromState: string | null; toState: string; reason: string }>) => ts.map((t) => `${t.fromState}->${t.toState}:${t.reason}`);

export function describeJobStoreContract(name: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`JobStore contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: JobStore;

    beforeEach(async () => {
      harness = await makeStore();
      store = harness.store;
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    /** A job claimed at `now`, with its claim request and ref. */
    async function claimed(over: Partial<NewJob> = {}, now = T0) {
      const { job } = await store.insertJob(newJob(over));
      const req = claimReq(job.id, { now });
      const running = await store.claimJob(req);
      if (!running) throw new Error('claim failed');
      return { job: running, req, ref: refOf(req, running) };
    }

    describe('readiness and jobs', () => {
      it('is ready once migrated', async () => {
        await expect(store.checkReady()).resolves.toBeUndefined();
      });

      it('inserts a pending job with its first transition, and reads it back exactly', async () => {
        const input = newJob({ idempotencyKey: 'k-1', parentJobId: 'parent-1', force: true, mode: 'replay', maxAttempts: 4 });
        const { job, created } = await store.insertJob(input);
        expect(created).toBe(true);
        expect(job).toMatchObject({
          id: input.id,
          pipeline: 'test.pipeline',
          params: input.params,
          scopeKey: 'track=a',
          mode: 'replay',
          force: true,
          state: 'pending',
          idempotencyKey: 'k-1',
          parentJobId: 'parent-1',
          attemptCount: 0,
          maxAttempts: 4,
          nextRetryAt: T0,
          claimedBy: null,
          claimToken: null,
          claimedAt: null,
          leaseUntil: null,
          lastHeartbeatAt: null,
          lastEnqueuedAt: T0,
          lastErrorCategory: null,
          lastErrorCode: null,
          lastErrorMessage: null,
          lastErrorRetryable: null,
          parserVersion: null,
          normalizerVersion: null,
          progressDone: 0,
          progressTotal: 0,
          resourcesFetched: 0,
          snapshotsStored: 0,
          retryCount: 0,
          result: null,
          createdAt: T0,
          updatedAt: T0,
          finishedAt: null,
        });
        expect(await store.getJob(input.id)).toEqual(job);
        const transitions = await store.listTransitions(job.id);
        expect(transitions).toHaveLength(1);
        expect(transitions[0]).toMatchObject({ jobId: job.id, fromState: null, toState: 'pending', reason: 'created by test', actor: 'test', attemptNumber: null, at: T0 });
        expect(typeof transitions[0]!.id).toBe('string');
        expect(await store.listAttempts(job.id)).toEqual([]);
      });

      it('returns null for an unknown job', async () => {
        expect(await store.getJob(uuid())).toBeNull();
      });

      it('dedupes by idempotency key, even across scopes and after the first job finished', async () => {
        const a = await store.insertJob(newJob({ idempotencyKey: 'key-1' }));
        const b = await store.insertJob(newJob({ idempotencyKey: 'key-1', scopeKey: 'track=other' }));
        expect(b).toEqual({ job: a.job, created: false });
        await store.cancelJob(a.job.id, T0 + 1, 'test', 'stop');
        const c = await store.insertJob(newJob({ idempotencyKey: 'key-1', now: T0 + 2 }));
        expect(c.created).toBe(false);
        expect(c.job.id).toBe(a.job.id);
        expect(c.job.state).toBe('cancelled');
        expect(await store.listTransitions(a.job.id)).toHaveLength(2);
        expect(await store.listJobs({ limit: 10 })).toHaveLength(1);
      });

      it('dedupes by active (pipeline, scope) while pending or running, and creates a new job afterwards', async () => {
        const a = await store.insertJob(newJob());
        const dupPending = await store.insertJob(newJob({ now: T0 + 1 }));
        expect(dupPending).toEqual({ job: a.job, created: false });
        const otherPipeline = await store.insertJob(newJob({ pipeline: 'test.other' }));
        expect(otherPipeline.created).toBe(true);
        const otherScope = await store.insertJob(newJob({ scopeKey: 'track=b' }));
        expect(otherScope.created).toBe(true);

        const req = claimReq(a.job.id);
        const running = (await store.claimJob(req))!;
        const dupRunning = await store.insertJob(newJob({ now: T0 + 2, idempotencyKey: 'fresh-key' }));
        expect(dupRunning.created).toBe(false);
        expect(dupRunning.job.id).toBe(a.job.id);
        expect(dupRunning.job.state).toBe('running');

        expect(await store.finishJob(refOf(req, running), outcome({ state: 'succeeded', now: T0 + 3 }))).toBe(true);
        const next = await store.insertJob(newJob({ now: T0 + 4, idempotencyKey: 'fresh-key' }));
        expect(next.created).toBe(true);
        expect(next.job.id).not.toBe(a.job.id);
        expect(next.job.state).toBe('pending');
      });

      it('creates exactly one job out of concurrent inserts for the same scope', async () => {
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.insertJob(newJob({ now: T0 + i }))));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
        expect(await store.listJobs({ limit: 20 })).toHaveLength(1);
        expect(await store.listTransitions(results[0]!.job.id)).toHaveLength(1);
      });

      it('lists jobs newest first with filters and a (createdAt, id) cursor', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const { job } = await store.insertJob(
            newJob({ now: T0 + i * 1000, scopeKey: `track=${i}`, pipeline: i % 2 ? 'test.odd' : 'test.even', parentJobId: i < 2 ? 'parent-x' : null }),
          );
          ids.push(job.id);
        }
        // Two jobs in the same millisecond: the id breaks the tie.
        const twinA = await store.insertJob(newJob({ id: 'zz-twin-a', now: T0 + 4000, scopeKey: 'track=twin-a' }));
        const twinB = await store.insertJob(newJob({ id: 'zz-twin-b', now: T0 + 4000, scopeKey: 'track=twin-b' }));
        await store.cancelJob(ids[1]!, T0 + 10_000, 'test', 'stop');

        const all = await store.listJobs({ limit: 100 });
        expect(all.map((j) => j.id)).toEqual([twinB.job.id, twinA.job.id, ids[4], ids[3], ids[2], ids[1], ids[0]]);
        expect((await store.listJobs({ limit: 100, state: 'cancelled' })).map((j) => j.id)).toEqual([ids[1]]);
        expect((await store.listJobs({ limit: 100, pipeline: 'test.odd' })).map((j) => j.id)).toEqual([ids[3], ids[1]]);
        expect((await store.listJobs({ limit: 100, scopeKey: 'track=2' })).map((j) => j.id)).toEqual([ids[2]]);
        expect((await store.listJobs({ limit: 100, parentJobId: 'parent-x' })).map((j) => j.id)).toEqual([ids[1], ids[0]]);
        expect((await store.listJobs({ limit: 100, createdFrom: T0 + 1000, createdTo: T0 + 3000 })).map((j) => j.id)).toEqual([ids[2], ids[1]]);

        const pages: string[][] = [];
        let cursor: { createdAt: number; id: string } | undefined;
        for (;;) {
          const page = await store.listJobs({ limit: 2, cursor });
          if (page.length === 0) break;
          pages.push(page.map((j) => j.id));
          const last = page[page.length - 1]!;
          cursor = { createdAt: last.createdAt, id: last.id };
        }
        expect(pages.flat()).toEqual(all.map((j) => j.id));
        expect(pages[0]).toEqual([twinB.job.id, twinA.job.id]);
      });
    });

    describe('claims', () => {
      it('claims a pending, due job: running, attempt opened, transition written', async () => {
        const { job } = await store.insertJob(newJob());
        const req = claimReq(job.id, { now: T0 + 5, leaseUntil: T0 + 5 + MIN });
        const running = await store.claimJob(req);
        expect(running).toMatchObject({
          id: job.id,
          state: 'running',
          attemptCount: 1,
          claimedBy: 'worker:a',
          claimToken: req.claimToken,
          claimedAt: T0 + 5,
          leaseUntil: T0 + 5 + MIN,
          lastHeartbeatAt: T0 + 5,
          progressDone: 0,
          progressTotal: 0,
          updatedAt: T0 + 5,
        });
        expect(await store.getJob(job.id)).toEqual(running);
        expect(await store.listAttempts(job.id)).toEqual([
          {
            id: req.attemptId,
            jobId: job.id,
            attemptNumber: 1,
            workerId: 'worker:a',
            state: 'running',
            errorCategory: null,
            errorCode: null,
            errorMessage: null,
            retryable: null,
            startedAt: T0 + 5,
            finishedAt: null,
            durationMs: null,
          },
        ]);
        const transitions = await store.listTransitions(job.id);
        expect(path(transitions)).toEqual(['null->pending:created by test', 'pending->running:claimed']);
        expect(transitions[1]).toMatchObject({ actor: 'worker:a', attemptNumber: 1, at: T0 + 5 });
      });

      it('does not claim a pending job before it is due', async () => {
        const { job } = await store.insertJob(newJob());
        expect(await store.claimJob(claimReq(job.id, { now: T0 - 1 }))).toBeNull();
        const req = claimReq(job.id, { now: T0 });
        const ref = refOf(req, (await store.claimJob(req))!);
        expect(await store.finishJob(ref, outcome({ state: 'pending', now: T0 + 100, nextRetryAt: T0 + 10_000, error: { category: 'provider', code: 'PROVIDER_5XX', message: 'down', retryable: true } }))).toBe(true);
        expect(await store.claimJob(claimReq(job.id, { now: T0 + 9_999 }))).toBeNull();
        const again = await store.claimJob(claimReq(job.id, { now: T0 + 10_000 }));
        expect(again?.attemptCount).toBe(2);
        expect(await store.getJob(job.id)).toMatchObject({ state: 'running', attemptCount: 2 });
        expect(await store.listAttempts(job.id)).toHaveLength(2);
      });

      it('does not claim a running job whose lease is live (up to and including lease_until)', async () => {
        const { job, req } = await claimed();
        expect(await store.claimJob(claimReq(job.id, { now: T0 + 1 }))).toBeNull();
        expect(await store.claimJob(claimReq(job.id, { now: req.leaseUntil }))).toBeNull();
        expect(await store.getJob(job.id)).toMatchObject({ claimToken: req.claimToken, attemptCount: 1 });
        expect(await store.listAttempts(job.id)).toHaveLength(1);
      });

      it('reclaims a running job after its lease expired: the old attempt ends LEASE_EXPIRED and the old claim is dead', async () => {
        const { job, req: old, ref: oldRef } = await claimed({}, T0);
        const at = old.leaseUntil + 1;
        const req = claimReq(job.id, { now: at, workerId: 'worker:b' });
        const taken = await store.claimJob(req);
        expect(taken).toMatchObject({ state: 'running', attemptCount: 2, claimedBy: 'worker:b', claimToken: req.claimToken, leaseUntil: req.leaseUntil });
        const attempts = await store.listAttempts(job.id);
        expect(attempts.map((a) => [a.attemptNumber, a.workerId, a.state, a.errorCode])).toEqual([
          [1, 'worker:a', 'failed', 'LEASE_EXPIRED'],
          [2, 'worker:b', 'running', null],
        ]);
        expect(attempts[0]).toMatchObject({ errorCategory: 'lease', retryable: true, finishedAt: at, durationMs: at - T0 });
        const transitions = await store.listTransitions(job.id);
        expect(path(transitions)).toEqual(['null->pending:created by test', 'pending->running:claimed', 'running->running:reclaimed after lease expiry']);
        expect(transitions[2]).toMatchObject({ actor: 'worker:b', attemptNumber: 2, at });

        expect(await store.renewLease(oldRef, at + 1, at + MIN)).toBe(false);
        expect(await store.finishJob(oldRef, outcome({ state: 'succeeded', now: at + 2 }))).toBe(false);
        expect(await store.getJob(job.id)).toMatchObject({ state: 'running', claimToken: req.claimToken });
        expect(await store.listTransitions(job.id)).toHaveLength(3);
      });

      it('does not claim once attempts are exhausted, nor a finished or unknown job', async () => {
        const { job, req } = await claimed({ maxAttempts: 1 });
        expect(await store.claimJob(claimReq(job.id, { now: req.leaseUntil + 1 }))).toBeNull();
        expect(await store.getJob(job.id)).toMatchObject({ state: 'running', attemptCount: 1, claimToken: req.claimToken });

        const done = await claimed({ scopeKey: 'track=done' });
        await store.finishJob(done.ref, outcome({ state: 'succeeded', now: T0 + 1 }));
        expect(await store.claimJob(claimReq(done.job.id, { now: T0 + 2 * MIN }))).toBeNull();

        const { job: pending } = await store.insertJob(newJob({ scopeKey: 'track=cancelled' }));
        await store.cancelJob(pending.id, T0 + 1, 'test', 'stop');
        expect(await store.claimJob(claimReq(pending.id, { now: T0 + 2 }))).toBeNull();

        expect(await store.claimJob(claimReq(uuid()))).toBeNull();
      });

      it('lets exactly one of many concurrent claims win', async () => {
        const { job } = await store.insertJob(newJob());
        const reqs = Array.from({ length: 8 }, (_, i) => claimReq(job.id, { now: T0 + 1, workerId: `worker:${i}` }));
        const results = await Promise.all(reqs.map((r) => store.claimJob(r)));
        const winners = results.filter((r): r is Job => r !== null);
        expect(winners).toHaveLength(1);
        const winner = reqs[results.findIndex((r) => r !== null)]!;
        expect(winners[0]).toMatchObject({ attemptCount: 1, claimToken: winner.claimToken, claimedBy: winner.workerId });
        expect((await store.listAttempts(job.id)).map((a) => a.id)).toEqual([winner.attemptId]);
        expect(path(await store.listTransitions(job.id))).toEqual(['null->pending:created by test', 'pending->running:claimed']);
      });

      it('lets exactly one of many concurrent claims take over an expired lease', async () => {
        const { job, req } = await claimed();
        const at = req.leaseUntil + 1;
        const results = await Promise.all(Array.from({ length: 6 }, (_, i) => store.claimJob(claimReq(job.id, { now: at, workerId: `worker:${i}` }))));
        expect(results.filter((r) => r !== null)).toHaveLength(1);
        const attempts = await store.listAttempts(job.id);
        expect(attempts.map((a) => a.state)).toEqual(['failed', 'running']);
        expect(path(await store.listTransitions(job.id))).toEqual([
          'null->pending:created by test',
          'pending->running:claimed',
          'running->running:reclaimed after lease expiry',
        ]);
      });
    });

    describe('leases and finishing', () => {
      it('renews the lease and records progress while the claim is ours', async () => {
        const { job, ref } = await claimed();
        expect(await store.renewLease(ref, T0 + 20_000, T0 + 80_000, { done: 3, total: 10 })).toBe(true);
        expect(await store.getJob(job.id)).toMatchObject({ leaseUntil: T0 + 80_000, lastHeartbeatAt: T0 + 20_000, updatedAt: T0 + 20_000, progressDone: 3, progressTotal: 10 });
        expect(await store.renewLease(ref, T0 + 40_000, T0 + 100_000)).toBe(true);
        expect(await store.getJob(job.id)).toMatchObject({ leaseUntil: T0 + 100_000, progressDone: 3, progressTotal: 10 });
        // A renewal is not a state change: no transition.
        expect(await store.listTransitions(job.id)).toHaveLength(2);
      });

      it('refuses to renew with a wrong token, or after the job was finished or cancelled', async () => {
        const { ref } = await claimed();
        expect(await store.renewLease({ ...ref, claimToken: 'not-ours' }, T0 + 1, T0 + MIN)).toBe(false);
        expect(await store.renewLease({ ...ref, jobId: uuid() }, T0 + 1, T0 + MIN)).toBe(false);
        await store.finishJob(ref, outcome({ state: 'succeeded', now: T0 + 2 }));
        expect(await store.renewLease(ref, T0 + 3, T0 + MIN)).toBe(false);
        expect(await store.renewLease({ ...ref, claimToken: `fin:${ref.claimToken}` }, T0 + 3, T0 + MIN)).toBe(false);

        const other = await claimed({ scopeKey: 'track=b' });
        await store.cancelJob(other.job.id, T0 + 4, 'test', 'stop');
        expect(await store.renewLease(other.ref, T0 + 5, T0 + MIN)).toBe(false);
      });

      it('finishes a job as succeeded once, with its transition and attempt rows', async () => {
        const { job, ref } = await claimed();
        const result = { decision: 'PUBLISH_FIRST', counts: { a: 1 }, list: [1, 'two'] };
        const ok = await store.finishJob(ref, outcome({ state: 'succeeded', now: T0 + 5_000, reason: 'PUBLISH_FIRST: 7 entities', result, parserVersion: 'p@2', normalizerVersion: 'n@3' }));
        expect(ok).toBe(true);
        expect(await store.getJob(job.id)).toMatchObject({
          state: 'succeeded',
          claimToken: `fin:${ref.claimToken}`,
          claimedBy: 'worker:a',
          leaseUntil: null,
          finishedAt: T0 + 5_000,
          updatedAt: T0 + 5_000,
          result,
          parserVersion: 'p@2',
          normalizerVersion: 'n@3',
          lastErrorCode: null,
          lastErrorRetryable: null,
          retryCount: 0,
          attemptCount: 1,
        });
        expect(await store.listAttempts(job.id)).toEqual([
          expect.objectContaining({ id: ref.attemptId, state: 'succeeded', errorCode: null, retryable: null, finishedAt: T0 + 5_000, durationMs: 5_000 }),
        ]);
        const transitions = await store.listTransitions(job.id);
        expect(path(transitions)).toEqual(['null->pending:created by test', 'pending->running:claimed', 'running->succeeded:PUBLISH_FIRST: 7 entities']);
        expect(transitions[2]).toMatchObject({ actor: 'worker:a', attemptNumber: 1, at: T0 + 5_000 });

        expect(await store.finishJob(ref, outcome({ state: 'failed', now: T0 + 6_000 }))).toBe(false);
        expect(await store.getJob(job.id)).toMatchObject({ state: 'succeeded', finishedAt: T0 + 5_000 });
        expect(await store.listTransitions(job.id)).toHaveLength(3);
      });

      it('finishes into a retry: pending again with backoff, error recorded, claim released', async () => {
        const { job, ref } = await claimed();
        const error = { category: 'provider', code: 'PROVIDER_5XX', message: 'HTTP 503', retryable: true };
        expect(await store.finishJob(ref, outcome({ state: 'pending', now: T0 + 1_000, nextRetryAt: T0 + 16_000, reason: 'retry in 15s after PROVIDER_5XX', error }))).toBe(true);
        expect(await store.getJob(job.id)).toMatchObject({
          state: 'pending',
          nextRetryAt: T0 + 16_000,
          leaseUntil: null,
          claimedBy: null,
          claimToken: `fin:${ref.claimToken}`,
          lastErrorCategory: 'provider',
          lastErrorCode: 'PROVIDER_5XX',
          lastErrorMessage: 'HTTP 503',
          lastErrorRetryable: true,
          retryCount: 1,
          lastEnqueuedAt: T0 + 1_000,
          finishedAt: null,
        });
        expect((await store.listAttempts(job.id))[0]).toMatchObject({ state: 'failed', errorCategory: 'provider', errorCode: 'PROVIDER_5XX', errorMessage: 'HTTP 503', retryable: true, durationMs: 1_000 });
        expect(path(await store.listTransitions(job.id)).at(-1)).toBe('running->pending:retry in 15s after PROVIDER_5XX');

        const req2 = claimReq(job.id, { now: T0 + 16_000, workerId: 'worker:b' });
        const second = (await store.claimJob(req2))!;
        expect(second).toMatchObject({ attemptCount: 2, claimedBy: 'worker:b' });
        expect(await store.finishJob(refOf(req2, second), outcome({ state: 'succeeded', now: T0 + 17_000, startedAt: T0 + 16_000 }))).toBe(true);
        const finished = (await store.getJob(job.id))!;
        expect(finished).toMatchObject({ state: 'succeeded', retryCount: 1, lastErrorCode: null, lastErrorRetryable: null, nextRetryAt: T0 + 16_000 });
        expect((await store.listAttempts(job.id)).map((a) => [a.attemptNumber, a.state])).toEqual([
          [1, 'failed'],
          [2, 'succeeded'],
        ]);
        expect(path(await store.listTransitions(job.id))).toEqual([
          'null->pending:created by test',
          'pending->running:claimed',
          'running->pending:retry in 15s after PROVIDER_5XX',
          'pending->running:claimed',
          'running->succeeded:to succeeded',
        ]);
      });

      it('finishes as failed or exhausted with a non-retryable or retryable error', async () => {
        const a = await claimed();
        expect(await store.finishJob(a.ref, outcome({ state: 'failed', now: T0 + 10, reason: 'non-retryable PROVIDER_4XX', error: { category: 'provider', code: 'PROVIDER_4XX', message: 'HTTP 400', retryable: false } }))).toBe(true);
        expect(await store.getJob(a.job.id)).toMatchObject({ state: 'failed', finishedAt: T0 + 10, lastErrorRetryable: false, lastErrorCode: 'PROVIDER_4XX' });
        expect((await store.listAttempts(a.job.id))[0]).toMatchObject({ state: 'failed', retryable: false });

        const b = await claimed({ scopeKey: 'track=b', maxAttempts: 1 });
        expect(await store.finishJob(b.ref, outcome({ state: 'exhausted', now: T0 + 20, reason: 'out of attempts', error: { category: 'network', code: 'TIMEOUT', message: 't', retryable: true } }))).toBe(true);
        expect(await store.getJob(b.job.id)).toMatchObject({ state: 'exhausted', finishedAt: T0 + 20, lastErrorRetryable: true });
        expect(path(await store.listTransitions(b.job.id)).at(-1)).toBe('running->exhausted:out of attempts');
      });

      it('refuses to finish with a token that is not the live claim', async () => {
        const { job, ref } = await claimed();
        expect(await store.finishJob({ ...ref, claimToken: 'someone-else' }, outcome({ state: 'succeeded', now: T0 + 1 }))).toBe(false);
        expect(await store.finishJob({ ...ref, jobId: uuid() }, outcome({ state: 'succeeded', now: T0 + 1 }))).toBe(false);
        expect(await store.getJob(job.id)).toMatchObject({ state: 'running', claimToken: ref.claimToken });
        expect((await store.listAttempts(job.id))[0]!.state).toBe('running');
        expect(await store.listTransitions(job.id)).toHaveLength(2);
      });
    });

    describe('operator and sweeper actions', () => {
      it('cancels a pending job with its transition', async () => {
        const { job } = await store.insertJob(newJob());
        const cancelled = await store.cancelJob(job.id, T0 + 50, 'api', 'operator cancelled');
        expect(cancelled).toMatchObject({ id: job.id, state: 'cancelled', finishedAt: T0 + 50, updatedAt: T0 + 50, leaseUntil: null });
        expect(await store.getJob(job.id)).toEqual(cancelled);
        const transitions = await store.listTransitions(job.id);
        expect(path(transitions)).toEqual(['null->pending:created by test', 'pending->cancelled:operator cancelled']);
        expect(transitions[1]).toMatchObject({ actor: 'api', at: T0 + 50, attemptNumber: 0 });
      });

      it('cancels a running job: its open attempt is closed and its claim can no longer write', async () => {
        const { job, ref } = await claimed();
        const cancelled = await store.cancelJob(job.id, T0 + 1_000, 'api', 'operator cancelled');
        expect(cancelled).toMatchObject({ state: 'cancelled', leaseUntil: null, finishedAt: T0 + 1_000 });
        expect(cancelled!.claimToken).not.toBe(ref.claimToken);
        expect((await store.listAttempts(job.id))[0]).toMatchObject({ state: 'failed', errorCategory: 'internal', errorCode: 'CANCELLED', errorMessage: 'operator cancelled', retryable: false, finishedAt: T0 + 1_000, durationMs: 1_000 });
        expect(await store.renewLease(ref, T0 + 1_001, T0 + MIN)).toBe(false);
        expect(await store.finishJob(ref, outcome({ state: 'succeeded', now: T0 + 1_002 }))).toBe(false);
        expect(await store.getJob(job.id)).toMatchObject({ state: 'cancelled' });
        expect(path(await store.listTransitions(job.id))).toEqual(['null->pending:created by test', 'pending->running:claimed', 'running->cancelled:operator cancelled']);
      });

      it('does not cancel a finished or unknown job', async () => {
        const { job, ref } = await claimed();
        await store.finishJob(ref, outcome({ state: 'succeeded', now: T0 + 1 }));
        expect(await store.cancelJob(job.id, T0 + 2, 'api', 'too late')).toBeNull();
        expect(await store.getJob(job.id)).toMatchObject({ state: 'succeeded' });
        expect(await store.listTransitions(job.id)).toHaveLength(3);
        expect(await store.cancelJob(uuid(), T0, 'api', 'nothing')).toBeNull();
      });

      it('retries a failed or exhausted job with a fresh attempt budget, and nothing else', async () => {
        const { job, ref } = await claimed({ maxAttempts: 2 });
        await store.finishJob(ref, outcome({ state: 'failed', now: T0 + 10, error: { category: 'provider', code: 'PROVIDER_4XX', message: 'x', retryable: false } }));
        const retried = await store.retryJob(job.id, T0 + 1_000, 'api', 'retry requested');
        expect(retried).toMatchObject({ state: 'pending', attemptCount: 1, maxAttempts: 3, nextRetryAt: T0 + 1_000, lastEnqueuedAt: T0 + 1_000, finishedAt: null, leaseUntil: null });
        expect(path(await store.listTransitions(job.id)).at(-1)).toBe('failed->pending:retry requested');
        expect(await store.retryJob(job.id, T0 + 1_001, 'api', 'again')).toBeNull();
        const req = claimReq(job.id, { now: T0 + 1_000 });
        const again = await store.claimJob(req);
        expect(again?.attemptCount).toBe(2);
        await store.finishJob(refOf(req, again!), outcome({ state: 'exhausted', now: T0 + 2_000 }));
        expect(await store.retryJob(job.id, T0 + 3_000, 'api', 'once more')).toMatchObject({ state: 'pending', maxAttempts: 5 });
        expect(await store.retryJob(uuid(), T0, 'api', 'nothing')).toBeNull();

        const succeeded = await claimed({ scopeKey: 'track=ok' });
        await store.finishJob(succeeded.ref, outcome({ state: 'succeeded', now: T0 + 1 }));
        expect(await store.retryJob(succeeded.job.id, T0 + 2, 'api', 'no')).toBeNull();
      });

      it('refuses to retry a job while another job for its scope is active (ACTIVE_JOB_EXISTS)', async () => {
        const { job, ref } = await claimed();
        await store.finishJob(ref, outcome({ state: 'failed', now: T0 + 10 }));
        const other = await store.insertJob(newJob({ now: T0 + 20 }));
        expect(other.created).toBe(true);
        await expect(store.retryJob(job.id, T0 + 30, 'api', 'retry')).rejects.toMatchObject({ code: 'ACTIVE_JOB_EXISTS' });
        expect(await store.getJob(job.id)).toMatchObject({ state: 'failed' });
        expect(await store.listTransitions(job.id)).toHaveLength(3);
      });

      it('finds recoverable jobs: overdue pending or expired running, not re-sent recently', async () => {
        const now = T0 + 10 * MIN;
        const overdueBefore = now - MIN;
        const resentBefore = now - 2 * MIN;
        const overdue = await store.insertJob(newJob({ scopeKey: 'track=overdue', now: T0 }));
        const fresh = await store.insertJob(newJob({ scopeKey: 'track=fresh', now: now - 30_000 }));
        const resent = await store.insertJob(newJob({ scopeKey: 'track=resent', now: T0 + MIN }));
        await store.markEnqueued([resent.job.id], now - MIN);
        const expired = await claimed({ scopeKey: 'track=expired', now: T0 + MIN }, T0 + 2 * MIN); // lease until T0 + 3 min
        const live = await claimed({ scopeKey: 'track=live' }, now - 30_000);
        const finished = await claimed({ scopeKey: 'track=finished' }, T0);
        await store.finishJob(finished.ref, outcome({ state: 'failed', now: T0 + 1 }));

        const found = await store.findRecoverable(now, overdueBefore, resentBefore, 10);
        expect(found.map((j) => j.id)).toEqual([overdue.job.id, expired.job.id]); // by next_retry_at
        expect(found.map((j) => j.id)).not.toContain(fresh.job.id);
        expect(found.map((j) => j.id)).not.toContain(live.job.id);
        expect((await store.findRecoverable(now, overdueBefore, resentBefore, 1)).map((j) => j.id)).toEqual([overdue.job.id]);

        await store.markEnqueued(found.map((j) => j.id), now);
        expect(await store.getJob(overdue.job.id)).toMatchObject({ lastEnqueuedAt: now });
        expect(await store.findRecoverable(now, overdueBefore, resentBefore, 10)).toEqual([]);
        // Once the re-send is itself old enough, they are found again.
        expect((await store.findRecoverable(now + 5 * MIN, overdueBefore, now, 10)).map((j) => j.id)).toEqual(expect.arrayContaining([overdue.job.id, expired.job.id]));
        await store.markEnqueued([], now);
      });

      it('ends running jobs whose final attempt lost its lease as exhausted, and only those', async () => {
        const final = await claimed({ maxAttempts: 1 }, T0);
        const spare = await claimed({ scopeKey: 'track=spare', maxAttempts: 2 }, T0);
        const live = await claimed({ scopeKey: 'track=live', maxAttempts: 1 }, T0 + 5 * MIN);
        const now = T0 + 2 * MIN;

        expect(await store.exhaustExpiredFinalAttempts(now, 'sweeper')).toEqual([final.job.id]);
        expect(await store.getJob(final.job.id)).toMatchObject({
          state: 'exhausted',
          finishedAt: now,
          leaseUntil: null,
          lastErrorCategory: 'lease',
          lastErrorCode: 'LEASE_EXPIRED',
          lastErrorRetryable: true,
        });
        expect((await store.listAttempts(final.job.id))[0]).toMatchObject({ state: 'failed', errorCode: 'LEASE_EXPIRED', retryable: true, finishedAt: now, durationMs: 2 * MIN });
        const transitions = await store.listTransitions(final.job.id);
        expect(path(transitions).at(-1)).toBe('running->exhausted:final attempt lease expired');
        expect(transitions.at(-1)).toMatchObject({ actor: 'sweeper', at: now, attemptNumber: 1 });
        expect(await store.finishJob(final.ref, outcome({ state: 'succeeded', now: now + 1 }))).toBe(false);

        expect(await store.getJob(spare.job.id)).toMatchObject({ state: 'running' });
        expect(await store.getJob(live.job.id)).toMatchObject({ state: 'running' });
        expect(await store.exhaustExpiredFinalAttempts(now, 'sweeper')).toEqual([]);
      });
    });

    describe('snapshots, normalized results, publications', () => {
      it('records a snapshot once per identity (job, attempt, resource, sha256)', async () => {
        const { job } = await claimed();
        const first = snapshot(job.id);
        expect(await store.insertSnapshot(first)).toBe(true);
        expect(await store.insertSnapshot({ ...first, id: uuid(), fetchedAt: T0 + 99 })).toBe(false);
        expect(await store.insertSnapshot(snapshot(job.id, { sha256: 'b'.repeat(64), fetchedAt: T0 + 20 }))).toBe(true);
        expect(await store.insertSnapshot(snapshot(job.id, { attemptNumber: 2, fetchedAt: T0 + 30 }))).toBe(true);
        expect(await store.insertSnapshot(snapshot(job.id, { resourceKey: 'Entries', fetchedAt: T0 + 10 }))).toBe(true);
        expect(await store.insertSnapshot(snapshot(job.id, { resourceKey: 'entries', fetchedAt: T0 + 10 }))).toBe(true);
        expect(await store.countJobSnapshots(job.id)).toBe(5);
        expect(await store.countJobSnapshots(uuid())).toBe(0);
        const listed = await store.listSnapshots(job.id);
        expect(listed.map((s) => [s.attemptNumber, s.fetchedAt, s.resourceKey, s.sha256[0]])).toEqual([
          [1, T0 + 10, 'Entries', 'a'],
          [1, T0 + 10, 'entries', 'a'],
          [1, T0 + 10, 'events', 'a'],
          [1, T0 + 20, 'events', 'b'],
          [2, T0 + 30, 'events', 'a'],
        ]);
        const { pipeline: _p, scopeKey: _s, ...expected } = first;
        expect(listed[2]).toEqual(expected);
        expect(await store.getSnapshotBySha('b'.repeat(64))).toMatchObject({ jobId: job.id, sha256: 'b'.repeat(64), fetchedAt: T0 + 20 });
        expect(await store.getSnapshotBySha('f'.repeat(64))).toBeNull();
      });

      it('upserts the normalized result of a job idempotently', async () => {
        const { job } = await claimed();
        expect(await store.getNormalized(job.id)).toBeNull();
        await store.upsertNormalized(normalizedRow(job.id));
        await store.upsertNormalized(normalizedRow(job.id));
        expect(await store.getNormalized(job.id)).toEqual({
          ...normalizedRow(job.id),
          publicationDecision: null,
          publicationReason: null,
          changeClassification: null,
          publicationId: null,
        });
        await store.recordDecision(decided(job.id, { decision: 'SKIP_NO_CHANGE', reason: 'same', classification: 'NO_CHANGE', publicationId: null, now: T0 + 150 }), null);
        // A repeated execution overwrites the canonical record but keeps its creation time.
        await store.upsertNormalized(normalizedRow(job.id, { normalizedHash: 'm'.repeat(64), entityCount: 8, payloadKey: 'normalized/m.json', createdAt: T0 + 500, updatedAt: T0 + 500 }));
        expect(await store.getNormalized(job.id)).toMatchObject({ normalizedHash: 'm'.repeat(64), entityCount: 8, payloadKey: 'normalized/m.json', createdAt: T0 + 100, updatedAt: T0 + 500 });
        // ...and leaves the decision alone (it is re-made with recordDecision).
        expect(await store.getNormalized(job.id)).toMatchObject({ publicationDecision: 'SKIP_NO_CHANGE', publicationReason: 'same', changeClassification: 'NO_CHANGE' });
      });

      it('finds the latest normalized result of a succeeded fetch job for a scope', async () => {
        const older = await claimed({ scopeKey: 'track=a' }, T0);
        await store.upsertNormalized(normalizedRow(older.job.id, { normalizedHash: '1'.repeat(64), createdAt: T0 + 10 }));
        await store.finishJob(older.ref, outcome({ state: 'succeeded', now: T0 + 11 }));
        const newer = await claimed({ scopeKey: 'track=a', now: T0 + 20 }, T0 + 20);
        await store.upsertNormalized(normalizedRow(newer.job.id, { normalizedHash: '2'.repeat(64), createdAt: T0 + 30 }));
        // Not finished yet: still the older one.
        expect((await store.latestFetchedNormalized('test.pipeline', 'track=a'))?.jobId).toBe(older.job.id);
        await store.finishJob(newer.ref, outcome({ state: 'succeeded', now: T0 + 31 }));
        expect((await store.latestFetchedNormalized('test.pipeline', 'track=a'))?.jobId).toBe(newer.job.id);
        const replay = await claimed({ scopeKey: 'track=a', mode: 'replay', now: T0 + 40 }, T0 + 40);
        await store.upsertNormalized(normalizedRow(replay.job.id, { createdAt: T0 + 50 }));
        await store.finishJob(replay.ref, outcome({ state: 'succeeded', now: T0 + 51 }));
        const failed = await claimed({ scopeKey: 'track=a', now: T0 + 60 }, T0 + 60);
        await store.upsertNormalized(normalizedRow(failed.job.id, { createdAt: T0 + 70 }));
        await store.finishJob(failed.ref, outcome({ state: 'failed', now: T0 + 71 }));
        expect((await store.latestFetchedNormalized('test.pipeline', 'track=a'))?.jobId).toBe(newer.job.id);
        expect(await store.latestFetchedNormalized('test.pipeline', 'track=zzz')).toBeNull();
        expect(await store.latestFetchedNormalized('test.other', 'track=a')).toBeNull();
      });

      it('records a decision with its normalized result (inserted or overwritten), without a publication', async () => {
        const a = await claimed();
        const held = decided(a.job.id, { decision: 'HOLD_DRIFT', reason: 'too many removed', classification: 'DRIFT_SUSPECTED', publicationId: null, now: T0 + 150 });
        await store.recordDecision(held, null);
        expect(await store.getNormalized(a.job.id)).toEqual(held);
        expect(await store.latestPublication('test.pipeline', 'track=a')).toBeNull();

        const b = await claimed({ scopeKey: 'track=b' });
        await store.upsertNormalized(normalizedRow(b.job.id, { scopeKey: 'track=b' }));
        const skipped = decided(b.job.id, { decision: 'SKIP_NO_CHANGE', reason: 'same', classification: 'NO_CHANGE', publicationId: null, now: T0 + 300 }, { scopeKey: 'track=b', normalizedHash: 'q'.repeat(64), createdAt: T0 + 250 });
        await store.recordDecision(skipped, null);
        // Overwritten in place: everything but the creation time.
        expect(await store.getNormalized(b.job.id)).toEqual({ ...skipped, createdAt: T0 + 100 });
      });

      it('records a decision with its normalized result and the publication in one transaction', async () => {
        const a = await claimed();
        const pub = publication(a.job.id, 1);
        const result = decided(a.job.id, { decision: 'PUBLISH_FIRST', reason: 'first', classification: 'FIRST_PUBLICATION', publicationId: pub.id, now: T0 + 200 });
        await store.recordDecision(result, pub);
        expect(await store.getPublication(pub.id)).toEqual(pub);
        expect(await store.getNormalized(a.job.id)).toEqual(result);
        expect(await store.getPublication(uuid())).toBeNull();
      });

      it('rejects a second publication for the same job as a unique violation, changing nothing', async () => {
        const a = await claimed();
        await store.upsertNormalized(normalizedRow(a.job.id));
        const first = publication(a.job.id, 1);
        await store.recordDecision(decided(a.job.id, { decision: 'PUBLISH_FIRST', reason: 'first', classification: 'FIRST_PUBLICATION', publicationId: first.id, now: T0 + 200 }), first);
        const again = publication(a.job.id, 2);
        const err = await store
          .recordDecision(decided(a.job.id, { decision: 'PUBLISH_CHANGED', reason: 'again', classification: 'CONTENT_CHANGED', publicationId: again.id, now: T0 + 300 }), again)
          .then(() => null, (e: unknown) => e);
        expect(err).not.toBeNull();
        expect(isUniqueViolation(err)).toBe(true);
        expect(await store.getPublication(again.id)).toBeNull();
        expect(await store.getNormalized(a.job.id)).toMatchObject({ publicationDecision: 'PUBLISH_FIRST', publicationId: first.id, updatedAt: T0 + 200 });
      });

      it('lets exactly one of two racing publishers append a (pipeline, scope, sequence) link; the loser sees a unique violation', async () => {
        const a = await claimed();
        const b = await claimed({ scopeKey: 'track=b' });
        await store.upsertNormalized(normalizedRow(a.job.id));
        await store.upsertNormalized(normalizedRow(b.job.id));
        const pa = publication(a.job.id, 1);
        const pb = publication(b.job.id, 1); // same pipeline, scope (track=a) and sequence
        const results = await Promise.allSettled([
          store.recordDecision(decided(a.job.id, { decision: 'PUBLISH_FIRST', reason: 'a', classification: 'FIRST_PUBLICATION', publicationId: pa.id, now: T0 + 200 }), pa),
          store.recordDecision(decided(b.job.id, { decision: 'PUBLISH_FIRST', reason: 'b', classification: 'FIRST_PUBLICATION', publicationId: pb.id, now: T0 + 200 }), pb),
        ]);
        const fulfilled = results.filter((r) => r.status === 'fulfilled');
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect(isUniqueViolation(rejected[0]!.reason)).toBe(true);
        const winner = results[0]!.status === 'fulfilled' ? { job: a.job.id, pub: pa.id } : { job: b.job.id, pub: pb.id };
        const loser = winner.job === a.job.id ? b.job.id : a.job.id;
        expect(await store.listPublications('test.pipeline', 'track=a', null, 10)).toEqual([expect.objectContaining({ id: winner.pub, sequence: 1 })]);
        expect(await store.getNormalized(winner.job)).toMatchObject({ publicationId: winner.pub });
        expect(await store.getNormalized(loser)).toMatchObject({ publicationDecision: null, publicationId: null });
      });

      it('returns the latest publication per scope or per pipeline, and pages a scope newest first', async () => {
        const jobs: string[] = [];
        for (let i = 0; i < 4; i++) jobs.push((await store.insertJob(newJob({ scopeKey: `track=p${i}` }))).job.id);
        const p1 = publication(jobs[0]!, 1, { publishedAt: T0 + 1_000 });
        const p2 = publication(jobs[1]!, 2, { supersedesId: p1.id, publishedAt: T0 + 2_000 });
        const p3 = publication(jobs[2]!, 3, { supersedesId: p2.id, publishedAt: T0 + 3_000 });
        const other = publication(jobs[3]!, 1, { scopeKey: 'track=b', publishedAt: T0 + 5_000 });
        for (const p of [p1, p2, p3, other]) {
          await store.recordDecision(decided(p.jobId, { decision: p.publicationDecision, reason: 'r', classification: p.changeClassification, publicationId: p.id, now: p.publishedAt }), p);
        }
        expect(await store.latestPublication('test.pipeline', 'track=a')).toEqual(p3);
        expect(await store.latestPublication('test.pipeline', 'track=b')).toEqual(other);
        expect(await store.latestPublication('test.pipeline')).toEqual(other);
        expect(await store.latestPublication('test.pipeline', 'track=none')).toBeNull();
        expect(await store.latestPublication('test.none')).toBeNull();
        expect((await store.listPublications('test.pipeline', 'track=a', null, 10)).map((p) => p.sequence)).toEqual([3, 2, 1]);
        expect((await store.listPublications('test.pipeline', 'track=a', null, 2)).map((p) => p.sequence)).toEqual([3, 2]);
        expect((await store.listPublications('test.pipeline', 'track=a', 2, 10)).map((p) => p.id)).toEqual([p1.id]);
        expect(await store.listPublications('test.pipeline', 'track=a', 1, 10)).toEqual([]);
        expect(await store.listPublications('test.pipeline', 'track=none', null, 10)).toEqual([]);
      });
    });

    describe('schedules and metrics', () => {
      const schedule = (id: string, over: Partial<Parameters<JobStore['upsertSchedule']>[0]> = {}) => ({
        id,
        pipeline: 'test.pipeline',
        params: { track: id },
        cron: '*/5 * * * *',
        enabled: true,
        nextDueAt: T0,
        createdAt: T0 - 1_000,
        updatedAt: T0 - 1_000,
        ...over,
      });

      it('upserts schedules, lists them by id, and keeps the last enqueued slot across updates', async () => {
        await store.upsertSchedule(schedule('b-sched'));
        await store.upsertSchedule(schedule('a-sched', { enabled: false, cron: '17 4 * * *' }));
        expect(await store.listSchedules()).toEqual([
          { ...schedule('a-sched', { enabled: false, cron: '17 4 * * *' }), lastEnqueuedSlot: null },
          { ...schedule('b-sched'), lastEnqueuedSlot: null },
        ]);
        expect(await store.advanceSchedule('b-sched', T0, T0 + 5 * MIN, T0 + 1)).toBe(true);
        await store.upsertSchedule(schedule('b-sched', { cron: '*/10 * * * *', nextDueAt: T0 + 10 * MIN, params: { track: 'z' }, updatedAt: T0 + 2, createdAt: 0 }));
        const [, b] = await store.listSchedules();
        expect(b).toEqual({ ...schedule('b-sched'), cron: '*/10 * * * *', nextDueAt: T0 + 10 * MIN, params: { track: 'z' }, updatedAt: T0 + 2, lastEnqueuedSlot: T0 });
      });

      it('lists due, enabled schedules oldest first, up to the limit', async () => {
        await store.upsertSchedule(schedule('late', { nextDueAt: T0 - 1_000 }));
        await store.upsertSchedule(schedule('later', { nextDueAt: T0 }));
        await store.upsertSchedule(schedule('future', { nextDueAt: T0 + 1 }));
        await store.upsertSchedule(schedule('off', { nextDueAt: T0 - 5_000, enabled: false }));
        expect((await store.dueSchedules(T0, 10)).map((s) => s.id)).toEqual(['late', 'later']);
        expect((await store.dueSchedules(T0, 1)).map((s) => s.id)).toEqual(['late']);
        expect(await store.dueSchedules(T0 - 2_000, 10)).toEqual([]);
      });

      it('advances a schedule from its slot exactly once, even when advances race', async () => {
        await store.upsertSchedule(schedule('s1', { nextDueAt: T0 }));
        const results = await Promise.all(Array.from({ length: 5 }, (_, i) => store.advanceSchedule('s1', T0, T0 + 5 * MIN, T0 + i)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const [s] = await store.listSchedules();
        expect(s).toMatchObject({ nextDueAt: T0 + 5 * MIN, lastEnqueuedSlot: T0 });
        expect(await store.advanceSchedule('s1', T0, T0 + 10 * MIN, T0 + 10)).toBe(false);
        expect(await store.advanceSchedule('missing', T0, T0 + 10 * MIN, T0 + 10)).toBe(false);
        expect(await store.dueSchedules(T0 + MIN, 10)).toEqual([]);
      });

      it('reports metrics: jobs by state and pipeline, attempts by outcome, retries, oldest pending, publications', async () => {
        expect(await store.metrics()).toEqual({ jobsByStateAndPipeline: [], attemptsByOutcome: [], retriesTotal: 0, oldestPendingCreatedAt: null, publicationsTotal: 0 });

        const a = await claimed({ scopeKey: 'track=a' }, T0);
        await store.finishJob(a.ref, outcome({ state: 'pending', now: T0 + 1, nextRetryAt: T0 + 2, error: { category: 'provider', code: 'X', message: 'x', retryable: true } }));
        const req = claimReq(a.job.id, { now: T0 + 2 });
        const again = (await store.claimJob(req))!;
        await store.finishJob(refOf(req, again), outcome({ state: 'succeeded', now: T0 + 3 }));
        await store.upsertNormalized(normalizedRow(a.job.id));
        const pub = publication(a.job.id, 1);
        await store.recordDecision(decided(a.job.id, { decision: 'PUBLISH_FIRST', reason: 'r', classification: 'FIRST_PUBLICATION', publicationId: pub.id, now: T0 + 4 }), pub);
        await store.insertJob(newJob({ scopeKey: 'track=b', now: T0 + 100 }));
        await store.insertJob(newJob({ scopeKey: 'track=c', now: T0 + 50 }));
        await store.insertJob(newJob({ scopeKey: 'track=a', pipeline: 'test.other', now: T0 + 10 }));
        await claimed({ scopeKey: 'track=d' }, T0 + 5);

        const m = await store.metrics();
        const byKey = (rows: Array<{ state: string; count: number; pipeline?: string }>) =>
          rows.map((r) => `${r.state}/${r.pipeline ?? ''}=${r.count}`).sort();
        expect(byKey(m.jobsByStateAndPipeline)).toEqual(['pending/test.other=1', 'pending/test.pipeline=2', 'running/test.pipeline=1', 'succeeded/test.pipeline=1']);
        expect(byKey(m.attemptsByOutcome)).toEqual(['failed/=1', 'running/=1', 'succeeded/=1']);
        expect(m.retriesTotal).toBe(1);
        expect(m.oldestPendingCreatedAt).toBe(T0 + 10);
        expect(m.publicationsTotal).toBe(1);
        for (const r of m.jobsByStateAndPipeline) expect(typeof r.count).toBe('number');
      });
    });
  });
}
