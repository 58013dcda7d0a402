/**
 * /internal/v1/pollers: start, list, inspect and stop Betfair live pollers (one MarketPoller Durable Object per
 * market set, src/durable/market-poller.ts). Starting the same set again with the same settings returns the
 * running poller; with other settings it restarts it.
 */
import { Hono, type Context } from 'hono';
import { POLLER_DIRECTORY, type PollerState } from '../../core/poller';
import { marketSetOf } from '../../pipelines/betfair';
import { getConfig } from '../../wiring/env-ports';
import { HttpError } from './errors';
import { callerOf, readJsonObject, requireRole, type AppEnv } from './middleware';
import { PollerIdParam, StartPollerBody, StopPollerBody } from './poller-schemas';
import { fieldErrors } from './query';

export const pollerRoutes = new Hono<AppEnv>();

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

function stub(c: Context<AppEnv>, name: string) {
  return c.env.MARKET_POLLER.get(c.env.MARKET_POLLER.idFromName(name));
}

function pollerJson(s: PollerState) {
  return {
    id: s.id,
    pipeline: 'betfair.market_book',
    market_ids: s.market_ids,
    state: s.state,
    interval_ms: s.interval_ms,
    depth: s.depth,
    max_polls: s.max_polls,
    until: iso(s.until),
    generation: s.generation,
    started_at: iso(s.started_at),
    started_by: s.started_by,
    stopped_at: iso(s.stopped_at),
    stop_cause: s.stop_cause ?? null,
    stop_reason: s.stop_reason,
    polls: s.polls,
    skipped_in_flight: s.skipped_in_flight,
    enqueue_errors: s.enqueue_errors,
    last_poll_at: iso(s.last_poll_at),
    last_job_id: s.last_job_id,
    last_error: s.last_error,
    next_poll_at: iso(s.next_poll_at),
  };
}

function idParam(c: Context<AppEnv>): string {
  const id = PollerIdParam.safeParse(c.req.param('id'));
  if (!id.success) throw new HttpError(400, 'INVALID_POLLER_ID', 'invalid poller id', { fields: { id: [id.error.issues[0]!.message] } });
  return id.data;
}

pollerRoutes.post('/', requireRole('operator'), async (c) => {
  const parsed = StartPollerBody.safeParse(await readJsonObject(c));
  if (!parsed.success) throw new HttpError(400, 'INVALID_REQUEST', 'invalid poller request', { fields: fieldErrors(parsed.error) });
  const b = parsed.data;
  const until = b.until ? Date.parse(b.until) : null;
  if (until !== null && until <= Date.now())
    throw new HttpError(400, 'INVALID_REQUEST', 'until is in the past', { fields: { until: ['must be in the future'] } });
  // One poller per market set, whatever order the ids came in: its id is the canonical set.
  const id = marketSetOf(b.market_ids);
  const cfg = {
    market_ids: id.split(','),
    interval_ms: b.interval_ms ?? getConfig(c.env).pollIntervalMs,
    depth: b.depth ?? null,
    max_polls: b.max_polls ?? null,
    until,
  };
  const { poller, created } = await stub(c, id).start(id, cfg, callerOf(c).name);
  c.get('log').info(created ? 'poller started' : 'poller already running', { poller_id: id, interval_ms: cfg.interval_ms });
  return c.json({ poller: pollerJson(poller), created }, created ? 201 : 200);
});

pollerRoutes.get('/', async (c) => {
  // The directory knows which pollers exist; each poller knows its own counters, so they are read fresh.
  const known = await stub(c, POLLER_DIRECTORY).list();
  const fresh = await Promise.all(known.map(async (k) => (await stub(c, k.id).status()) ?? k));
  return c.json({ pollers: fresh.sort((a, b) => (a.id < b.id ? -1 : 1)).map(pollerJson) });
});

pollerRoutes.get('/:id', async (c) => {
  const id = idParam(c);
  const s = await stub(c, id).status();
  if (!s) throw new HttpError(404, 'POLLER_NOT_FOUND', `no poller ${id}`);
  return c.json({ poller: pollerJson(s) });
});

pollerRoutes.post('/:id/stop', requireRole('operator'), async (c) => {
  const id = idParam(c);
  const raw = c.req.header('content-length') === '0' || !c.req.header('content-type') ? {} : await readJsonObject(c);
  const body = StopPollerBody.safeParse(raw);
  if (!body.success) throw new HttpError(400, 'INVALID_REQUEST', 'invalid stop request', { fields: fieldErrors(body.error) });
  const reason = body.data.reason ?? `stopped by ${callerOf(c).name}`;
  const s = await stub(c, id).stop(reason);
  if (!s) throw new HttpError(404, 'POLLER_NOT_FOUND', `no poller ${id}`);
  c.get('log').info('poller stopped', { poller_id: id, reason: s.stop_reason });
  return c.json({ poller: pollerJson(s) });
});
