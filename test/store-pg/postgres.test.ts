/** What only the Postgres store has: its migrations, its readiness check, and claim locking (SKIP LOCKED). */
import { afterEach, describe, expect, it } from 'vitest';
import { applyPgMigrations } from '../../src/db/pg/migrate';
import { PG_MIGRATIONS } from '../../src/db/pg/migrations.gen';
import type { NewJob } from '../../src/core/ports';
import type { Sql } from '../../src/db/pg/client';
import { makePgStore, otherClient, pgEnv, type PgHarness } from './harness';

const T0 = 1_800_000_000_000;
const base = {
  pipeline: 'p',
  params: {},
  scopeKey: 's',
  mode: 'fetch' as const,
  force: false,
  idempotencyKey: null,
  requestId: null,
  requestedBy: 't',
  parentJobId: null,
  actor: 't',
  reason: 'r',
};
const newJob = (now: number, maxAttempts: number): NewJob => ({ ...base, id: crypto.randomUUID(), now, maxAttempts });

describe('PgStore specifics', () => {
  let h: PgHarness | undefined;
  let extra: Sql | undefined;
  afterEach(async () => {
    await extra?.end({ timeout: 5 });
    await h?.cleanup();
    h = undefined;
    extra = undefined;
  });

  it('embeds exactly the migrations in drizzle-pg/ (run npm run db:generate:pg after changing the schema)', () => {
    expect(PG_MIGRATIONS.length).toBeGreaterThan(0);
    expect(PG_MIGRATIONS).toEqual(pgEnv.PG_MIGRATIONS_ON_DISK);
  });

  it('reports an unmigrated schema as not ready, then applies migrations once, recording them as drizzle-kit does', async () => {
    h = await makePgStore({ migrate: false });
    await expect(h.store.checkReady()).rejects.toThrow(/not migrated: missing tables ingestion_jobs, job_attempts/);
    const opts = { migrationsSchema: h.schema };
    expect(await applyPgMigrations(h.store.sql, PG_MIGRATIONS, opts)).toEqual(PG_MIGRATIONS.map((m) => m.tag));
    expect(await applyPgMigrations(h.store.sql, PG_MIGRATIONS, opts)).toEqual([]);
    await expect(h.store.checkReady()).resolves.toBeUndefined();
    const rows = await h.store.sql.unsafe<Array<{ hash: string; created_at: number }>>(
      `SELECT hash, created_at FROM "${h.schema}"."__drizzle_migrations" ORDER BY id`,
    );
    expect(rows.map((r) => [r.hash, Number(r.created_at)])).toEqual(PG_MIGRATIONS.map((m) => [m.hash, m.when]));
  });

  it('applies migrations once when two runners race', async () => {
    h = await makePgStore({ migrate: false });
    extra = otherClient(h.schema);
    const opts = { migrationsSchema: h.schema };
    const [a, b] = await Promise.all([applyPgMigrations(h.store.sql, PG_MIGRATIONS, opts), applyPgMigrations(extra, PG_MIGRATIONS, opts)]);
    expect([...a, ...b]).toEqual(PG_MIGRATIONS.map((m) => m.tag));
    await expect(h.store.checkReady()).resolves.toBeUndefined();
  });

  it('stores epoch milliseconds as bigint and reads them back as numbers', async () => {
    h = await makePgStore();
    const big = 8_000_000_000_000; // year 2223: beyond int4, well inside Number's exact range
    const { job } = await h.store.insertJob(newJob(big, 1));
    expect(job.createdAt).toBe(big);
    const [row] = await h.store.sql<Array<{ t: string }>>`SELECT pg_typeof(created_at)::text AS t FROM ingestion_jobs`;
    expect(row!.t).toBe('bigint');
    expect((await h.store.getJob(job.id))!.nextRetryAt).toBe(big);
  });

  it('skips a job whose row another transaction holds, instead of waiting for it', async () => {
    h = await makePgStore();
    const store = h.store;
    const { job } = await store.insertJob(newJob(T0, 3));
    extra = otherClient(h.schema);
    let release!: () => void;
    const held = new Promise<void>((ok) => (release = ok));
    let locked!: () => void;
    const isLocked = new Promise<void>((ok) => (locked = ok));
    const holder = extra.begin(async (tx) => {
      await tx`SELECT id FROM ingestion_jobs WHERE id = ${job.id} FOR UPDATE`;
      locked();
      await held;
    });
    await isLocked;
    const started = Date.now();
    const claim = { jobId: job.id, workerId: 'w', claimToken: 'tok-1', now: T0, leaseUntil: T0 + 60_000, attemptId: crypto.randomUUID() };
    expect(await store.claimJob(claim)).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
    release();
    await holder;
    expect(await store.claimJob({ ...claim, claimToken: 'tok-2', attemptId: crypto.randomUUID() })).toMatchObject({
      state: 'running',
      claimToken: 'tok-2',
    });
  });
});
