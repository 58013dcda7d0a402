/**
 * Reads of many rows in few queries, for the operator surfaces: the jobs of an operation (GET /operations/:id) and
 * the latest publication of every pipeline (the console's publications index), instead of one query per row.
 */
import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { Job, Publication } from '../../core/types';
import type { Dialect } from './dialect';
import { toJob, toPublication } from './rows';

/** Ids per IN list: under D1's limit of 100 bound parameters per statement. */
const CHUNK = 90;

/** The jobs with these ids (missing ids are left out), in no particular order. */
export async function getJobs({ q, t }: Dialect, ids: string[]): Promise<Job[]> {
  const out: Job[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await q
      .select()
      .from(t.ingestionJobs)
      .where(inArray(t.ingestionJobs.id, unique.slice(i, i + CHUNK)));
    out.push(...rows.map(toJob));
  }
  return out;
}

/**
 * The latest publication (by published_at, then sequence, as latestPublication without a scope) of each of these
 * pipelines, in one query: a window over the pipelines' publications picks row one of each.
 */
export async function latestPublications({ q, t }: Dialect, pipelines: string[]): Promise<Publication[]> {
  if (pipelines.length === 0) return [];
  const published = t.publishedResults;
  const order = sql`order by ${published.publishedAt} desc, ${published.sequence} desc`;
  const ranked = q
    .select({ id: published.id, rn: sql<number>`row_number() over (partition by ${published.pipeline} ${order})`.as('rn') })
    .from(published)
    .where(inArray(published.pipeline, pipelines.slice(0, CHUNK)))
    .as('ranked');
  const rows = await q
    .select()
    .from(published)
    .where(inArray(published.id, q.select({ id: ranked.id }).from(ranked).where(eq(ranked.rn, 1))))
    .orderBy(desc(published.publishedAt));
  return rows.map(toPublication);
}
