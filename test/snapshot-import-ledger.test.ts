/**
 * The import ledger follows its jobs at settle, not only when someone reads it: a file's row gets its outcome, real
 * size, sha256 and record count as soon as its last job settles, and the run its counts; a duplicate points at its
 * original. A row whose settle-time update was lost is reconciled by the minute cron.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import valid from '../testdata/snapshots/handmade/valid.handmade.json?raw';
import badDate from '../testdata/snapshots/handmade/bad-date.handmade.json?raw';
import type { ImportStore } from '../src/core/imports';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { queueSnapshotFiles } from '../src/runtime/snapshot-imports';
import worker from '../src/worker/index';
import { captureErrorLogs, manualDeps, withCleanState } from './helpers';

const size = (text: string) => new TextEncoder().encode(text).byteLength;

describe('snapshot import ledger at settle', () => {
  withCleanState({ invariants: false });

  async function queueAndRun(deps: ReturnType<typeof manualDeps>, key: string, text: string) {
    const obj = (await env.FILES.put(key, text))!;
    const imports = (deps.store as unknown as { imports: ImportStore }).imports;
    const ledger = { ...deps, imports, defaultMaxAttempts: 3 };
    // The trigger's size is a guess (a notification may carry none): the ledger must end with the bytes read.
    const { run, files } = await queueSnapshotFiles(ledger, {
      trigger: 'scan',
      prefix: 'incoming/',
      objects: [{ key, size: 0, eTag: obj.etag }],
      requestedBy: null,
    });
    const file = files[0]!.file;
    await handleJobMessage(deps, file.jobId!);
    const job = (await deps.store.getJob(file.jobId!))!;
    for (const id of (job.result?.child_job_ids as string[] | undefined) ?? []) await handleJobMessage(deps, id);
    return { imports, runId: run.id, fileId: file.id, jobId: file.jobId! };
  }

  it('records imported, duplicate (pointing at the original) and failed files with real sizes and run counts at settle', async () => {
    const errors = captureErrorLogs();
    const deps = manualDeps();
    const first = await queueAndRun(deps, 'incoming/a.json', valid);
    // Read straight from the store: no API call (which would reconcile) in between.
    expect(await first.imports.getFile(first.fileId)).toMatchObject({
      status: 'imported',
      size: size(valid),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      recordCount: 2,
      publicationIds: [expect.any(String)],
      duplicateOf: null,
    });
    expect(await first.imports.getRun(first.runId)).toMatchObject({ filesSeen: 1, imported: 1, queued: 0, finishedAt: expect.any(Number) });

    const dup = await queueAndRun(deps, 'incoming/copy.json', valid);
    const original = (await first.imports.getFile(first.fileId))!;
    expect(await dup.imports.getFile(dup.fileId)).toMatchObject({
      status: 'duplicate',
      size: size(valid),
      sha256: original.sha256,
      recordCount: 2,
      publicationIds: [],
      duplicateOf: first.fileId,
      settledKey: expect.stringMatching(/^archive\/copy\./),
    });
    expect(await dup.imports.getRun(dup.runId)).toMatchObject({ duplicate: 1, imported: 0, queued: 0 });

    const bad = await queueAndRun(deps, 'incoming/bad.json', badDate);
    expect(await bad.imports.getFile(bad.fileId)).toMatchObject({
      status: 'failed',
      size: size(badDate),
      problemCount: 2,
      settledKey: expect.stringMatching(/^failed\/bad\./),
    });
    expect(await bad.imports.getRun(bad.runId)).toMatchObject({ failed: 1, queued: 0 });
    expect(errors.seen()).toEqual(['job failed:SNAPSHOT_INVALID']);
  });

  it('the minute cron reconciles a file whose settle-time ledger update was lost', async () => {
    const deps = { ...manualDeps(), afterSettle: undefined };
    const lost = await queueAndRun(deps, 'incoming/lost.json', valid);
    expect(await lost.imports.getFile(lost.fileId)).toMatchObject({ status: 'queued' });
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await lost.imports.getFile(lost.fileId)).toMatchObject({ status: 'imported', size: size(valid), recordCount: 2 });
    expect(await lost.imports.getRun(lost.runId)).toMatchObject({ imported: 1, queued: 0 });
  });
});
