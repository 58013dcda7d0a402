import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localR2 } from './stack-io.mjs';
import { startStack, waitForJob } from '../dev-stack.mjs';

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
const r2 = (args: string[]): string | null => localR2(stack, args);

const post = () => stack.api('/files/scan', { method: 'POST', body: JSON.stringify({ pipeline: 'files.json_lines' }) });
// The wrangler CLI calls in between outlast the dev server's keep-alive: a reused socket may be closed under the
// request (it never reaches the Worker). Asking again is safe: a scan is idempotent by design.
const scan = async () => ((await (await post().catch(post)).json()) as { pipelines: Array<Record<string, number>> }).pipelines[0]!;
const list = () => stack.api('/jobs?pipeline=files.json_lines');
const fileJobs = async () => ((await (await list().catch(list)).json()) as { jobs: Array<{ id: string }> }).jobs;

describe('file pipeline on wrangler dev', () => {
  beforeAll(async () => {
    stack = await startStack({});
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('put -> scan -> job -> publication -> archive/, and a second scan imports and moves nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'files-e2e-'));
    const text = '{"id":"a","value":1}\n{"id":"b","value":2.5,"label":"B"}\n';
    writeFileSync(join(dir, 'day.jsonl'), text);
    expect(
      r2([
        'put',
        'ingestion-files/incoming/json-lines/day.jsonl',
        '--file',
        join(dir, 'day.jsonl'),
        '--content-type',
        'application/x-ndjson',
      ]),
    ).not.toBeNull();

    expect(await scan()).toMatchObject({ objects: 1, created: 1 });
    const [job] = await fileJobs();
    const done = (await waitForJob(stack, job!.id)) as { job: { state: string; result: Record<string, any> } };
    expect(done.job.state).toBe('succeeded');
    expect(done.job.result).toMatchObject({ decision: 'PUBLISH_FIRST', entity_count: 2, acceptance: { records_seen: 2, rejected: 0 } });
    const envelope = (await (await stack.api(`/publications/${done.job.result.publication_id}`)).json()) as Record<string, any>;
    expect(envelope.acceptance).toEqual({ records_seen: 2, accepted: 2, rejected: 0, rejected_by_rule: {} });
    expect(envelope.payload.records.map((r: { id: string }) => r.id)).toEqual(['a', 'b']);

    // The settle move: gone from incoming/, byte for byte in archive/. (Retried: settle runs right after the job.)
    let archived: string | null = null;
    for (let i = 0; i < 20 && archived === null; i++) {
      archived = r2(['get', 'ingestion-files/archive/json-lines/day.jsonl', '--pipe']);
      if (archived === null) await new Promise((ok) => setTimeout(ok, 500));
    }
    expect(archived).toBe(text);
    expect(r2(['get', 'ingestion-files/incoming/json-lines/day.jsonl', '--pipe'])).toBeNull();

    expect(await scan()).toMatchObject({ objects: 0, created: 0 });
    expect(await fileJobs()).toHaveLength(1);
  });
});
