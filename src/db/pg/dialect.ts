/** The Postgres side of the shared store modules (src/db/shared/dialect.ts). */
import { sql, type SQL } from 'drizzle-orm';
import type { Dialect, JsonSql, Reader, SqlDialect } from '../shared/dialect';
import type { QueryDb } from '../shared/query';
import type { Conn, Db } from './client';
import * as schema from './schema';

/**
 * A connection as the shared modules query it: the one boundary cast, as drizzle's Postgres builder is typed apart
 * from its SQLite one (src/db/shared/query.ts).
 */
export const pgQuery = (c: Conn): QueryDb => c as unknown as QueryDb;

/** Queries on one connection. */
const reader = (c: Conn): Reader => ({
  q: pgQuery(c),
  // postgres.js answers with a RowList (an array of the rows); T is the caller's word for them, as with D1's all<T>.
  rows: <T extends Record<string, unknown>>(statement: SQL) => c.execute(statement) as unknown as PromiseLike<T[]>,
});

const arrows = (path: readonly string[]) => path.map((k) => `->'${k}'`).join('');

/** jsonb over the result text, cast only where it reads as an object: any other result is NULL, and skipped. */
const json: JsonSql = {
  results: sql.raw(
    `(SELECT pipeline, CASE WHEN result IS NOT NULL AND result ~ '^\\s*\\{' THEN result::jsonb END AS r FROM ingestion_jobs)`,
  ),
  num: (path) => sql.raw(`(r${arrows(path.slice(0, -1))}->>'${path.at(-1)}')::numeric`),
  isObject: (path) => sql.raw(`jsonb_typeof(r${arrows(path)}) = 'object'`),
  has: (key) => sql.raw(`r ? '${key}'`),
  entries: (path) => sql.raw(`jsonb_each_text(j.r${arrows(path)}) e`),
  entryValue: sql.raw('e.value::numeric'),
  arrayHas: (array, value) => sql`${array}::jsonb @> jsonb_build_array(${value})`,
};

/** Ids order byte by byte as on D1 (COLLATE "C"); aggregates and bound values get the types Postgres cannot infer. */
export const pgSql: SqlDialect = {
  t: schema,
  json,
  flag: (value) => value,
  TRUE: sql.raw('true'),
  bytes: (expr) => sql`${expr} COLLATE "C"`,
  int: sql.raw('::int'),
  int8: sql.raw('::bigint'),
  typed: (value, type) => sql`${value}${sql.raw(`::${type}`)}`,
};

export function pgDialect(db: Db): Dialect {
  return {
    ...pgSql,
    ...reader(db),
    async changes(statements) {
      // One statement is atomic by itself: no BEGIN/COMMIT round trips around it.
      if (statements.length === 1) return [(await db.execute(statements[0]!)).count ?? 0];
      return db.transaction(async (tx) => {
        const counts: number[] = [];
        for (const s of statements) counts.push((await tx.execute(s)).count ?? 0);
        return counts;
      });
    },
    snapshot: (build) =>
      db.transaction(
        async (tx) => {
          const out: unknown[] = [];
          // drizzle queries run when awaited: one after another on the transaction's connection.
          for (const query of build(reader(tx))) out.push(await query);
          // Each query's awaited value, in order: the tuple snapshot's signature states.
          return out as never;
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      ),
  };
}
