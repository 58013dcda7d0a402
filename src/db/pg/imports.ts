/** import_runs / import_files in Postgres: the shared ledger queries (src/db/shared/imports.ts) on the Postgres tables. */
import { like, type AnyColumn } from 'drizzle-orm';
import type { ImportStore } from '../../core/imports';
import { importStore } from '../shared/imports';
import type { Db } from './client';
import { pgQuery } from './dialect';
import { importFiles as files, importRuns as runs } from './schema';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const keyStartsWith = (key: AnyColumn, prefix: string) => like(key, `${escapeLike(prefix)}%`);

export function pgImportStore(db: Db): ImportStore {
  return importStore({ db: pgQuery(db), runs, files, keyStartsWith });
}
