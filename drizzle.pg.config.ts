import { defineConfig } from 'drizzle-kit';

/**
 * PostgreSQL (Hyperdrive) store: `npm run db:generate:pg` writes migrations to drizzle-pg/ and embeds them in
 * src/db/pg/migrations.gen.ts. Production: `DATABASE_URL=postgres://... npx drizzle-kit migrate --config drizzle.pg.config.ts`.
 */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/pg/schema.ts',
  out: './drizzle-pg',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
});
