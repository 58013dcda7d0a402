/**
 * import_runs / import_files: the snapshot import ledger (src/core/imports.ts), one definition over both dialects'
 * tables (src/db/guard-sql.ts is the precedent). A dialect brings its drizzle handle, its two tables and the one
 * thing its SQL says differently: how "the key starts with this prefix" is asked.
 */
import { and, asc, desc, eq, inArray, lt, ne, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import {
  IMPORT_PROBLEMS_PREVIEW,
  type ImportFile,
  type ImportFileFilter,
  type ImportFileOutcome,
  type ImportRun,
  type ImportRunFilter,
  type ImportStore,
} from '../../core/imports';
import type { Col, QueryDb, Tbl } from './query';

/** The stored rows: the port's types with the enumerations as text and the lists as JSON text. */
export type RunRow = Omit<ImportRun, 'trigger'> & { trigger: string };
export type FileRow = Omit<ImportFile, 'status' | 'problems' | 'publicationIds'> & {
  status: string;
  problems: string | null;
  publicationIds: string | null;
};
/** As stored: with the preview of the problems that listings read instead (IMPORT_PROBLEMS_PREVIEW). */
type StoredFileRow = FileRow & { problemsPreview: string | null };

export interface ImportDialect {
  db: QueryDb;
  runs: Tbl<RunRow>;
  files: Tbl<StoredFileRow>;
  /** `key` starts with `prefix`, exactly (no wildcard in the prefix may match more). */
  keyStartsWith(key: AnyColumn, prefix: string): SQL;
}

/** Every column of a file row but the preview, `problems` read from the column given (the whole list, or the preview). */
const fileFields = (t: Tbl<StoredFileRow>, problems: Col<string | null>) => ({
  id: t.id,
  runId: t.runId,
  key: t.key,
  size: t.size,
  etag: t.etag,
  sha256: t.sha256,
  status: t.status,
  recordCount: t.recordCount,
  problemCount: t.problemCount,
  problems,
  jobId: t.jobId,
  publicationIds: t.publicationIds,
  settledKey: t.settledKey,
  duplicateOf: t.duplicateOf,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

const toRun = (r: RunRow): ImportRun => ({ ...r, trigger: r.trigger as ImportRun['trigger'] });
const toFile = ({ problemsPreview: _, ...r }: FileRow & { problemsPreview?: string | null }): ImportFile => ({
  ...r,
  status: r.status as ImportFile['status'],
  problems: r.problems ? JSON.parse(r.problems) : [],
  publicationIds: r.publicationIds ? JSON.parse(r.publicationIds) : [],
});

/** Newest first, paged by the (time, id) of the last row seen. */
const before = (at: AnyColumn, id: AnyColumn, cursor?: { at: number; id: string }) =>
  cursor ? or(lt(at, cursor.at), and(eq(at, cursor.at), lt(id, cursor.id))) : undefined;

export function importStore({ db, runs, files, keyStartsWith }: ImportDialect): ImportStore {
  return {
    async createRun(r) {
      const { id, trigger, prefix, requestedBy, filesSeen, now } = r;
      await db.insert(runs).values({ id, trigger, prefix, requestedBy, filesSeen, startedAt: now, updatedAt: now });
    },
    async addFile(f) {
      const row = { id: f.id, runId: f.runId, key: f.key, size: f.size, etag: f.etag, status: 'queued', jobId: f.jobId };
      const inserted = await db
        .insert(files)
        .values({ ...row, createdAt: f.now, updatedAt: f.now })
        .onConflictDoNothing()
        .returning();
      if (inserted[0]) return { file: toFile(inserted[0]), created: true };
      const [found] = await db
        .select()
        .from(files)
        .where(and(eq(files.key, f.key), eq(files.etag, f.etag)));
      return { file: toFile(found!), created: false };
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
          problemsPreview: JSON.stringify(o.problems.slice(0, IMPORT_PROBLEMS_PREVIEW)),
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
      const rows = await db
        .select()
        .from(runs)
        .where(and(f.trigger ? eq(runs.trigger, f.trigger) : undefined, before(runs.startedAt, runs.id, f.cursor)))
        .orderBy(desc(runs.startedAt), desc(runs.id))
        .limit(f.limit);
      return rows.map(toRun);
    },
    async getFile(id) {
      const [row] = await db.select().from(files).where(eq(files.id, id));
      return row ? toFile(row) : null;
    },
    async listFiles(f: ImportFileFilter) {
      // A failed file keeps up to 1000 problems; a listing that shows a few reads the preview kept at settle.
      const rows = await db
        .select(fileFields(files, f.problems === 'preview' ? files.problemsPreview : files.problems))
        .from(files)
        .where(
          and(
            f.runId ? eq(files.runId, f.runId) : undefined,
            f.status ? eq(files.status, f.status) : undefined,
            f.sha256 ? eq(files.sha256, f.sha256) : undefined,
            f.jobId ? eq(files.jobId, f.jobId) : undefined,
            f.jobIds ? inArray(files.jobId, f.jobIds) : undefined,
            f.keyPrefix ? keyStartsWith(files.key, f.keyPrefix) : undefined,
            before(files.createdAt, files.id, f.cursor),
          ),
        )
        .orderBy(desc(files.createdAt), desc(files.id))
        .limit(f.limit);
      return rows.map(toFile);
    },
  };
}
