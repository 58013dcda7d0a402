/** import_runs / import_files in Postgres: the shared ledger queries (src/db/shared/imports.ts) on the Postgres tables. */
import { like, sql, type AnyColumn } from 'drizzle-orm';
import type { ImportStore } from '../../core/imports';
import { asDialectDb } from '../shared/dialect-db';
import { importStore } from '../shared/imports';
import type { Db } from './client';
import { importFiles as files, importRuns as runs } from './schema';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const keyStartsWith = (key: AnyColumn, prefix: string) => like(key, `${escapeLike(prefix)}%`);

const firstProblems = (problems: AnyColumn, n: number) =>
  sql<string | null>`(SELECT json_agg(p.e ORDER BY p.i)::text FROM json_array_elements(${problems}::json) WITH ORDINALITY AS p(e, i)
    WHERE p.i <= ${n})`;

export function pgImportStore(db: Db): ImportStore {
  return importStore({ db: asDialectDb(db), runs, files, keyStartsWith, firstProblems });
}
