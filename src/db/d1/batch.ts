/**
 * Atomic multi-statement writes. drizzle's d1 batch cannot carry raw `sql` statements (INSERT ... SELECT guarded
 * by a claim token), so statements are compiled by drizzle and sent through D1's own batch, which runs them in
 * one transaction. Rows come back with SQL column names; camelRow maps them onto the schema's property names.
 */
import { getTableColumns, is, sql, SQL } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { SQLiteSyncDialect, type SQLiteTable } from 'drizzle-orm/sqlite-core';

export type Db = DrizzleD1Database<Record<string, never>> & { $client: D1Database };

const dialect = new SQLiteSyncDialect();

type Compilable = SQL | { toSQL(): { sql: string; params: unknown[] } };

function prepare(db: Db, items: Compilable[]): D1PreparedStatement[] {
  return items.map((q) => {
    const { sql, params } = is(q, SQL) ? dialect.sqlToQuery(q) : q.toSQL();
    return db.$client.prepare(sql).bind(...params);
  });
}

export async function runBatch(db: Db, items: Compilable[]): Promise<Array<Array<Record<string, unknown>>>> {
  const results = await db.$client.batch(prepare(db, items));
  return results.map((r) => (r.results ?? []) as Array<Record<string, unknown>>);
}

/** Like runBatch, for writes: how many rows each statement changed. */
export async function runBatchChanges(db: Db, items: Compilable[]): Promise<number[]> {
  const results = await db.$client.batch(prepare(db, items));
  return results.map((r) => r.meta?.changes ?? 0);
}

/** Both answers of each statement: the rows it returned and how many rows it changed. */
export async function runBatchResults(
  db: Db,
  items: Compilable[],
): Promise<Array<{ rows: Array<Record<string, unknown>>; changes: number }>> {
  const results = await db.$client.batch(prepare(db, items));
  return results.map((r) => ({ rows: (r.results ?? []) as Array<Record<string, unknown>>, changes: r.meta?.changes ?? 0 }));
}

/**
 * `INSERT INTO t (every column) SELECT <values> WHERE <condition>`: a row written only while the condition holds,
 * decided inside the same transaction as the rest of the batch.
 */
export function insertWhere(table: SQLiteTable, row: Record<string, unknown>, condition: SQL, onConflict?: SQL): SQL {
  const columns = Object.entries(getTableColumns(table));
  const names = sql.join(
    columns.map(([, c]) => sql.identifier(c.name)),
    sql`, `,
  );
  const values = sql.join(
    columns.map(([key]) => sql`${row[key] ?? null}`),
    sql`, `,
  );
  return sql`INSERT INTO ${table} (${names}) SELECT ${values} WHERE ${condition}${onConflict ? sql` ${onConflict}` : sql``}`;
}

export function camelRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  return out as T;
}
