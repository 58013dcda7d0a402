/**
 * The part of drizzle's query builder that the shared store modules (src/db/shared/*) use, typed by the rows of the
 * tables they are given. drizzle's D1 and Postgres handles both have this shape at run time, but each types its
 * builders for its own dialect's tables only; `asDialectDb` is the one place that says they are alike.
 */
import type { AnyColumn, SQL } from 'drizzle-orm';

/** A table of either dialect, seen through the rows it reads and writes. */
export interface RowTable<Row extends object> {
  $inferSelect: Row;
}

/** Values for an insert or update: the row's columns, each a value or an SQL expression. */
export type Values<Row extends object> = { [K in keyof Row]?: Row[K] | SQL };

export interface Chain<T> extends PromiseLike<T[]> {
  where(condition: SQL | undefined): Chain<T>;
  orderBy(...by: Array<SQL | AnyColumn>): Chain<T>;
  groupBy(...by: AnyColumn[]): Chain<T>;
  limit(n: number): Chain<T>;
}

interface Returning<Row> extends PromiseLike<unknown> {
  returning(): PromiseLike<Row[]>;
  returning<F extends Record<string, AnyColumn>>(fields: F): PromiseLike<Array<Record<keyof F, unknown>>>;
}

export interface DialectDb {
  select(): { from<Row extends object>(table: RowTable<Row>): Chain<Row> };
  /** Selected fields: a column's value as the row type declares it, an SQL expression's as its type parameter. */
  select<Row extends object>(fields: { [K in keyof Row]: AnyColumn | SQL<Row[K]> }): { from(table: RowTable<object>): Chain<Row> };
  insert<Row extends object>(
    table: RowTable<Row>,
  ): {
    values(values: Values<Row>): Returning<Row> & { onConflictDoNothing(): Returning<Row> };
  };
  update<Row extends object>(table: RowTable<Row>): { set(values: Values<Row>): { where(condition: SQL | undefined): Returning<Row> } };
}

/**
 * A D1 or Postgres drizzle handle as a DialectDb. The one cast of the shared modules: each dialect's builder types
 * accept only that dialect's tables, so neither handle's type can name the other's; the shapes above are what both
 * implement (the store contract tests run every shared query on both).
 */
export const asDialectDb = (db: object): DialectDb => db as DialectDb;
