/** The console overview on Postgres: the shared aggregates (src/db/shared/overview.ts) in one read-only snapshot. */
import type { ConsoleReads } from '../../core/console-reads';
import { overviewQueries, toOverview } from '../shared/overview';
import { createDb, type Sql } from './client';
import { pgSql } from './dialect';

export function pgConsoleReads(client: Sql): ConsoleReads {
  const db = createDb(client);
  return {
    overview: (now) =>
      db.transaction(
        async (tx) => {
          const rows = [];
          for (const q of overviewQueries(pgSql.t, now)) rows.push([...(await tx.execute<Record<string, unknown>>(q))]);
          return toOverview(rows);
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      ),
  };
}
