/**
 * Round trips of one job, counted at the bindings (src/wiring/io-accounting.ts, as the bench counts them): the
 * figures docs/benchmarks.md reports, pinned so a change that adds a round trip to the job's path shows here.
 * Real D1, R2 and the fixture server; the publisher runs in-process (the same publishScope the DO runs, on the
 * same counted ports) so its round trips are counted too, plus one for the call into the Durable Object.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { PublishRequest } from '../src/core/ports';
import { enqueueJob } from '../src/runtime/enqueue';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { publishScope } from '../src/runtime/publish-scope';
import { buildDeps } from '../src/wiring/env-ports';
import { countDoCall, ioCounters, resetIoCounters } from '../src/wiring/io-accounting';
import { CATALOG, CATALOG_KEY, fixtures, withCleanState } from './helpers';

function countedDeps() {
  const deps = buildDeps({ ...env, IO_ACCOUNTING: 'true' } as Env);
  const publisher = {
    publish: (req: PublishRequest) => {
      countDoCall();
      return publishScope(deps.store, deps.blobs, req);
    },
  };
  // The rate limiter's Durable Object call is counted by the real limiter (DurableRateLimiter) in buildDeps.
  return { ...deps, publisher };
}

async function oneJob(params: Record<string, unknown> = {}) {
  const deps = countedDeps();
  resetIoCounters();
  const { job } = await enqueueJob(
    { ...deps, defaultMaxAttempts: 3 },
    { ...CATALOG, params: { ...CATALOG.params, ...params }, actor: 'test', reason: 'test' },
  );
  const out = await handleJobMessage(deps, job.id);
  return { out, io: ioCounters() };
}

describe('round trips per job, counted', () => {
  withCleanState();

  it('a first publication: 4 D1 round trips, 3 R2 puts, no R2 reads, 1 queue send, 2 Durable Object calls', async () => {
    const { out, io } = await oneJob();
    expect(out).toMatchObject({ kind: 'succeeded', result: { decision: 'PUBLISH_FIRST', snapshot_rows: 1 } });
    // enqueue batch; claim batch (which also reads the latest publication); the carryOver read (Store.carryReads:
    // here only the deep publications of the track, for ingest_depth per event); the decision batch that also writes
    // the snapshot row and finishes the job.
    expect(io.d1_round_trips).toBe(4);
    const job = await env.DB.prepare(`SELECT id FROM ingestion_jobs`).first<{ id: string }>();
    expect((await snapshotRows(job!.id)).map((r) => [r.attempt_number, r.status])).toEqual([[1, 200]]);
    // raw body, normalized document, envelope: each one conditional put, no head before it.
    expect(io).toMatchObject({ r2_puts: 3, r2_heads: 0, r2_gets: 0, queue_sends: 1, do_calls: 2 });
  });

  it('an unchanged re-sync reads the previous document once and writes no R2 object', async () => {
    await oneJob();
    const { out, io } = await oneJob();
    expect(out).toMatchObject({ kind: 'succeeded', result: { decision: 'SKIP_NO_CHANGE' } });
    // As above: the carryOver read now also answers when the published content was last confirmed (the newest fetch
    // that hashed alike, its last attempt's fetch time) in the same round trip, no look-ups of its own.
    expect(io.d1_round_trips).toBe(4);
    expect(io.r2_gets).toBe(1);
    // The raw body exists already: its conditional put is refused. The normalized document is the previous
    // publication's, just read: no put at all.
    expect(io.r2_puts).toBe(1);
    expect(out).toMatchObject({ result: { payload_written: false } });
    expect((await fixtures.log()).filter((r) => r.key === CATALOG_KEY)).toHaveLength(2);
  });

  it('a refused response (503) keeps its evidence row, written with the retry: 3 D1 round trips, 1 R2 put', async () => {
    await fixtures.routes([{ key: CATALOG_KEY, status: 503, body: 'down', contentType: 'text/plain', times: 1 }]);
    const { out, io } = await oneJob();
    expect(out).toMatchObject({ kind: 'retry', code: 'PROVIDER_5XX' });
    // enqueue batch; claim batch; the finish (back to pending) that also writes the 503's snapshot row.
    expect(io.d1_round_trips).toBe(3);
    expect(io).toMatchObject({ r2_puts: 1, queue_sends: 2, do_calls: 1 });
    const job = await env.DB.prepare(`SELECT id FROM ingestion_jobs`).first<{ id: string }>();
    expect((await snapshotRows(job!.id)).map((r) => [r.attempt_number, r.status])).toEqual([[1, 503]]);
  });
});

describe('round trips of a queue batch, counted', () => {
  withCleanState();

  it('ten jobs of one provider at once share the rate limiter calls: fewer than one per job', async () => {
    const slugs = Array.from({ length: 10 }, (_, i) => `batchtrack${i}`);
    await fixtures.routes(slugs.map((s) => ({ key: `${s}.liverc.com/events/`, file: 'liverc/Track.events.listing.page.html' })));
    const deps = countedDeps();
    const ids: string[] = [];
    for (const s of slugs) {
      const { job } = await enqueueJob(
        { ...deps, defaultMaxAttempts: 3 },
        { ...CATALOG, params: { track_slug: s }, actor: 'test', reason: 'test' },
      );
      ids.push(job.id);
    }
    resetIoCounters();
    // As the queue consumer runs a batch: every message at once, one deps (one limiter client) per isolate.
    const outs = await Promise.all(ids.map((id) => handleJobMessage(deps, id)));
    expect(outs.map((o) => o.kind)).toEqual(ids.map(() => 'succeeded'));
    const limiterCalls = ioCounters().do_calls - ids.length; // one ScopePublisher call per job
    console.log(`rate limiter calls for ${ids.length} jobs at once: ${limiterCalls}`);
    expect(limiterCalls).toBeGreaterThanOrEqual(1);
    expect(limiterCalls).toBeLessThan(ids.length);
  });
});

async function snapshotRows(jobId: string) {
  const rows = await env.DB.prepare(`SELECT attempt_number, status FROM raw_snapshots WHERE job_id = ?`).bind(jobId).all();
  return rows.results as Array<{ attempt_number: number; status: number }>;
}
