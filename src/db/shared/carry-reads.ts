/**
 * What a pipeline's `carryOver` reads from stored state (src/runtime/carry-context.ts), in one statement on either
 * database: when the provider last confirmed the scope's published content, and the related scopes' latest
 * publication times. These were three sequential reads, the second (the confirming job's snapshots) depending on
 * the first's answer (the latest fetched result); the choice of the confirming job is a subquery here, and only the
 * two answers cross the boundary, not the rows behind them.
 */
import { and, desc, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { CarryReadRequest, CarryReads } from '../../core/ports';
import type { Dialect } from './dialect';
import { latestFetched } from './results';

/**
 * The id of the job that last confirmed the previous publication's content: the scope's latest fetched result
 * (the same read as latestFetchedNormalized) when another job wrote it and it hashed like the publication (an
 * unchanged re-sync still saw it), else the publication's own job.
 */
function confirmingJob(d: Dialect, req: CarryReadRequest, previous: NonNullable<CarryReadRequest['previous']>): SQL {
  const n = d.t.normalizedResults;
  const latest = latestFetched(d, req.pipeline, req.scopeKey, { jobId: n.jobId, normalizedHash: n.normalizedHash }).as('latest');
  const confirmed = d.q
    .select({ jobId: latest.jobId })
    .from(latest)
    .where(and(ne(latest.jobId, req.excludeJobId), eq(latest.normalizedHash, previous.normalizedHash)));
  return sql`coalesce(${confirmed}, ${previous.jobId})`;
}

/**
 * The latest fetch time among the job's snapshots of its last attempt (a retry's refetch describes the content, not
 * the attempt it replaced); no row without snapshots. Attempts number from 1, so the highest is the last.
 */
function lastAttemptFetchedAt({ q, t }: Dialect, jobId: SQL) {
  const s = t.rawSnapshots;
  return q
    .select({ at: sql<number>`max(${s.fetchedAt})` })
    .from(s)
    .where(eq(s.jobId, jobId))
    .groupBy(s.attemptNumber)
    .orderBy(desc(s.attemptNumber))
    .limit(1);
}

/** Latest publication time of every scope of `pipeline` whose key starts with `prefix` (plain text, no LIKE wildcards). */
function relatedTimes({ q, t }: Dialect, pipeline: string, prefix: string) {
  const published = t.publishedResults;
  return q
    .select({ scopeKey: published.scopeKey, at: sql<number>`max(${published.publishedAt})`.as('at') })
    .from(published)
    .where(and(eq(published.pipeline, pipeline), sql`substr(${published.scopeKey}, 1, ${prefix.length}) = ${prefix}`))
    .groupBy(published.scopeKey);
}

export async function carryReads(d: Dialect, req: CarryReadRequest): Promise<CarryReads> {
  // One UNION: the seen-at row has no scope key (published_results.scope_key is NOT NULL), each related scope has one.
  const branches: SQL[] = [];
  if (req.previous) branches.push(sql`SELECT NULL AS scope_key, ${lastAttemptFetchedAt(d, confirmingJob(d, req, req.previous))} AS at`);
  // Its own SQL, unparenthesized: SQLite takes no parentheses around a member of a compound SELECT.
  if (req.related) branches.push(relatedTimes(d, req.related.pipeline, req.related.scopeKeyPrefix).getSQL());
  if (branches.length === 0) return { previousSeenAt: null, related: [] };
  const rows = await d.rows<{ scope_key: string | null; at: number | string | null }>(sql.join(branches, sql` UNION ALL `));
  let previousSeenAt: number | null = null;
  const related: CarryReads['related'] = [];
  for (const r of rows) {
    const at = r.at === null ? null : Number(r.at);
    if (r.scope_key === null) previousSeenAt = at;
    else if (at !== null) related.push({ scopeKey: r.scope_key, publishedAt: at });
  }
  related.sort((a, b) => (a.scopeKey < b.scopeKey ? -1 : a.scopeKey > b.scopeKey ? 1 : 0));
  return { previousSeenAt, related };
}
