/**
 * Live polling of a market set (seed 003: upcoming and live markets every 5 seconds). Cron Triggers tick once a
 * minute, so each polled set is a Durable Object whose alarm re-arms itself (src/durable/market-poller.ts); this
 * module is its pure part: the stored state, how a poll is named, and when the loop ends.
 */

export const POLL_PIPELINE = 'betfair.market_book';
export const DEFAULT_POLL_INTERVAL_MS = 5000;
export const MIN_POLL_INTERVAL_MS = 1000;
export const MAX_POLL_INTERVAL_MS = 300_000;

/** The MarketPoller instance that lists the pollers (Durable Objects cannot be enumerated). */
export const POLLER_DIRECTORY = '__directory__';

export type PollerRunState = 'running' | 'stopped';

/**
 * Why a loop ended: `api` (POST /pollers/{id}/stop), `markets_closed` (the last poll's book had every market
 * CLOSED), or its own limits. `stop_reason` says the same in words.
 */
export type StopCause = 'api' | 'markets_closed' | 'max_polls' | 'until';

export interface PollerStop {
  cause: StopCause;
  reason: string;
}

export interface PollerConfig {
  market_ids: string[];
  interval_ms: number;
  depth: number | null;
  /** Stop after this many polls (null: until stopped). */
  max_polls: number | null;
  /** Stop at this time, epoch ms (null: until stopped). */
  until: number | null;
}

export interface PollerState extends PollerConfig {
  id: string;
  state: PollerRunState;
  /** Bumped by every start: an alarm of an earlier run that fires late does nothing. */
  generation: number;
  started_at: number;
  started_by: string;
  stopped_at: number | null;
  /** Null while running; absent in states stored before it existed. */
  stop_cause?: StopCause | null;
  stop_reason: string | null;
  polls: number;
  /** Ticks that enqueued nothing because the previous poll of the set was still pending or running. */
  skipped_in_flight: number;
  enqueue_errors: number;
  last_poll_at: number | null;
  last_job_id: string | null;
  last_error: string | null;
  next_poll_at: number | null;
}

/** Why the loop ends before this tick by its own limits, or null to poll. */
export function stopReasonAt(s: PollerState, now: number): PollerStop | null {
  if (s.max_polls !== null && s.polls >= s.max_polls) return { cause: 'max_polls', reason: `max_polls reached (${s.max_polls})` };
  if (s.until !== null && now >= s.until) return { cause: 'until', reason: `until reached (${new Date(s.until).toISOString()})` };
  return null;
}

/** The poll's idempotency key: an alarm retried after a crash finds the job it already made. */
export function pollKey(s: PollerState): string {
  return `poll:${s.id}:${s.generation}:${s.polls + 1}`;
}

export function newPollerState(id: string, cfg: PollerConfig, prev: PollerState | null, now: number, by: string): PollerState {
  return {
    ...cfg,
    id,
    state: 'running',
    generation: (prev?.generation ?? 0) + 1,
    started_at: now,
    started_by: by,
    stopped_at: null,
    stop_cause: null,
    stop_reason: null,
    polls: 0,
    skipped_in_flight: 0,
    enqueue_errors: 0,
    last_poll_at: null,
    last_job_id: null,
    last_error: null,
    next_poll_at: now,
  };
}

export function sameConfig(a: PollerConfig, b: PollerConfig): boolean {
  return (
    a.interval_ms === b.interval_ms &&
    a.depth === b.depth &&
    a.max_polls === b.max_polls &&
    a.until === b.until &&
    a.market_ids.join(',') === b.market_ids.join(',')
  );
}
