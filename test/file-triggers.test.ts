/**
 * File triggers end to end on the local runtime (miniflare R2, D1, Queues, Durable Objects): an object put under
 * incoming/json-lines/ -> R2 event notification on the jobs queue -> job -> publication -> object moved to
 * archive/. Local R2 emits no event notifications (checked first below), so the tests send Cloudflare's
 * notification shape to the queue themselves, and also take the other path: the prefix scan.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { loadConfig, filePrefixFor } from '../src/core/config';
import { fileTriggers, type FileEvent } from '../src/runtime/file-triggers';
import worker from '../src/worker/index';
import { api, waitForJob, withCleanState, expectErrorLogs } from './helpers';

const PIPELINE = 'files.json_lines';
const exists = async (key: string) => (await env.FILES.head(key)) !== null;

async function drop(key: string, n = 3): Promise<FileEvent> {
  const text = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `r${i}`, value: i })).join('\n');
  const obj = await env.FILES.put(key, text);
  return {
    account: 'local',
    bucket: 'ingestion-files',
    action: 'PutObject',
    eventTime: new Date().toISOString(),
    object: { key, size: obj!.size, eTag: obj!.etag },
  };
}

async function fileJobs(): Promise<Array<Record<string, any>>> {
  const body = (await (await api(`/jobs?pipeline=${PIPELINE}`)).json()) as { jobs: Array<Record<string, any>> };
  return body.jobs;
}

async function deliver(bodies: unknown[]) {
  const batch = createMessageBatch<unknown>(
    'ingestion-jobs',
    bodies.map((body, i) => ({ id: `n-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe('file triggers', () => {
  withCleanState();

  it('notification -> job -> publication -> archive, and a redelivered notification changes nothing', async () => {
    const key = 'incoming/json-lines/e2e.jsonl';
    const event = await drop(key);
    // Local R2 has no event notifications: the put alone creates no job.
    await new Promise((ok) => setTimeout(ok, 1500));
    expect(await fileJobs()).toHaveLength(0);

    // Cloudflare's notification body, through the real queue: the consumer routes it, the job runs on its own.
    await env.JOBS_QUEUE.send(event);
    let jobs: Array<Record<string, any>> = [];
    for (let i = 0; i < 100 && jobs.length === 0; i++) {
      await new Promise((ok) => setTimeout(ok, 100));
      jobs = await fileJobs();
    }
    expect(jobs).toHaveLength(1);
    const done = await waitForJob(jobs[0]!.id);
    expect(done.job).toMatchObject({ state: 'succeeded', params: { key }, requested_by: 'file-trigger' });
    expect(done.job.result).toMatchObject({ decision: 'PUBLISH_FIRST', entity_count: 3, acceptance: { records_seen: 3, rejected: 0 } });
    expect(await exists(key)).toBe(false);
    expect(await exists('archive/json-lines/e2e.jsonl')).toBe(true);

    // The same notification again (queue redelivery) and a scan: no second job, no second move.
    const again = await deliver([event, event]);
    expect(again.explicitAcks.sort()).toEqual(['n-0', 'n-1']);
    const scan = (await (await api('/files/scan', { method: 'POST', json: {} })).json()) as { pipelines: Array<Record<string, unknown>> };
    expect(scan.pipelines.find((p) => p.pipeline === PIPELINE)).toMatchObject({ objects: 0, created: 0 });
    expect(await fileJobs()).toHaveLength(1);
    expect(await exists(key)).toBe(false);
    expect(await exists('archive/json-lines/e2e.jsonl')).toBe(true);
    const publications = (await (await api(`/publications?pipeline=${PIPELINE}&key=${encodeURIComponent(key)}`)).json()) as {
      publications: unknown[];
    };
    expect(publications.publications).toHaveLength(1);
  });

  it('ignores deletions, keys outside every trigger and files the trigger refuses; acknowledges them all', async () => {
    expectErrorLogs('malformed queue message dropped:');
    const base = { account: 'a', bucket: 'ingestion-files', eventTime: new Date().toISOString() };
    const result = await deliver([
      { ...base, action: 'DeleteObject', object: { key: 'incoming/json-lines/x.jsonl' } },
      { ...base, action: 'PutObject', object: { key: 'elsewhere/x.jsonl', size: 1, eTag: 'e' } },
      { ...base, action: 'PutObject', object: { key: 'incoming/json-lines/readme.txt', size: 1, eTag: 'e' } },
      { ...base, action: 'PutObject', object: { key: `incoming/json-lines/${'x'.repeat(300)}.jsonl`, size: 1, eTag: 'e' } },
      { ...base, action: 'PutObject' }, // no object: malformed, dropped
    ]);
    expect(result.explicitAcks.sort()).toEqual(['n-0', 'n-1', 'n-2', 'n-3', 'n-4']);
    expect(result.retryMessages).toEqual([]);
    expect(await fileJobs()).toHaveLength(0);
  });

  it('the prefix scan enqueues each file once, whatever number of scans and notifications', async () => {
    const a = await drop('incoming/json-lines/a.jsonl');
    await drop('incoming/json-lines/b.jsonl');
    await env.FILES.put('incoming/json-lines/notes.txt', 'not a record file');
    const scan = async () =>
      (
        (await (await api('/files/scan', { method: 'POST', json: { pipeline: PIPELINE } })).json()) as {
          pipelines: Array<Record<string, unknown>>;
        }
      ).pipelines;
    expect(await scan()).toEqual([
      { pipeline: PIPELINE, prefix: 'incoming/json-lines/', objects: 3, created: 2, existing: 0, ignored: 1, truncated: false },
    ]);
    await deliver([a]);
    const second = await scan();
    expect(second[0]).toMatchObject({ created: 0 });
    expect((await fileJobs()).map((j) => j.params.key).sort()).toEqual(['incoming/json-lines/a.jsonl', 'incoming/json-lines/b.jsonl']);
    for (const j of await fileJobs()) await waitForJob(j.id);
    expect(await exists('archive/json-lines/a.jsonl')).toBe(true);
    expect(await exists('archive/json-lines/b.jsonl')).toBe(true);
    expect((await scan())[0]).toMatchObject({ objects: 1, created: 0, ignored: 1 });

    const bad = await api('/files/scan', { method: 'POST', json: { pipeline: 'liverc.event_deep' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error).toMatchObject({ code: 'UNKNOWN_FILE_PIPELINE' });
  });

  it('takes a per-pipeline prefix from FILE_PREFIX_<PIPELINE>', () => {
    const cfg = loadConfig({ INTERNAL_AUTH_TOKEN: 'test-token-0123456789', FILE_PREFIX_FILES_JSON_LINES: 'drop/jl/' });
    expect(filePrefixFor(cfg, PIPELINE, 'incoming/json-lines/')).toBe('drop/jl/');
    expect(fileTriggers(cfg).find((t) => t.pipeline.name === PIPELINE)?.prefix).toBe('drop/jl/');
    expect(() => loadConfig({ INTERNAL_AUTH_TOKEN: 'test-token-0123456789', FILE_PREFIX_FILES_JSON_LINES: '/abs/' })).toThrow(
      /FILE_PREFIX_FILES_JSON_LINES/,
    );
  });
});
