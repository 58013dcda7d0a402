/**
 * What the shared store modules (src/db/shared) ask of a dialect: its tables and query handle, and only what
 * really differs between D1 (SQLite) and Postgres. The adapters are src/db/d1/dialect.ts and src/db/pg/dialect.ts.
 */
import type { SQL, SQLWrapper } from 'drizzle-orm';
import type * as d1 from '../schema';
import type * as pg from '../pg/schema';
import type { QueryDb, Tbl } from './query';

type Name =
  | 'ingestionJobs'
  | 'jobAttempts'
  | 'jobStateTransitions'
  | 'rawSnapshots'
  | 'normalizedResults'
  | 'publishedResults'
  | 'scheduleConfigs'
  | 'webhookSubscriptions'
  | 'webhookDeliveries';
type D1Row<K extends Name> = (typeof d1)[K]['$inferSelect'];
type PgRow<K extends Name> = (typeof pg)[K]['$inferSelect'];

/** A row of table K as either store reads it: the same columns, but flags are 0/1 on D1 and booleans on Postgres. */
export type Row<K extends Name> = { [P in keyof D1Row<K> & keyof PgRow<K>]: D1Row<K>[P] | PgRow<K>[P] };

/** The tables the shared modules query, as either dialect's schema module exports them. */
export type Schema = { readonly [K in Name]: Tbl<Row<K>> };

/** A flag column's value: 0/1 on D1, a boolean on Postgres. */
export type Flag = number | boolean;

/** Queries on one connection: drizzle's builder and raw SQL statements. */
export interface Reader {
  readonly q: QueryDb;
  /** The rows of a raw statement, with its own column names. */
  rows<T extends Record<string, unknown>>(statement: SQL): PromiseLike<T[]>;
}

/**
 * JSON in text columns (job results), read by the database: SQLite's JSON1 on D1, jsonb on Postgres. Paths and
 * keys are constants of the calling code (never input), written into the SQL text as they are.
 */
export interface JsonSql {
  /** A FROM item of (pipeline, r) per ingestion job: r its parsed result (rows whose result is no JSON object drop out or carry NULL). */
  readonly results: SQL;
  /** The number at this path of r. */
  num(path: readonly string[]): SQL;
  /** Whether r holds an object at this path. */
  isObject(path: readonly string[]): SQL;
  /** Whether r has this key. */
  has(key: string): SQL;
  /** A FROM item `e` of the (key, value) pairs of the object at this path of `j.r`. */
  entries(path: readonly string[]): SQL;
  /** `e.value` as a number. */
  readonly entryValue: SQL;
  /** Whether the JSON array text `array` has `value` as an element. */
  arrayHas(array: SQL, value: SQL): SQL;
}

/** How the dialect writes SQL: no connection needed. */
export interface SqlDialect {
  readonly t: Schema;
  readonly json: JsonSql;
  /** A boolean as a flag column stores it. */
  flag(value: boolean): Flag;
  /** The literal true, for raw conditions on flag columns. */
  readonly TRUE: SQL;
  /** An expression ordered and compared byte by byte, as SQLite does by default (Postgres: COLLATE "C"). */
  bytes(expr: SQLWrapper): SQL;
  /** Cast suffix that keeps an integer aggregate a plain number: Postgres widens count and sum to bigint/numeric. */
  readonly int: SQL;
  /** Cast suffix for a sum of millisecond (bigint) columns, which Postgres widens to numeric. */
  readonly int8: SQL;
  /** A bound value where Postgres cannot infer its type (a SELECT list, arithmetic): it is told; SQLite needs no type. */
  typed(value: string | number, type: 'text' | 'int' | 'bigint'): SQL;
}

export interface Dialect extends SqlDialect, Reader {
  /** Writes in one transaction (a D1 batch); how many rows each statement changed. */
  changes(statements: SQL[]): Promise<number[]>;
  /** Reads in one consistent snapshot: a D1 batch, a read-only repeatable-read Postgres transaction. */
  snapshot<Q extends readonly PromiseLike<unknown>[] | []>(build: (r: Reader) => Q): Promise<{ -readonly [K in keyof Q]: Awaited<Q[K]> }>;
}
