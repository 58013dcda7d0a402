/**
 * Reads of many rows in few queries, for the operator surfaces: the jobs of an operation (GET /operations/:id) and
 * the latest publication of every pipeline (the console's publications index), instead of one query per row.
 */
import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { Job, Publication } from '../../core/types';
import { ingestionJobs as jobs, publishedResults as published } from './schema';
import type { Db } from './client';
import { toJob, toPublication } from './rows';

/** Ids per IN list: under D1's limit of 100 bound parameters per statement. */
const CHUNK = 90;

/** The jobs with these ids (missing ids are left out), in no particular order. */
export async function getJobs(db: Db, ids: string[]): Promise<Job[]> {
  const out: Job[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .select()
      .from(jobs)
      .where(inArray(jobs.id, unique.slice(i, i + CHUNK)));
    out.push(...rows.map(toJob));
  }
  return out;
}

/**
 * The latest publication (by published_at, then sequence, as latestPublication without a scope) of each of these
 * pipelines, in one query: a window over the pipelines' publications picks row one of each.
 */
export async function latestPublications(db: Db, pipelines: string[]): Promise<Publication[]> {
  if (pipelines.length === 0) return [];
  const ranked = db
    .select({
      id: published.id,
      rn: sql<number>`row_number() over (partition by ${published.pipeline} order by ${published.publishedAt} desc, ${published.sequence} desc)`.as(
        'rn',
      ),
    })
    .from(published)
    .where(inArray(published.pipeline, pipelines.slice(0, CHUNK)))
    .as('ranked');
  const rows = await db
    .select()
    .from(published)
    .where(inArray(published.id, db.select({ id: ranked.id }).from(ranked).where(eq(ranked.rn, 1))))
    .orderBy(desc(published.publishedAt));
  return rows.map(toPublication);
}
