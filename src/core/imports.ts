/**
 * The snapshot import ledger (seed 002 ImportRun / ImportFile) as a port: runs per trigger with their counts, files
 * per object version with key, size, sha256, status, record count, problems and the publications they produced.
 * D1 (src/db/d1/imports.ts) and Postgres (src/db/pg/imports.ts) implement it and pass the same contract tests.
 */
import type { Problem } from '../pipelines/snapshots/validate';

export const IMPORT_TRIGGERS = ['notification', 'scan', 'import_now', 'upload'] as const;
export type ImportTrigger = (typeof IMPORT_TRIGGERS)[number];
export const IMPORT_FILE_STATUSES = ['queued', 'imported', 'duplicate', 'failed'] as const;
export type ImportFileStatus = (typeof IMPORT_FILE_STATUSES)[number];

export interface ImportRun {
  id: string;
  trigger: ImportTrigger;
  prefix: string;
  requestedBy: string | null;
  filesSeen: number;
  queued: number;
  imported: number;
  duplicate: number;
  failed: number;
  startedAt: number;
  updatedAt: number;
  /** Set once no file of the run is queued any more. */
  finishedAt: number | null;
}

export interface ImportFile {
  id: string;
  runId: string;
  key: string;
  size: number;
  etag: string;
  sha256: string | null;
  status: ImportFileStatus;
  recordCount: number | null;
  problemCount: number;
  problems: Problem[];
  jobId: string | null;
  publicationIds: string[];
  settledKey: string | null;
  /** A duplicate's original: the import file whose identical bytes were imported first (null otherwise). */
  duplicateOf: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewImportFile {
  id: string;
  runId: string;
  key: string;
  size: number;
  etag: string;
  jobId: string | null;
  now: number;
}

export interface ImportFileOutcome {
  status: Exclude<ImportFileStatus, 'queued'>;
  sha256: string | null;
  recordCount: number | null;
  problems: Problem[];
  publicationIds: string[];
  settledKey: string | null;
  duplicateOf: string | null;
  /** The bytes the job read, when it read any: the ledger keeps the real size, not the trigger's guess. */
  size: number | null;
  now: number;
}

export interface ImportRunFilter {
  trigger?: ImportTrigger;
  /** Newest first; page with the `startedAt:id` of the last row. */
  cursor?: { at: number; id: string };
  limit: number;
}

export interface ImportFileFilter {
  runId?: string;
  status?: ImportFileStatus;
  sha256?: string;
  keyPrefix?: string;
  jobId?: string;
  /** Files of any of these jobs (one query for a page of jobs). */
  jobIds?: string[];
  cursor?: { at: number; id: string };
  limit: number;
  /** `preview`: each file's first IMPORT_PROBLEMS_PREVIEW problems only (`problemCount` still counts them all). */
  problems?: 'all' | 'preview';
}

/** Problems a listing can show per file without reading them all: the ledger keeps these apart at settle. */
export const IMPORT_PROBLEMS_PREVIEW = 5;

export interface ImportStore {
  createRun(run: {
    id: string;
    trigger: ImportTrigger;
    prefix: string;
    requestedBy: string | null;
    filesSeen: number;
    now: number;
  }): Promise<void>;
  /** Inserts unless the object version (key, etag) already has a row; returns the row either way. */
  addFile(f: NewImportFile): Promise<{ file: ImportFile; created: boolean }>;
  /** Records a queued file's outcome; false when it was no longer queued (another reconcile got there first). */
  finishFile(id: string, o: ImportFileOutcome): Promise<boolean>;
  /** The earliest other file with these bytes that was imported: what makes a file a duplicate. */
  firstImportedWithSha(sha256: string, exceptId: string): Promise<ImportFile | null>;
  /** Recomputes a run's counts from its files and closes it when none is queued. */
  refreshRun(runId: string, now: number): Promise<ImportRun | null>;
  getRun(id: string): Promise<ImportRun | null>;
  listRuns(f: ImportRunFilter): Promise<ImportRun[]>;
  getFile(id: string): Promise<ImportFile | null>;
  listFiles(f: ImportFileFilter): Promise<ImportFile[]>;
}
