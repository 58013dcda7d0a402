/**
 * What the console's overview reads in one go (src/worker/admin/overview.tsx): aggregates sized to what the page
 * shows, never rows fetched to be counted in JavaScript. D1 and Postgres answer it from one definition
 * (src/db/shared/overview.ts); the API's /metrics keeps its own, wider snapshot (Store.metrics).
 */

/** Error codes that mean "the provider is pushing back right now" (a partial index covers exactly these). */
export const PRESSURE_CODES = ['PROVIDER_RATE_LIMITED', 'PROVIDER_BLOCKED', 'PROVIDER_SESSION_EXPIRED'] as const;
/** How recent a job's pressure error must be to count as "now". */
export const PRESSURE_WINDOW_MS = 15 * 60_000;
/** The publications-per-hour table covers this window. */
export const PUBLICATIONS_WINDOW_MS = 24 * 3600_000;

export interface OverviewFigures {
  jobsByStateAndPipeline: Array<{ state: string; pipeline: string; count: number }>;
  oldestPendingCreatedAt: number | null;
  publicationsTotal: number;
  retriesTotal: number;
  /** Jobs whose latest error is a pressure code, updated within the window, per pipeline and code. */
  pressure: Array<{ pipeline: string; code: string; jobs: number; last: number }>;
  /** Publications per hour (start of the hour, epoch ms) within the window, newest hour first. */
  publicationsPerHour: Array<{ hour: number; count: number }>;
}

export interface ConsoleReads {
  overview(now: number): Promise<OverviewFigures>;
}
