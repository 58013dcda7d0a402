/**
 * A small migration runner for the Postgres store, usable where there is no file system (Workers, the Vitest
 * pool): the SQL of drizzle-pg/ is embedded in migrations.gen.ts. It records applied migrations exactly as
 * drizzle-kit migrate does (`drizzle.__drizzle_migrations`: hash = sha256 of the file, created_at = the journal's
 * `when`), so the two can be mixed. Production applies migrations with
 * `npx drizzle-kit migrate --config drizzle.pg.config.ts`; this runner is for tests and one-off bootstrap.
 */
import type { Sql } from './client';
import { PG_MIGRATIONS } from './migrations.gen';

export interface PgMigration {
  tag: string;
  /** drizzle-kit journal `when` (ms): migrations apply in this order, once. */
  when: number;
  hash: string;
  statements: string[];
}

export interface ApplyOptions {
  migrationsSchema?: string;
  migrationsTable?: string;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Applies the migrations not yet recorded, in one transaction, serialized across callers by an advisory lock. */
export async function applyPgMigrations(sql: Sql, migrations: PgMigration[] = PG_MIGRATIONS, opts: ApplyOptions = {}): Promise<string[]> {
  const table = `${ident(opts.migrationsSchema ?? 'drizzle')}.${ident(opts.migrationsTable ?? '__drizzle_migrations')}`;
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext(${`migrations:${table}`}))`;
    await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS ${ident(opts.migrationsSchema ?? 'drizzle')}`);
    await tx.unsafe(`CREATE TABLE IF NOT EXISTS ${table} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
    const [last] = await tx.unsafe<Array<{ created_at: string | number }>>(
      `SELECT created_at FROM ${table} ORDER BY created_at DESC LIMIT 1`,
    );
    const lastAt = last ? Number(last.created_at) : -Infinity;
    for (const m of [...migrations].sort((a, b) => a.when - b.when)) {
      if (m.when <= lastAt) continue;
      for (const stmt of m.statements) await tx.unsafe(stmt);
      await tx.unsafe(`INSERT INTO ${table} (hash, created_at) VALUES ($1, $2)`, [m.hash, m.when]);
      applied.push(m.tag);
    }
  });
  return applied;
}
