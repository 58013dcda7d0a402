/**
 * Turns a transition guard (src/core/job-transitions.ts) into a drizzle WHERE clause. The same function serves the
 * D1 and the Postgres table objects (their columns share names and meaning), so both stores test the same rule.
 */
import { and, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AnyColumn } from 'drizzle-orm';
import type { Guard } from '../core/job-transitions';

type Col = AnyColumn; // a drizzle column of either dialect; the comparisons below exist for both

export interface JobColumns {
  id: Col;
  state: Col;
  nextRetryAt: Col;
  leaseUntil: Col;
  attemptCount: Col;
  maxAttempts: Col;
  claimToken: Col;
}

export function guardWhere(t: JobColumns, guard: Guard, now: number, claimToken?: string): SQL {
  const cases = guard.anyOf.map(
    (c) => and(eq(t.state, c.state), c.due ? lte(t.nextRetryAt, now) : undefined, c.leaseExpired ? lt(t.leaseUntil, now) : undefined)!,
  );
  return and(
    or(...cases),
    guard.budget === 'left' ? lt(t.attemptCount, t.maxAttempts) : undefined,
    guard.budget === 'spent' ? gte(t.attemptCount, t.maxAttempts) : undefined,
    guard.claimHeld ? eq(t.claimToken, claimToken ?? '') : undefined,
    guard.decision ? decided(t, guard.decision) : undefined,
  )!;
}

/** The job's decision row: one per job in normalized_results, with its decision once the publisher saved it. */
function decided(t: JobColumns, want: 'saved' | 'none'): SQL {
  const exists = sql`EXISTS (SELECT 1 FROM normalized_results nr WHERE nr.job_id = ${t.id} AND nr.publication_decision IS NOT NULL)`;
  return want === 'saved' ? exists : sql`NOT ${exists}`;
}
