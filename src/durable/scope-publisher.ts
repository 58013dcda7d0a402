/**
 * One instance per (pipeline, scope_key): serializes publication decisions for that scope. blockConcurrencyWhile
 * holds every other request to this object until the decision and its D1 writes are done, so two jobs of the same
 * scope can never both append a publication.
 */
import { DurableObject } from 'cloudflare:workers';
import type { PublishOutcome, PublishRequest } from '../core/ports';
import { publishScope } from '../runtime/publish-scope';
import { blobsOf, closeStore, makeStore, toWire, type WireResult } from '../wiring/env-ports';

export class ScopePublisher extends DurableObject<Env> {
  async publish(req: PublishRequest): Promise<WireResult<PublishOutcome>> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const store = makeStore(this.env);
      try {
        const value = await publishScope(store, blobsOf(this.env), req);
        return { ok: true as const, value };
      } catch (err) {
        return { ok: false as const, error: toWire(err) };
      } finally {
        closeStore(store, (p) => this.ctx.waitUntil(p));
      }
    });
  }
}
