/** The Postgres store's batch reads: one definition for both stores, in src/db/shared/batch-reads.ts. */
import * as batchReads from '../shared/batch-reads';
import { onDb } from '../shared/on-db';
import { pgDialect } from './dialect';

export const { getJobs, latestPublications } = onDb(pgDialect, batchReads);
