/**
 * Atomic multi-statement writes. drizzle's d1 batch cannot carry raw `sql` statements (INSERT ... SELECT guarded
 * by a claim token), so statements are compiled by drizzle and sent through D1's own batch, which runs them in
 * one transaction. Rows come back with SQL column names; camelRow maps them onto the schema's property names.
 */
import { is, SQL } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';

export type Db = DrizzleD1Database<Record<string, never>> & { $client: D1Database };

const dialect = new SQLiteSyncDialect();

type Compilable = SQL | { toSQL(): { sql: string; params: unknown[] } };

export async function runBatch(db: Db, items: Compilable[]): Promise<Array<Array<Record<string, unknown>>>> {
  const statements = items.map((q) => {
    const { sql, params } = is(q, SQL) ? dialect.sqlToQuery(q) : q.toSQL();
    return db.$client.prepare(sql).bind(...params);
  });
  const results = await db.$client.batch(statements);
  return results.map((r) => (r.results ?? []) as Array<Record<string, unknown>>);
}

export function camelRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  return out as T;
}
