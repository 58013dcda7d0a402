/** import_runs / import_files in D1: the shared ledger queries (src/db/shared/imports.ts) on the D1 tables. */
import { sql, type AnyColumn } from 'drizzle-orm';
import type { ImportStore } from '../../core/imports';
import { importFiles as files, importRuns as runs } from '../schema';
import { importStore } from '../shared/imports';
import type { Db } from './batch';
import { d1Query } from './dialect';

// Not LIKE: D1 refuses LIKE patterns over 50 bytes, and object keys are longer. The range uses the key's index,
// substr keeps it exact (no wildcards to escape).
const keyStartsWith = (key: AnyColumn, prefix: string) => sql`${key} >= ${prefix} AND substr(${key}, 1, length(${prefix})) = ${prefix}`;

export function d1ImportStore(db: Db): ImportStore {
  return importStore({ db: d1Query(db), runs, files, keyStartsWith });
}
