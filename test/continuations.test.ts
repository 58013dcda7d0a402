/**
 * Resumable jobs: a plan longer than one attempt's time budget finishes across continuations, each resource
 * fetched exactly once (counted at the fixture server), with no attempt budget spent; a job that stops making
 * progress ends CONTINUATION_NO_PROGRESS.
 */
import { describe, expect, it } from 'vitest';
import { enqueueJob } from '../src/runtime/enqueue';
import type { ResourceRequest } from '../src/core/pipeline';
import type { ProviderProfile } from '../src/core/provider';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { httpSource } from '../src/runtime/sources';
import { clock, fixtures, manualDeps, withCleanState, expectErrorLogs } from './helpers';

const DEEP = { pipeline: 'liverc.event_deep', params: { track_slug: 'canberraoffroad', event_id: '486677' } };
/** normalized_hash of this event from test/normalized-hash-pin.test.ts (one uninterrupted attempt). */
const PINNED = '919cdd309cb4cc8ac86b46754a076b648fe9a01d7838eb0fcfd0dde61fac3996'; // liverc.event_deep, as in normalized-hash-pin.test.ts

/** Deps whose clock moves 1.5 s per provider request, against a 1 s attempt budget: one request per attempt. */
function slowDeps() {
  const c = clock();
  const deps = manualDeps({ clock: c });
  const send = deps.client.fetch.bind(deps.client);
  deps.client.fetch = async (profile, req) => {
    const res = await send(profile, req);
    c.advance(1_500);
    return res;
  };
  return { ...deps, config: { ...deps.config, attemptBudgetSec: 1 }, clock: c };
}

describe('continuations', () => {
  withCleanState();

  it('finishes a plan longer than one budget across continuations, fetching each resource once', async () => {
    const deps = slowDeps();
    const { job } = await enqueueJob({ ...deps, defaultMaxAttempts: 1 }, { ...DEEP, actor: 'test', reason: 'test' });
    const outcomes = [];
    for (let i = 0; i < 10; i++) {
      const out = await handleJobMessage(deps, job.id);
      outcomes.push(out.kind);
      if (out.kind !== 'continued') break;
      expect(deps.queue.sent.at(-1)).toEqual({ jobId: job.id, delaySec: undefined });
    }
    // One request per attempt: three continuations, and the fourth attempt fetches the last resource and publishes.
    expect(outcomes).toEqual(['continued', 'continued', 'continued', 'succeeded']);
    const keys = (await fixtures.log()).map((l) => l.key);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
    const stored = (await deps.store.getJob(job.id))!;
    // A one-attempt job went through four attempts: continuations spent none of its budget and are no retries.
    expect(stored).toMatchObject({ state: 'succeeded', retryCount: 0, attemptCount: 4, maxAttempts: 4 });
    expect(stored.result).toMatchObject({ provider_requests: 1, resources_reused: 3, decision: 'PUBLISH_FIRST' });
    expect((await deps.store.listAttempts(job.id)).map((a) => a.state)).toEqual(['continued', 'continued', 'continued', 'succeeded']);
    expect((await deps.store.getNormalized(job.id))!.normalizedHash).toBe(PINNED);
    const reasons = (await deps.store.listTransitions(job.id)).map((t) => t.reason);
    expect(reasons.filter((r) => r.startsWith('continuation '))).toHaveLength(3);
  });

  it('loses nothing when an attempt crashes midway: the reclaiming attempt reuses what was fetched', async () => {
    const deps = slowDeps();
    const { job } = await enqueueJob({ ...deps, defaultMaxAttempts: 3 }, { ...DEEP, actor: 'test', reason: 'test' });
    expect((await handleJobMessage(deps, job.id)).kind).toBe('continued');
    // The second attempt "crashes" after its first request: a claim that never finishes (its lease runs out).
    const now = deps.clock.t;
    const crashed = (await deps.store.claimJob({
      jobId: job.id,
      workerId: 'w:crash',
      claimToken: 'crash',
      now,
      leaseUntil: now + 1_000,
      attemptId: crypto.randomUUID(),
    }))!;
    expect(crashed.attemptCount).toBe(2);
    deps.clock.advance(120_000);
    const rest = { ...deps, config: { ...deps.config, attemptBudgetSec: 3_600 } };
    expect((await handleJobMessage(rest, job.id)).kind).toBe('succeeded');
    const keys = (await fixtures.log()).map((l) => l.key);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
    expect((await deps.store.getNormalized(job.id))!.normalizedHash).toBe(PINNED);
  });

  it('an attempt killed midway keeps the rows its heartbeat flushed: the reclaiming attempt reuses them', async () => {
    const c = clock();
    const base = manualDeps({ clock: c, workerId: 'worker:doomed' });
    // Rows wait for the decision or the finish, or one heartbeat (2 s here) at most; each request takes 1.5 s.
    const config = { ...base.config, attemptBudgetSec: 3_600, heartbeatIntervalSec: 2 };
    const { job } = await enqueueJob({ ...base, defaultMaxAttempts: 3 }, { ...DEEP, actor: 'test', reason: 'test' });
    let requests = 0;
    let reachedFourth!: () => void;
    const fourth = new Promise<void>((ok) => (reachedFourth = ok));
    const send = base.client.fetch.bind(base.client);
    const client = Object.assign(Object.create(base.client), {
      fetch: async (profile: ProviderProfile, req: ResourceRequest) => {
        if (++requests === 4) {
          reachedFourth();
          return new Promise<never>(() => undefined); // the isolate dies waiting for its fourth response
        }
        const res = await send(profile, req);
        c.advance(1_500);
        return res;
      },
    });
    void handleJobMessage({ ...base, client, config }, job.id);
    await fourth;
    // The third row was 3 s after the first: all three went out with one guarded write, none is lost with the isolate.
    expect((await base.store.listSnapshots(job.id)).map((r) => r.attemptNumber)).toEqual([1, 1, 1]);
    c.advance(120_000);
    const survivor = manualDeps({ clock: c, workerId: 'worker:survivor' });
    expect((await handleJobMessage(survivor, job.id)).kind).toBe('succeeded');
    expect((await survivor.store.getJob(job.id))!.result).toMatchObject({ provider_requests: 1, resources_reused: 3 });
    const keys = (await fixtures.log()).map((l) => l.key);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
    expect((await survivor.store.getNormalized(job.id))!.normalizedHash).toBe(PINNED);
  });

  it('ends CONTINUATION_NO_PROGRESS when attempts keep stopping where the previous one did', async () => {
    expectErrorLogs('job failed:CONTINUATION_NO_PROGRESS');
    // Every race result answers 404 (optional: recorded, handed to parse, but never reused by a later attempt), and
    // each request takes longer than the whole attempt budget: every attempt after the third gets exactly as far
    // as the one before. Through the source port, on the real runtime (D1, R2, DOs, fixture server).
    const deps = slowDeps();
    const http = httpSource(deps.client);
    const sources = {
      http: {
        fetch: async (req: ResourceRequest, profile: ProviderProfile | null) => {
          if (req.resourceType !== 'race_result') return http.fetch(req, profile);
          deps.clock.advance(1_500);
          return { url: req.url, status: 404, contentType: 'text/html', bytes: new Uint8Array(), body: '' };
        },
      },
    };
    const stalling = { ...deps, sources, config: { ...deps.config, maxStalledContinuations: 2 } };
    const { job } = await enqueueJob({ ...stalling, defaultMaxAttempts: 1 }, { ...DEEP, actor: 'test', reason: 'test' });
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) {
      const out = await handleJobMessage(stalling, job.id);
      outcomes.push(out.kind === 'failed' ? `failed:${out.code}` : out.kind);
      if (out.kind !== 'continued') break;
    }
    // event page, entry list, race 1 (404): three attempts of progress; then two without any: a classified end.
    expect(outcomes).toEqual(['continued', 'continued', 'continued', 'continued', 'failed:CONTINUATION_NO_PROGRESS']);
    const stored = (await deps.store.getJob(job.id))!;
    expect(stored).toMatchObject({
      state: 'failed',
      lastErrorCode: 'CONTINUATION_NO_PROGRESS',
      lastErrorCategory: 'internal',
      lastErrorRetryable: false,
      retryCount: 0,
    });
    expect((await deps.store.listAttempts(job.id)).map((a) => a.state)).toEqual([
      'continued',
      'continued',
      'continued',
      'continued',
      'failed',
    ]);
    // Nothing was refetched that an earlier attempt had accepted: the event page and entry list once each.
    expect((await fixtures.log()).map((l) => l.key)).toHaveLength(2);
  });
});
