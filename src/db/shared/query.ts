/**
 * The part of drizzle's query builder the shared store modules (src/db/shared) use, typed once for both dialects.
 *
 * drizzle builds queries per dialect (SQLiteSelect on D1, PgSelect on Postgres) and the two share no base type, so
 * a function over "either database" cannot be written against drizzle's own types. The methods below exist on both
 * builders with the same meaning; each dialect adapter casts its drizzle handle to QueryDb in one place (d1Query
 * in src/db/d1/dialect.ts, pgQuery in src/db/pg/dialect.ts). Tables need no cast: a table of either schema is a Tbl
 * of the row both read.
 */
import type { AnyColumn, SQL, SQLWrapper, Subquery, Table } from 'drizzle-orm';

/** A column whose values read as T. */
export type Col<T> = AnyColumn<{ data: T }>;

/** A table of either dialect: its columns by property name, and the row a plain select reads from it. */
export type Tbl<R> = Table & { readonly $inferSelect: R } & { readonly [P in keyof R]-?: Col<R[P]> };
type AnyTbl = Table & { readonly $inferSelect: object };
type RowOf<T extends AnyTbl> = T['$inferSelect'];

/** A selected field: an expression, a column, or a whole table (its row, nested under the field's name). */
type Field = SQL<unknown> | SQL.Aliased<unknown> | AnyColumn | AnyTbl;
export type Fields = Record<string, Field>;
/** The row a select of these fields reads: SQL<T> and SQL.Aliased<T> give T, a column its data type, a table its row. */
export type Picked<F extends Fields> = { [P in keyof F]: FieldValue<F[P]> };
type FieldValue<F> =
  F extends SQL<infer T>
    ? T
    : F extends SQL.Aliased<infer T>
      ? T
      : F extends AnyColumn
        ? F['_']['data']
        : F extends AnyTbl
          ? RowOf<F>
          : never;

type Order = SQLWrapper | AnyColumn;

export interface Select<R> extends PromiseLike<R[]>, SQLWrapper {
  where(condition: SQL | undefined): Select<R>;
  innerJoin(table: AnyTbl, on: SQL): Select<R>;
  groupBy(...by: Order[]): Select<R>;
  orderBy(...by: Order[]): Select<R>;
  limit(n: number): Select<R>;
  /** A subquery (`FROM (...) alias`) whose selected fields are referenced by name. */
  as(alias: string): Subquery & { readonly [P in keyof R]: SQL.Aliased<R[P]> };
}

/** Values for an insert or an update: a column's value, or an SQL expression computing it. */
export type Values<R> = { [P in keyof R]?: R[P] | SQL };

export interface Written<R> extends PromiseLike<unknown> {
  returning(): PromiseLike<R[]>;
  returning<F extends Fields>(fields: F): PromiseLike<Picked<F>[]>;
}

export interface Inserted<R> extends Written<R> {
  /** A row whose key or unique index exists already is skipped; `returning` then reads only the rows written. */
  onConflictDoNothing(): Written<R>;
  onConflictDoUpdate(config: { target: AnyColumn; set: Values<R> }): PromiseLike<unknown>;
}

export interface QueryDb {
  select(): { from<T extends AnyTbl>(table: T): Select<RowOf<T>> };
  select<F extends Fields>(fields: F): { from(source: AnyTbl | Subquery): Select<Picked<F>> };
  insert<T extends AnyTbl>(table: T): { values(row: Values<RowOf<T>>): Inserted<RowOf<T>> };
  update<T extends AnyTbl>(table: T): { set(values: Values<RowOf<T>>): { where(condition: SQL | undefined): Written<RowOf<T>> } };
}
