/**
 * Shared fixtures of the Store contract (test/store-contract.ts): the harness a store implementation provides,
 * a fixed clock, row builders, and `withStore`, which gives every test of a group an empty, migrated store.
 */
import { afterEach, beforeEach } from 'vitest';
import type { ClaimRef, ClaimRequest, JobOutcome, Store, NewJob, NewSnapshot } from '../../src/core/ports';
import type { ChangeClassification, Job, NormalizedResult, Publication, PublicationDecision } from '../../src/core/types';

export interface StoreHarness {
  store: Store;
  cleanup(): Promise<void>;
}

export type MakeStore = () => Promise<StoreHarness>;

/** A fixed clock well past 2^31 ms: timestamps must survive as exact numbers. */
export const T0 = 1_800_000_000_000;
export const MIN = 60_000;

export const uuid = () => crypto.randomUUID();

export function newJob(over: Partial<NewJob> = {}): NewJob {
  const defaults = {
    id: uuid(),
    pipeline: 'test.pipeline',
    params: { track: 'a', n: 1, nested: { b: [1, 2], a: 'x' } },
    scopeKey: 'track=a',
    mode: 'fetch' as const,
    force: false,
    idempotencyKey: null,
    requestId: null,
    requestedBy: 'tester',
    parentJobId: null,
    maxAttempts: 3,
    now: T0,
    actor: 'test',
    reason: 'created by test',
  };
  return { ...defaults, ...over };
}

export function claimReq(jobId: string, over: Partial<ClaimRequest> = {}): ClaimRequest {
  const now = over.now ?? T0;
  return { jobId, workerId: 'worker:a', claimToken: uuid(), now, leaseUntil: now + MIN, attemptId: uuid(), ...over };
}

export const refOf = (req: ClaimRequest, job: Job): ClaimRef => ({
  jobId: req.jobId,
  claimToken: req.claimToken,
  attemptNumber: job.attemptCount,
  attemptId: req.attemptId,
});

export function outcome(over: Partial<JobOutcome> & Pick<JobOutcome, 'state' | 'now'>): JobOutcome {
  return { reason: `to ${over.state}`, actor: 'worker:a', startedAt: T0, ...over };
}

export function snapshot(jobId: string, over: Partial<NewSnapshot> = {}): NewSnapshot {
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

export function normalizedRow(jobId: string, over: Partial<NewNormalized> = {}): NewNormalized {
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

/** Stores a job's normalized result with no decision yet, through the one write the runtime uses (recordDecision). */
export function seedNormalized(store: Pick<Store, 'recordDecision'>, jobId: string, over: Partial<NewNormalized> = {}): Promise<boolean> {
  return store.recordDecision(
    { ...normalizedRow(jobId, over), publicationDecision: null, publicationReason: null, changeClassification: null, publicationId: null },
    null,
  );
}

/** The job's normalized result carrying its decision, as recordDecision takes it. */
export function decided(jobId: string, d: Decision, over: Partial<NewNormalized> = {}): NormalizedResult {
  return {
    ...normalizedRow(jobId, over),
    updatedAt: d.now,
    publicationDecision: d.decision,
    publicationReason: d.reason,
    changeClassification: d.classification,
    publicationId: d.publicationId,
  };
}

/** A job's first publication and its normalized result decided PUBLISH_FIRST at `now`, as a decision write takes them. */
export function firstPublication(jobId: string, now: number): { pub: Publication; result: NormalizedResult } {
  const pub = publication(jobId, 1);
  const result = decided(jobId, {
    decision: 'PUBLISH_FIRST',
    reason: 'first',
    classification: 'FIRST_PUBLICATION',
    publicationId: pub.id,
    now,
  });
  return { pub, result };
}

export function publication(jobId: string, sequence: number, over: Partial<Publication> = {}): Publication {
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
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { message?: unknown; cause?: unknown };
  return /UNIQUE/i.test(String(e?.message)) || /UNIQUE/i.test(String(e?.cause));
}

export const path = (ts: Array<{ fromState: string | null; toState: string; reason: string }>) =>
  ts.map((t) => `${t.fromState}->${t.toState}:${t.reason}`);

/**
 * Registers the per-test store lifecycle in the enclosing describe block: a fresh store from `makeStore` before each
 * test (handed to `onStore`), its `cleanup` after. Returns `claimed`, which works on the current test's store.
 */
export function withStore(makeStore: MakeStore, onStore: (store: Store) => void) {
  let harness: StoreHarness;

  beforeEach(async () => {
    harness = await makeStore();
    onStore(harness.store);
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  /** A job claimed at `now`, with its claim request and ref. */
  return async function claimed(over: Partial<NewJob> = {}, now = T0) {
    const store = harness.store;
    const { job } = await store.insertJob(newJob(over));
    const req = claimReq(job.id, { now });
    const running = await store.claimJob(req);
    if (!running) throw new Error('claim failed');
    return { job: running, req, ref: refOf(req, running) };
  };
}
