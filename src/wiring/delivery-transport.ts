/**
 * Push delivery's edge ports (re-exported by env-ports, the one module the edges build ports from): the deliveries
 * queue and the outbound transport (http(s) fetch or a service binding).
 */
import type { DeliveryQueue, DeliveryTransport } from '../core/delivery-ports';

export interface DeliveryMessage {
  delivery_id: string;
}

export class CloudflareDeliveryQueue implements DeliveryQueue {
  constructor(private readonly queue: Queue<DeliveryMessage> | undefined) {}

  async send(deliveryId: string, delaySec?: number): Promise<void> {
    if (!this.queue) throw new Error('binding DELIVERIES_QUEUE is missing');
    await this.queue.send(
      { delivery_id: deliveryId },
      delaySec ? { delaySeconds: Math.min(43_200, Math.max(0, Math.round(delaySec))) } : undefined,
    );
  }

  async sendMany(ids: string[]): Promise<void> {
    if (!this.queue) throw new Error('binding DELIVERIES_QUEUE is missing');
    for (let i = 0; i < ids.length; i += 100)
      await this.queue.sendBatch(ids.slice(i, i + 100).map((id) => ({ body: { delivery_id: id } })));
  }
}

/**
 * Outbound delivery requests: `fetch` for http(s) targets (redirects are not followed, so an allowed host cannot
 * bounce a request elsewhere) or a service binding's `fetch` for `service:<BINDING>` targets (Worker consumers).
 */
export function deliveryTransport(env: Env): DeliveryTransport {
  return {
    async send(req) {
      const init: RequestInit = {
        method: 'POST',
        headers: req.headers,
        body: req.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(req.timeoutMs),
      };
      const svc = /^service:([A-Z][A-Z0-9_]*)$/.exec(req.target);
      let res: Response;
      if (svc) {
        const binding = (env as unknown as Record<string, { fetch?: Fetcher['fetch'] } | undefined>)[svc[1]!];
        if (typeof binding?.fetch !== 'function') throw new Error(`service binding ${svc[1]} is not bound`);
        res = await binding.fetch(new Request('https://service-binding.internal/deliveries', init));
      } else {
        res = await fetch(req.target, init);
      }
      await res.body?.cancel();
      return { status: res.status, retryAfter: res.headers.get('retry-after') };
    },
  };
}
