/**
 * One instance per polled Betfair market set: an alarm loop that enqueues one `betfair.market_book` job every
 * `interval_ms` (5 s by default; Cron Triggers only tick once a minute). Each job is one provider request through
 * the transport, so the shared rate limiter (ProviderRateLimiter) holds for polls as for every provider call; an
 * unchanged book is SKIP_NO_CHANGE in the runtime: no raw body written (same bytes, same key), no payload, no
 * publication. A tick whose previous poll is still pending or running enqueues nothing (the store's active-scope
 * dedupe), so a slow provider never piles up polls.
 *
 * The instance named POLLER_DIRECTORY is the list of pollers (start and stop register there), because Durable Objects
 * cannot be enumerated and no migration number was given for a table.
 */
import { DurableObject } from 'cloudflare:workers';
import {
  newPollerState,
  POLL_PIPELINE,
  POLLER_DIRECTORY,
  pollKey,
  type PollerConfig,
  type PollerState,
  type PollerStop,
  sameConfig,
  stopReasonAt,
} from '../core/poller';
import type { RuntimeDeps } from '../runtime/deps';
import { marketsClosed } from '../pipelines/betfair';
import type { MarketBookOutput } from '../pipelines/betfair/market-book-schema';
import { normalizedKey, readNormalizedDoc } from '../runtime/blob-keys';
import { enqueueJob } from '../runtime/enqueue';
import { buildDeps, closeStore, makeLogger } from '../wiring/env-ports';

const KEY = 'poller';

export class MarketPoller extends DurableObject<Env> {
  private s: PollerState | null | undefined;
  /** The last poll output judged for closed markets: an unchanged book (same hash) is not read again. */
  private judged: { hash: string; stop: PollerStop | null } | null = null;

  private async load(): Promise<PollerState | null> {
    if (this.s === undefined) this.s = (await this.ctx.storage.get<PollerState>(KEY)) ?? null;
    return this.s;
  }

  private async save(s: PollerState): Promise<void> {
    this.s = s;
    await this.ctx.storage.put(KEY, s);
  }

  /** Starts (or restarts) the loop; an identical running poller is returned as it is. The first poll is now. */
  async start(id: string, cfg: PollerConfig, by: string): Promise<{ poller: PollerState; created: boolean }> {
    const prev = await this.load();
    if (prev?.state === 'running' && sameConfig(prev, cfg)) return { poller: prev, created: false };
    const now = Date.now();
    const s = newPollerState(id, cfg, prev, now, by);
    await this.save(s);
    await this.ctx.storage.setAlarm(now);
    await this.directory().register(s);
    return { poller: s, created: true };
  }

  /** Stops the loop: the alarm is deleted, and an alarm already running sees the stopped state and does not re-arm. */
  async stop(reason: string): Promise<PollerState | null> {
    const s = await this.load();
    if (!s) return null;
    if (s.state === 'stopped') return s;
    await this.halt({ cause: 'api', reason });
    return this.s ?? s;
  }

  async status(): Promise<PollerState | null> {
    return this.load();
  }

  override async alarm(): Promise<void> {
    await this.load();
    const s = this.s;
    // A late alarm of a stopped poller (or one with no state) ends here: nothing enqueued, nothing re-armed.
    if (s?.state !== 'running') return;
    const now = Date.now();
    const deps = buildDeps(this.env, { poller_id: s.id });
    try {
      // The previous poll's book with every market closed ends the loop before another provider request.
      const stop = stopReasonAt(s, now) ?? (await this.closedStop(s, deps));
      // A stop or restart that landed while the book was read wins: its state stands, its alarm is its own.
      if (this.s !== s) return;
      if (stop) return await this.halt(stop);
      await this.tick(s, now, deps);
    } finally {
      closeStore(deps.store, (p) => this.ctx.waitUntil(p));
    }
  }

  private async tick(s: PollerState, now: number, deps: RuntimeDeps): Promise<void> {
    // Every check of `live` and the write that depends on it run with no await between them, so a stop() or a
    // restart that lands while this tick awaits is never overwritten, and its alarm never re-armed by this one.
    const at = now + s.interval_ms;
    const next: PollerState = { ...s, next_poll_at: at };
    const live = () => this.s?.state === 'running' && this.s.generation === next.generation;
    await this.save(next);
    // Re-armed before the work: a failing poll must not end the loop.
    if (!live()) return;
    await this.ctx.storage.setAlarm(at);
    const outcome = await this.poll(next, deps);
    const cur = this.s;
    if (!cur || !live()) {
      if (cur?.state === 'stopped') await this.ctx.storage.deleteAlarm();
      return;
    }
    await this.save({ ...cur, ...outcome(cur), last_poll_at: now });
  }

  /** `markets_closed` when the last poll succeeded with every market CLOSED; null while it is unknown. */
  private async closedStop(s: PollerState, deps: RuntimeDeps): Promise<PollerStop | null> {
    if (!s.last_job_id) return null;
    try {
      const job = await deps.store.getJob(s.last_job_id);
      const hash = job?.state === 'succeeded' ? (job.result as { normalized_hash?: unknown } | null)?.normalized_hash : null;
      if (typeof hash !== 'string') return null;
      if (this.judged?.hash === hash) return this.judged.stop;
      const doc = await readNormalizedDoc(deps.blobs, normalizedKey(hash));
      const closed = marketsClosed(doc.payload as MarketBookOutput, s.market_ids);
      const stop: PollerStop | null = closed ? { cause: 'markets_closed', reason: `every market closed (${s.id})` } : null;
      this.judged = { hash, stop };
      return stop;
    } catch (err) {
      // Not knowing is not a stop: the loop polls on and the next tick looks again.
      makeLogger({ poller_id: s.id }, this.env).warn('closed-market check failed', { error: String(err) });
      return null;
    }
  }

  private async poll(s: PollerState, deps: RuntimeDeps): Promise<(cur: PollerState) => Partial<PollerState>> {
    const log = makeLogger({ poller_id: s.id, generation: s.generation }, this.env);
    const key = pollKey(s);
    try {
      const params: Record<string, unknown> = { market_ids: s.id };
      if (s.depth !== null) params.depth = s.depth;
      const { job } = await enqueueJob(
        { ...deps, defaultMaxAttempts: 1 },
        {
          pipeline: POLL_PIPELINE,
          params,
          // A failed poll is not retried: the next tick is the retry, with fresher prices.
          maxAttempts: 1,
          idempotencyKey: key,
          actor: `poller:${s.id}`,
          requestedBy: s.started_by,
          reason: `live poll ${s.polls + 1} of poller ${s.id}`,
        },
      );
      if (job.idempotencyKey !== key) {
        log.info('poll skipped: previous poll still in flight', { job_id: job.id, state: job.state });
        return (cur) => ({ skipped_in_flight: cur.skipped_in_flight + 1 });
      }
      return (cur) => ({ polls: cur.polls + 1, last_job_id: job.id, last_error: null });
    } catch (err) {
      log.warn('poll enqueue failed; the next tick tries again', { error: String(err) });
      return (cur) => ({ enqueue_errors: cur.enqueue_errors + 1, last_error: String(err).slice(0, 500) });
    }
  }

  private async halt(stop: PollerStop): Promise<void> {
    const s = this.s;
    if (!s) return;
    const stopped: PollerState = {
      ...s,
      state: 'stopped',
      stopped_at: Date.now(),
      stop_cause: stop.cause,
      stop_reason: stop.reason,
      next_poll_at: null,
    };
    await this.save(stopped);
    await this.ctx.storage.deleteAlarm();
    await this.directory().register(stopped);
  }

  private directory(): DurableObjectStub<MarketPoller> {
    return this.env.MARKET_POLLER.get(this.env.MARKET_POLLER.idFromName(POLLER_DIRECTORY));
  }

  // ---- the DIRECTORY instance: one row per poller, written on start and stop.

  async register(s: PollerState): Promise<void> {
    await this.ctx.storage.put(`p:${s.id}`, s);
  }

  async list(): Promise<PollerState[]> {
    return [...(await this.ctx.storage.list<PollerState>({ prefix: 'p:' })).values()];
  }
}
