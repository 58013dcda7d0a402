/** The D1 (SQLite) side of the shared store modules (src/db/shared/dialect.ts). */
import { sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Dialect, JsonSql, Reader, SqlDialect } from '../shared/dialect';
import type { QueryDb } from '../shared/query';
import * as schema from '../schema';
import { runBatchChanges, type Db } from './batch';

const NONE = sql.raw('');
const jsonPath = (path: readonly string[]) => sql.raw(`'$.${path.join('.')}'`);

/** SQLite's JSON1 functions over the result text; results that are not valid JSON are left out. */
const json: JsonSql = {
  results: sql.raw('(SELECT pipeline, result AS r FROM ingestion_jobs WHERE result IS NOT NULL AND json_valid(result))'),
  num: (path) => sql`json_extract(r, ${jsonPath(path)})`,
  isObject: (path) => sql`json_type(r, ${jsonPath(path)}) = 'object'`,
  has: (key) => sql`json_type(r, ${jsonPath([key])}) IS NOT NULL`,
  entries: (path) => sql`json_each(j.r, ${jsonPath(path)}) e`,
  entryValue: sql.raw('e.value'),
  arrayHas: (array, value) => sql`EXISTS (SELECT 1 FROM json_each(${array}) WHERE json_each.value = ${value})`,
};

/** SQLite compares text byte by byte and types values at run time: no collations or casts needed. */
export const d1Sql: SqlDialect = {
  t: schema,
  json,
  flag: (value) => (value ? 1 : 0),
  TRUE: sql.raw('1'),
  bytes: (expr) => sql`${expr}`,
  int: NONE,
  int8: NONE,
  typed: (value) => sql`${value}`,
};

/**
 * The D1 handle as the shared modules query it: the one boundary cast, as drizzle's SQLite builder is typed apart
 * from its Postgres one (src/db/shared/query.ts).
 */
export const d1Query = (db: Db): QueryDb => db as unknown as QueryDb;

export function d1Dialect(db: Db): Dialect {
  const reader: Reader = { q: d1Query(db), rows: (statement) => db.all(statement) };
  return {
    ...d1Sql,
    ...reader,
    changes: (statements) => runBatchChanges(db, statements),
    // One D1 batch is one transaction, so its reads see one state. The items are drizzle queries built on db, which
    // the batch answers as awaiting each would; drizzle types that tuple by its own builder types, not by Reader's.
    snapshot: (build) => db.batch(build(reader) as unknown as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]) as never,
  };
}
