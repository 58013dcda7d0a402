/** The snapshot import ledger (src/core/imports.ts): runs, files per object version, outcomes, duplicates, filters. */
import { describe, expect, it } from 'vitest';
import { IMPORT_PROBLEMS_PREVIEW, type ImportStore } from '../../src/core/imports';
import { MIN, T0, uuid, withStore, type MakeStore } from './fixtures';

export function describeImports(makeStore: MakeStore): void {
  describe('import ledger', () => {
    let store: unknown;
    withStore(makeStore, (s) => (store = s));
    const ledger = () => (store as { imports: ImportStore }).imports;

    it('records a run and its files once per object version, counts outcomes and closes the run', async () => {
      const run = uuid();
      await ledger().createRun({ id: run, trigger: 'import_now', prefix: 'incoming/', requestedBy: 'ops', filesSeen: 3, now: T0 });
      const a = await ledger().addFile({ id: uuid(), runId: run, key: 'incoming/a.json', size: 10, etag: 'e1', jobId: 'j1', now: T0 });
      const again = await ledger().addFile({
        id: uuid(),
        runId: uuid(),
        key: 'incoming/a.json',
        size: 10,
        etag: 'e1',
        jobId: 'j9',
        now: T0 + 1,
      });
      expect(a.created).toBe(true);
      expect(again).toEqual({ file: a.file, created: false });
      const b = await ledger().addFile({
        id: uuid(),
        runId: run,
        key: 'incoming/b.json',
        size: 5_000_000_000,
        etag: 'e2',
        jobId: 'j2',
        now: T0 + 2,
      });
      const c = await ledger().addFile({ id: uuid(), runId: run, key: 'incoming/c.json', size: 7, etag: 'e3', jobId: 'j3', now: T0 + 3 });
      expect(b.file).toMatchObject({ status: 'queued', size: 5_000_000_000, problems: [], publicationIds: [], sha256: null });

      const sha = 'a'.repeat(64);
      expect(
        await ledger().finishFile(a.file.id, {
          status: 'imported',
          sha256: sha,
          recordCount: 2,
          problems: [],
          publicationIds: ['p1'],
          settledKey: 'archive/a.json',
          duplicateOf: null,
          size: null,
          now: T0 + MIN,
        }),
      ).toBe(true);
      expect(
        await ledger().finishFile(a.file.id, {
          status: 'failed',
          sha256: sha,
          recordCount: 2,
          problems: [],
          publicationIds: [],
          settledKey: null,
          duplicateOf: null,
          size: null,
          now: T0 + MIN,
        }),
      ).toBe(false);
      expect((await ledger().firstImportedWithSha(sha, b.file.id))?.id).toBe(a.file.id);
      expect(await ledger().firstImportedWithSha(sha, a.file.id)).toBeNull();
      await ledger().finishFile(b.file.id, {
        status: 'duplicate',
        sha256: sha,
        recordCount: 2,
        problems: [],
        publicationIds: [],
        settledKey: 'archive/b.json',
        duplicateOf: a.file.id,
        size: 12,
        now: T0 + MIN,
      });
      // The duplicate points at its original; the size the job read replaces the trigger's.
      expect(await ledger().getFile(b.file.id)).toMatchObject({ status: 'duplicate', duplicateOf: a.file.id, size: 12 });
      expect(await ledger().getFile(a.file.id)).toMatchObject({ duplicateOf: null, size: 10 });
      expect((await ledger().listFiles({ jobId: 'j2', limit: 10 })).map((f) => f.id)).toEqual([b.file.id]);
      const byJobs = await ledger().listFiles({ jobIds: ['j1', 'j3', 'j-none'], limit: 10 });
      expect(byJobs.map((f) => f.id).sort()).toEqual([a.file.id, c.file.id].sort());
      let r = await ledger().refreshRun(run, T0 + MIN);
      expect(r).toMatchObject({ filesSeen: 3, queued: 1, imported: 1, duplicate: 1, failed: 0, finishedAt: null, requestedBy: 'ops' });

      const problems = [{ pointer: '/records/12/fg_pct', rule: 'type', message: 'expected number, got "51.1"' }];
      await ledger().finishFile(c.file.id, {
        status: 'failed',
        sha256: 'b'.repeat(64),
        recordCount: 40,
        problems,
        publicationIds: [],
        settledKey: 'failed/c.json',
        duplicateOf: null,
        size: null,
        now: T0 + 2 * MIN,
      });
      r = await ledger().refreshRun(run, T0 + 2 * MIN);
      expect(r).toMatchObject({ queued: 0, imported: 1, duplicate: 1, failed: 1, finishedAt: T0 + 2 * MIN });
      expect((await ledger().refreshRun(run, T0 + 3 * MIN))!.finishedAt).toBe(T0 + 2 * MIN);
      expect(await ledger().getFile(c.file.id)).toMatchObject({
        status: 'failed',
        problemCount: 1,
        problems,
        recordCount: 40,
        settledKey: 'failed/c.json',
      });
      expect(await ledger().getRun(run)).toEqual(r && { ...r, updatedAt: T0 + 3 * MIN });
    });

    it('lists runs and files newest first with filters and cursors', async () => {
      const runs = [uuid(), uuid(), uuid()];
      for (const [i, id] of runs.entries())
        await ledger().createRun({
          id,
          trigger: i === 1 ? 'upload' : 'scan',
          prefix: 'incoming/',
          requestedBy: null,
          filesSeen: 1,
          now: T0 + i * MIN,
        });
      expect((await ledger().listRuns({ limit: 10 })).map((r) => r.id)).toEqual([runs[2], runs[1], runs[0]]);
      expect((await ledger().listRuns({ trigger: 'upload', limit: 10 })).map((r) => r.id)).toEqual([runs[1]]);
      expect((await ledger().listRuns({ limit: 10, cursor: { at: T0 + 2 * MIN, id: runs[2]! } })).map((r) => r.id)).toEqual([
        runs[1],
        runs[0],
      ]);

      const ids = [];
      for (const [i, key] of ['incoming/x/1.json', 'incoming/x_2.json', 'incoming/y/3.json'].entries()) {
        const f = await ledger().addFile({ id: uuid(), runId: runs[0]!, key, size: 1, etag: `e${i}`, jobId: null, now: T0 + i });
        ids.push(f.file.id);
      }
      await ledger().finishFile(ids[2]!, {
        status: 'failed',
        sha256: 'c'.repeat(64),
        recordCount: null,
        problems: [],
        publicationIds: [],
        settledKey: null,
        duplicateOf: null,
        size: null,
        now: T0 + 9,
      });
      expect((await ledger().listFiles({ runId: runs[0], limit: 10 })).map((f) => f.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect((await ledger().listFiles({ status: 'queued', limit: 10 })).map((f) => f.id)).toEqual([ids[1], ids[0]]);
      expect((await ledger().listFiles({ sha256: 'c'.repeat(64), limit: 10 })).map((f) => f.id)).toEqual([ids[2]]);
      // `_` in a prefix is a literal underscore, not a LIKE wildcard.
      expect((await ledger().listFiles({ keyPrefix: 'incoming/x_', limit: 10 })).map((f) => f.id)).toEqual([ids[1]]);
      expect((await ledger().listFiles({ keyPrefix: 'incoming/x/', limit: 10 })).map((f) => f.id)).toEqual([ids[0]]);
      // A whole object key as the prefix, longer than D1's 50-byte LIKE pattern limit.
      const long = 'incoming/basketball_reference/NBA/2018-2019/2026-03-13.json';
      const l = await ledger().addFile({ id: uuid(), runId: runs[0]!, key: long, size: 1, etag: 'el', jobId: null, now: T0 + 5 });
      expect((await ledger().listFiles({ keyPrefix: long, limit: 10 })).map((f) => f.id)).toEqual([l.file.id]);
      expect((await ledger().listFiles({ limit: 1, cursor: { at: T0 + 1, id: ids[1]! } })).map((f) => f.id)).toEqual([ids[0]]);
    });

    it('lists the first problems when asked for the preview, in order, with the full count; getFile has them all', async () => {
      const run = uuid();
      await ledger().createRun({ id: run, trigger: 'upload', prefix: 'incoming/', requestedBy: null, filesSeen: 2, now: T0 });
      const problems = Array.from({ length: 7 }, (_, i) => ({ pointer: `/records/${i}`, rule: 'type', message: `bad "${i}" é` }));
      const [many, few] = [uuid(), uuid()];
      const files: Array<[string, typeof problems]> = [
        [many, problems],
        [few, problems.slice(0, 2)],
      ];
      for (const [i, [id, list]] of files.entries()) {
        await ledger().addFile({ id, runId: run, key: `incoming/p${i}.json`, size: 1, etag: `p${i}`, jobId: null, now: T0 + i });
        const settled = { sha256: null, recordCount: null, publicationIds: [], settledKey: null, duplicateOf: null, size: null };
        await ledger().finishFile(id, { ...settled, status: 'failed', problems: list, now: T0 + 9 });
      }
      const listed = await ledger().listFiles({ runId: run, limit: 10, problems: 'preview' });
      expect(listed.map((f) => [f.id, f.problemCount, f.problems])).toEqual([
        [few, 2, problems.slice(0, 2)],
        [many, 7, problems.slice(0, IMPORT_PROBLEMS_PREVIEW)],
      ]);
      expect((await ledger().listFiles({ runId: run, limit: 10 })).find((f) => f.id === many)?.problems).toEqual(problems);
      expect((await ledger().getFile(many))?.problems).toEqual(problems);
    });
  });
}
