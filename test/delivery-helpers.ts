/** Push-delivery test helpers: the loopback receiver's control API, secrets, and a hand-driven delivery queue. */
import { env } from 'cloudflare:workers';
import type { DeliveryQueue } from '../src/core/delivery-ports';
import type { Store } from '../src/core/ports';
import { expect } from 'vitest';
import type { DeliveryDeps } from '../src/runtime/deliveries/deps';
import { relayDeliveries } from '../src/runtime/deliveries/relay';
import { deliverOne } from '../src/runtime/deliveries/send';
import { buildDeliveryDeps } from '../src/wiring/env-ports';
import { api, type Clock } from './helpers';

export interface Receipt {
  name: string;
  webhookId: string;
  timestamp: string;
  verified: boolean;
  status: number;
  body: string;
}

const control = async (path: string, body?: unknown) => {
  const res = await fetch(
    `${env.RECEIVER_CONTROL_URL}/__control/${path}`,
    body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
  );
  if (!res.ok) throw new Error(`receiver control ${path}: ${res.status}`);
  return res;
};

export const receiver = {
  url: (name: string) => `${env.RECEIVER_CONTROL_URL}/hook/${name}`,
  reset: () => control('reset', {}),
  secret: (name: string, secret: string) => control('secret', { name, secret }),
  /** The next `fail` requests to /hook/<name> answer `status` (503 by default), with Retry-After when given. */
  behaviour: (name: string, b: { fail: number; status?: number; retryAfter?: number; hangMs?: number }) =>
    control('behaviour', { name, ...b }),
  log: async (): Promise<Receipt[]> => ((await (await control('log')).json()) as { requests: Receipt[] }).requests,
};

export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/** A delivery queue held in memory, each message with the clock time it becomes due. */
export class ManualDeliveryQueue implements DeliveryQueue {
  messages: Array<{ id: string; due: number }> = [];
  constructor(private readonly clock: Clock) {}
  async send(id: string, delaySec?: number) {
    this.messages.push({ id, due: this.clock.now() + (delaySec ?? 0) * 1000 });
  }
  async sendMany(ids: string[]) {
    for (const id of ids) await this.send(id);
  }
  /** Removes and returns the first due message, if any. */
  take(): string | null {
    const i = this.messages.findIndex((m) => m.due <= this.clock.now());
    return i < 0 ? null : this.messages.splice(i, 1)[0]!.id;
  }
  nextDue(): number | null {
    return this.messages.length ? Math.min(...this.messages.map((m) => m.due)) : null;
  }
}

/** Real D1, R2, transport and signing; the manual queue and clock; configuration overridable per test. */
export function manualDeliveryDeps(
  store: Store,
  clock: Clock,
  queue: ManualDeliveryQueue,
  config: Partial<DeliveryDeps['config']> = {},
): DeliveryDeps {
  const base = buildDeliveryDeps(env, store);
  return { ...base, queue, now: clock.now, random: () => 0.5, config: { ...base.config, ...config } };
}

/** Every envelope a receiver accepted (2xx, verified), deduplicated by webhook-id; throws if one id's content differs. */
export function acceptedOnce(log: Receipt[], name: string): Map<string, Record<string, any>> {
  const out = new Map<string, Record<string, any>>();
  const raw = new Map<string, string>();
  for (const r of log) {
    if (r.name !== name || r.status >= 300 || !r.verified) continue;
    const seen = raw.get(r.webhookId);
    if (seen !== undefined && seen !== r.body) throw new Error(`webhook-id ${r.webhookId} arrived with different content`);
    if (seen === undefined) {
      raw.set(r.webhookId, r.body);
      out.set(r.webhookId, JSON.parse(r.body) as Record<string, any>);
    }
  }
  return out;
}

/** A subscription over the API to the receiver's /hook/<name> (`svc`: the RECEIVER_SVC service binding); its id. */
export async function subscribeTo(name: string, pipelines: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const secret = newSecret();
  await receiver.secret(name, secret);
  const url = name === 'svc' ? 'service:RECEIVER_SVC' : receiver.url(name);
  const res = await api('/subscriptions', { method: 'POST', json: { url, secret, pipelines, ...extra } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { subscription: { id: string } }).subscription.id;
}

/**
 * Delivers due messages one by one; with nothing due, jumps to the next message or past the relay window. Stops
 * when no delivery is pending (or after `maxSteps`); returns how many sends crashed (an `afterSend` that threw).
 */
export async function drain(dd: DeliveryDeps, q: ManualDeliveryQueue, c: Clock, opts: { maxSteps?: number } = {}): Promise<number> {
  let crashes = 0;
  for (let step = 0; step < (opts.maxSteps ?? 1000); step++) {
    const id = q.take();
    if (id) {
      // A crashed consumer loses its message: only the relay can bring the delivery back.
      await deliverOne(dd, id).catch(() => {
        crashes++;
      });
      continue;
    }
    const pending = await env.DB.prepare(`SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'pending'`).first<{ n: number }>();
    if (!pending?.n) return crashes;
    const next = q.nextDue();
    if (next !== null) c.t = Math.max(c.t, next);
    else {
      c.advance(61_000);
      await relayDeliveries(dd);
    }
  }
  if (opts.maxSteps === undefined) throw new Error('deliveries did not drain');
  return crashes;
}
