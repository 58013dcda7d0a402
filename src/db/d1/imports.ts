/** import_runs / import_files in D1: the snapshot import ledger (src/core/imports.ts). */
import { and, asc, desc, eq, lt, ne, or, sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type {
  ImportFile,
  ImportFileFilter,
  ImportFileOutcome,
  ImportRun,
  ImportRunFilter,
  ImportStore,
  NewImportFile,
} from '../../core/imports';
import { importFiles as files, importRuns as runs } from '../schema';

type Db = DrizzleD1Database<Record<string, never>>;

const toRun = (r: typeof runs.$inferSelect): ImportRun => ({ ...r, trigger: r.trigger as ImportRun['trigger'] });
const toFile = (r: typeof files.$inferSelect): ImportFile => ({
  ...r,
  status: r.status as ImportFile['status'],
  problems: r.problems ? JSON.parse(r.problems) : [],
  publicationIds: r.publicationIds ? JSON.parse(r.publicationIds) : [],
});

export function d1ImportStore(db: Db): ImportStore {
  return {
    async createRun(r) {
      await db.insert(runs).values({
        id: r.id,
        trigger: r.trigger,
        prefix: r.prefix,
        requestedBy: r.requestedBy,
        filesSeen: r.filesSeen,
        startedAt: r.now,
        updatedAt: r.now,
      });
    },
    async addFile(f: NewImportFile) {
      const inserted = await db
        .insert(files)
        .values({
          id: f.id,
          runId: f.runId,
          key: f.key,
          size: f.size,
          etag: f.etag,
          status: 'queued',
          jobId: f.jobId,
          createdAt: f.now,
          updatedAt: f.now,
        })
        .onConflictDoNothing()
        .returning();
      if (inserted[0]) return { file: toFile(inserted[0]), created: true };
      const [row] = await db
        .select()
        .from(files)
        .where(and(eq(files.key, f.key), eq(files.etag, f.etag)));
      return { file: toFile(row!), created: false };
    },
    async finishFile(id: string, o: ImportFileOutcome) {
      const rows = await db
        .update(files)
        .set({
          status: o.status,
          sha256: o.sha256,
          recordCount: o.recordCount,
          problemCount: o.problems.length,
          problems: JSON.stringify(o.problems),
          publicationIds: JSON.stringify(o.publicationIds),
          settledKey: o.settledKey,
          duplicateOf: o.duplicateOf,
          ...(o.size !== null ? { size: o.size } : {}),
          updatedAt: o.now,
        })
        .where(and(eq(files.id, id), eq(files.status, 'queued')))
        .returning({ id: files.id });
      return rows.length === 1;
    },
    async firstImportedWithSha(sha256, exceptId) {
      const [row] = await db
        .select()
        .from(files)
        .where(and(eq(files.sha256, sha256), eq(files.status, 'imported'), ne(files.id, exceptId)))
        .orderBy(asc(files.createdAt))
        .limit(1);
      return row ? toFile(row) : null;
    },
    async refreshRun(runId, now) {
      const counts = await db
        .select({ status: files.status, n: sql<number>`count(*)` })
        .from(files)
        .where(eq(files.runId, runId))
        .groupBy(files.status);
      const by = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) as Record<string, number>;
      const queued = by.queued ?? 0;
      const [row] = await db
        .update(runs)
        .set({
          queued,
          imported: by.imported ?? 0,
          duplicate: by.duplicate ?? 0,
          failed: by.failed ?? 0,
          updatedAt: now,
          finishedAt: queued === 0 ? sql`coalesce(${runs.finishedAt}, ${now})` : null,
        })
        .where(eq(runs.id, runId))
        .returning();
      return row ? toRun(row) : null;
    },
    async getRun(id) {
      const [row] = await db.select().from(runs).where(eq(runs.id, id));
      return row ? toRun(row) : null;
    },
    async listRuns(f: ImportRunFilter) {
      const conds = [];
      if (f.trigger) conds.push(eq(runs.trigger, f.trigger));
      if (f.cursor) conds.push(or(lt(runs.startedAt, f.cursor.at), and(eq(runs.startedAt, f.cursor.at), lt(runs.id, f.cursor.id))));
      const rows = await db
        .select()
        .from(runs)
        .where(and(...conds))
        .orderBy(desc(runs.startedAt), desc(runs.id))
        .limit(f.limit);
      return rows.map(toRun);
    },
    async getFile(id) {
      const [row] = await db.select().from(files).where(eq(files.id, id));
      return row ? toFile(row) : null;
    },
    async listFiles(f: ImportFileFilter) {
      const conds = [];
      if (f.runId) conds.push(eq(files.runId, f.runId));
      if (f.status) conds.push(eq(files.status, f.status));
      if (f.sha256) conds.push(eq(files.sha256, f.sha256));
      if (f.jobId) conds.push(eq(files.jobId, f.jobId));
      // Not LIKE: D1 refuses LIKE patterns over 50 bytes, and object keys are longer. The range uses the key's index,
      // substr keeps it exact (no wildcards to escape).
      if (f.keyPrefix) conds.push(sql`${files.key} >= ${f.keyPrefix} AND substr(${files.key}, 1, length(${f.keyPrefix})) = ${f.keyPrefix}`);
      if (f.cursor) conds.push(or(lt(files.createdAt, f.cursor.at), and(eq(files.createdAt, f.cursor.at), lt(files.id, f.cursor.id))));
      const rows = await db
        .select()
        .from(files)
        .where(and(...conds))
        .orderBy(desc(files.createdAt), desc(files.id))
        .limit(f.limit);
      return rows.map(toFile);
    },
  };
}
