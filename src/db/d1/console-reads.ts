/** The console overview on D1: the shared aggregates (src/db/shared/overview.ts) in one batch, one round trip. */
import { drizzle } from 'drizzle-orm/d1';
import type { ConsoleReads } from '../../core/console-reads';
import { overviewQueries, toOverview } from '../shared/overview';
import { runBatch, type Db } from './batch';
import { d1Sql } from './dialect';

export function d1ConsoleReads(d1: D1Database): ConsoleReads {
  const db = drizzle(d1) as Db;
  return {
    overview: async (now) => toOverview(await runBatch(db, overviewQueries(d1Sql.t, now))),
  };
}
