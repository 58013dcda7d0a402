/**
 * The r2 source, settle and partial acceptance on the real local runtime (miniflare D1, R2, Durable Objects):
 * `files.json_lines` reads an object from the FILES bucket with no HTTP provider profile, records it as
 * `r2:<key>` with its bytes under raw/<sha256>, publishes with acceptance counts, and moves the file to archive/
 * (or failed/ with a sidecar) after the final state, idempotently and across a crash between copy and delete.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/core/canonical-json';
import { anyEnvelopeSchema } from '../src/core/envelope-schema';
import type { BlobStore } from '../src/core/ports';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { api, manualDeps, runOnce, withCleanState, expectErrorLogs } from './helpers';

const PIPELINE = 'files.json_lines';
const lines = (n: number, bad = 0) =>
  `${[
    ...Array.from({ length: n - bad }, (_, i) => JSON.stringify({ id: `r${i}`, value: i })),
    ...Array.from({ length: bad }, (_, i) => `{broken ${i}`),
  ].join('\n')}\n`;

async function drop(key: string, text: string): Promise<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  await env.FILES.put(key, bytes, { httpMetadata: { contentType: 'application/x-ndjson' } });
  return bytes;
}

const exists = async (key: string) => (await env.FILES.head(key)) !== null;

describe('r2 source', () => {
  withCleanState();

  it('imports a file without a provider profile, publishes with acceptance counts and archives the file', async () => {
    const key = 'incoming/json-lines/day1.jsonl';
    const bytes = await drop(key, lines(30, 1));
    const deps = manualDeps();
    const { id, out, stored } = await runOnce(deps, PIPELINE, { key });
    expect(out.kind).toBe('succeeded');
    expect(stored.result).toMatchObject({
      decision: 'PUBLISH_FIRST',
      entity_count: 29,
      acceptance: { records_seen: 30, accepted: 29, rejected: 1, rejected_by_rule: { malformed_line: 1 } },
    });
    const acceptance = stored.result!.acceptance as { sample: Array<Record<string, unknown>> };
    expect(acceptance.sample).toEqual([{ locator: 'line:30', field: null, rule: 'malformed_line', message: 'not a JSON value' }]);

    // Recorded like any resource: r2:<key>, the exact bytes under raw/<sha256>, served back by GET /snapshots.
    const [snap] = await deps.store.listSnapshots(id);
    expect(snap).toMatchObject({ url: `r2:${key}`, status: 200, sizeBytes: bytes.byteLength, sha256: await sha256Hex(bytes) });
    const served = new Uint8Array(await (await api(`/snapshots/${snap!.sha256}`)).arrayBuffer());
    expect([...served]).toEqual([...bytes]);

    // The envelope carries the counts (not the sample) and still matches the published JSON Schema.
    const pub = (await deps.store.getPublication(stored.result!.publication_id as string))!;
    const envelope = JSON.parse(await (await env.RAW.get(pub.envelopeKey))!.text());
    expect(envelope.acceptance).toEqual({ records_seen: 30, accepted: 29, rejected: 1, rejected_by_rule: { malformed_line: 1 } });
    expect(anyEnvelopeSchema.safeParse(envelope).success).toBe(true);

    // Settled: moved to archive/, in exactly one place; a redelivered message changes nothing.
    expect(await exists(key)).toBe(false);
    expect(await exists('archive/json-lines/day1.jsonl')).toBe(true);
    expect(await handleJobMessage(deps, id)).toEqual({ kind: 'skipped', reason: 'finished' });
    expect(await exists(key)).toBe(false);
    expect(await exists('archive/json-lines/day1.jsonl')).toBe(true);

    // Job detail shows the rejection summary.
    const detail = (await (await api(`/jobs/${id}`)).json()) as { job: { result: { acceptance: { rejected: number } } } };
    expect(detail.job.result.acceptance.rejected).toBe(1);
  });

  it('fails REJECTION_THRESHOLD above the pipeline threshold, publishes nothing and moves the file to failed/', async () => {
    expectErrorLogs('job failed:REJECTION_THRESHOLD');
    const key = 'incoming/json-lines/bad.jsonl';
    await drop(key, lines(10, 2)); // 20% > 5%
    const deps = manualDeps();
    const { id, out, stored } = await runOnce(deps, PIPELINE, { key });
    expect(out).toEqual({ kind: 'failed', code: 'REJECTION_THRESHOLD' });
    expect(stored).toMatchObject({
      state: 'failed',
      lastErrorCode: 'REJECTION_THRESHOLD',
      lastErrorCategory: 'validation',
      lastErrorRetryable: false,
    });
    expect(stored.result).toMatchObject({
      acceptance: { records_seen: 10, accepted: 8, rejected: 2, rejected_by_rule: { malformed_line: 2 }, max_rejected_ratio: 0.05 },
    });
    expect(await deps.store.latestPublication(PIPELINE, stored.scopeKey)).toBeNull();
    expect(await exists(key)).toBe(false);
    expect(await exists('failed/json-lines/bad.jsonl')).toBe(true);
    const sidecar = JSON.parse(await (await env.FILES.get('failed/json-lines/bad.jsonl.error.json'))!.text());
    expect(sidecar).toMatchObject({ state: 'failed', error: { code: 'REJECTION_THRESHOLD', details: { rejected: 2 } } });
    expect((await handleJobMessage(deps, id)).kind).toBe('skipped');
    expect(await exists('failed/json-lines/bad.jsonl')).toBe(true);
  });

  it('fails FILE_NOT_FOUND (classified, not retried) when the object is missing', async () => {
    expectErrorLogs('job failed:FILE_NOT_FOUND');
    const deps = manualDeps();
    const { out, stored } = await runOnce(deps, PIPELINE, { key: 'incoming/json-lines/nothing.jsonl' });
    expect(out).toEqual({ kind: 'failed', code: 'FILE_NOT_FOUND' });
    expect(stored).toMatchObject({ lastErrorCategory: 'validation', lastErrorRetryable: false });
  });

  it('a crash between copy and delete ends with the file in exactly one place after redelivery', async () => {
    const key = 'incoming/json-lines/crash.jsonl';
    await drop(key, lines(5));
    const deps = manualDeps();
    const real = deps.files!;
    let crashes = 1;
    const crashing: BlobStore = {
      ...real,
      getObject: real.getObject?.bind(real),
      putIfAbsent: real.putIfAbsent.bind(real),
      put: real.put.bind(real),
      getText: real.getText.bind(real),
      getBytes: real.getBytes.bind(real),
      list: real.list.bind(real),
      copy: real.copy.bind(real),
      delete: async (k) => {
        if (crashes-- > 0) throw new Error('isolate died between copy and delete');
        return real.delete(k);
      },
    };
    const { job } = await (await import('../src/runtime/enqueue')).enqueueJob(
      { ...deps, defaultMaxAttempts: 3 },
      { pipeline: PIPELINE, params: { key }, actor: 'test', reason: 'test' },
    );
    await expect(handleJobMessage({ ...deps, files: crashing }, job.id)).rejects.toThrow(/between copy and delete/);
    // The job is final (the transition came first); the file is in both places for now.
    expect((await deps.store.getJob(job.id))!.state).toBe('succeeded');
    expect(await exists(key)).toBe(true);
    expect(await exists('archive/json-lines/crash.jsonl')).toBe(true);
    // The queue redelivers the message: the finished job is settled again and the move completes.
    expect(await handleJobMessage({ ...deps, files: crashing }, job.id)).toEqual({ kind: 'skipped', reason: 'finished' });
    expect(await exists(key)).toBe(false);
    expect(await exists('archive/json-lines/crash.jsonl')).toBe(true);
    const archived = await env.FILES.get('archive/json-lines/crash.jsonl');
    expect(await archived!.text()).toBe(lines(5));
  });
});

describe('r2 source: cancel', () => {
  withCleanState();

  it('settles a cancelled file job to failed/ from the cancel route', async () => {
    const key = 'incoming/json-lines/cancel.jsonl';
    await drop(key, lines(3));
    const deps = manualDeps();
    const { job } = await (await import('../src/runtime/enqueue')).enqueueJob(
      { ...deps, defaultMaxAttempts: 3 },
      { pipeline: PIPELINE, params: { key }, actor: 'test', reason: 'test' },
    );
    expect((await api(`/jobs/${job.id}/cancel`, { method: 'POST' })).status).toBe(200);
    expect(await exists(key)).toBe(false);
    expect(await exists('failed/json-lines/cancel.jsonl')).toBe(true);
    expect(JSON.parse(await (await env.FILES.get('failed/json-lines/cancel.jsonl.error.json'))!.text())).toMatchObject({
      state: 'cancelled',
    });
  });
});
