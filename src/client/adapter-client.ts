/**
 * Typed client of the adapter's internal API, for a Nest (or any Node/Workers) service: no runtime dependency
 * beyond `fetch`, types taken from the code that produces the wire shapes so they cannot drift.
 *
 *   const adapter = new AdapterClient({ baseUrl: 'https://adapter.internal', token: process.env.ADAPTER_TOKEN! });
 *   const env = await adapter.latest('liverc.event_deep', { track_slug: 'canberraoffroad', event_id: '486677' });
 */
import type { z } from 'zod';
import type { anyEnvelopeSchema } from '../core/envelope-schema';
import type { jobJson, publicationJson } from '../worker/http/serialize';
import type { deliveryJson, subscriptionJson } from '../worker/http/serialize-deliveries';

export { verifyDelivery, WebhookVerificationError, type VerifiedDelivery } from './webhooks';

export type Envelope<Payload = unknown> = Omit<z.infer<typeof anyEnvelopeSchema>, 'payload'> & { payload: Payload };
export type JobStatus = ReturnType<typeof jobJson>;
export type PublicationSummary = ReturnType<typeof publicationJson>;
export type SubscriptionInfo = ReturnType<typeof subscriptionJson>;
export type DeliveryInfo = ReturnType<typeof deliveryJson>;

/** A push subscription: `url` an allowed https host of the adapter (or `service:<BINDING>`), `secret` `whsec_...`. */
export interface SubscriptionRequest {
  url: string;
  secret: string;
  /** Pipelines wanted (all when empty); `scopes` their scope params (all scopes when empty). */
  pipelines?: string[];
  scopes?: Array<Record<string, string | number>>;
  description?: string | null;
  enabled?: boolean;
}
/** Scope filters of one scope; `{}` is the global scope; `'any'` the pipeline's latest of any scope. */
export type ScopeSelector = Record<string, string | number> | 'any';

export interface AdapterClientOptions {
  /** Origin of the adapter Worker, e.g. `https://adapter.example.internal` (the `/internal/v1` prefix is added). */
  baseUrl: string;
  token: string;
  /** A `fetch` to use (a service binding's `fetch`, or a test double); the global one by default. */
  fetch?: (req: Request) => Promise<Response>;
}

/** A 4xx/5xx answer: the API's machine-readable code, message and details (`details.fields` names bad fields). */
export class AdapterApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'AdapterApiError';
  }
}

export interface EnqueueRequest {
  pipeline: string;
  params?: Record<string, unknown>;
  /** Stripe-style: a replay returns the job it created; the key reused for another request is a 409. */
  idempotencyKey?: string;
  force?: boolean;
  mode?: 'fetch' | 'replay';
  maxAttempts?: number;
}

export class AdapterClient {
  private readonly base: string;
  private readonly doFetch: (req: Request) => Promise<Response>;

  constructor(private readonly opts: AdapterClientOptions) {
    this.base = `${opts.baseUrl.replace(/\/+$/, '')}/internal/v1`;
    this.doFetch = opts.fetch ?? ((req) => fetch(req));
  }

  private async call(path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.opts.token}`);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    const res = await this.doFetch(
      new Request(`${this.base}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      }),
    );
    if (res.status >= 400) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null;
      throw new AdapterApiError(
        res.status,
        body?.error?.code ?? 'HTTP_ERROR',
        body?.error?.message ?? res.statusText,
        body?.error?.details,
      );
    }
    return res;
  }

  private static scopeQuery(pipeline: string, scope: ScopeSelector): URLSearchParams {
    const q = new URLSearchParams({ pipeline });
    if (scope === 'any') q.set('scope', 'any');
    else for (const [k, v] of Object.entries(scope)) q.set(k, String(v));
    return q;
  }

  /** The latest effective envelope of a scope, or null when it has none. */
  async latest<Payload = unknown>(pipeline: string, scope: ScopeSelector = {}): Promise<Envelope<Payload> | null> {
    return (await this.latestIfChanged<Payload>(pipeline, scope)).envelope;
  }

  /** Conditional poll: with the ETag of the envelope held, answers `{changed: false}` without a body when unchanged. */
  async latestIfChanged<Payload = unknown>(
    pipeline: string,
    scope: ScopeSelector = {},
    etag?: string,
  ): Promise<{ changed: boolean; envelope: Envelope<Payload> | null; etag: string | null }> {
    try {
      const res = await this.call(`/publications/latest?${AdapterClient.scopeQuery(pipeline, scope)}`, {
        headers: etag ? { 'if-none-match': etag } : {},
      });
      if (res.status === 304) return { changed: false, envelope: null, etag: etag ?? null };
      return { changed: true, envelope: (await res.json()) as Envelope<Payload>, etag: res.headers.get('etag') };
    } catch (err) {
      if (err instanceof AdapterApiError && err.code === 'PUBLICATION_NOT_FOUND') return { changed: true, envelope: null, etag: null };
      throw err;
    }
  }

  async publication<Payload = unknown>(id: string): Promise<Envelope<Payload>> {
    return (await (await this.call(`/publications/${encodeURIComponent(id)}`)).json()) as Envelope<Payload>;
  }

  /** A scope's publications, newest first; pass `next_cursor` back as `cursor` for the next page. */
  async history(
    pipeline: string,
    scope: Record<string, string | number>,
    page: { limit?: number; cursor?: string } = {},
  ): Promise<{ scope_key: string; publications: PublicationSummary[]; next_cursor: string | null }> {
    const q = AdapterClient.scopeQuery(pipeline, scope);
    if (page.limit !== undefined) q.set('limit', String(page.limit));
    if (page.cursor) q.set('cursor', page.cursor);
    return (await (await this.call(`/publications?${q}`)).json()) as {
      scope_key: string;
      publications: PublicationSummary[];
      next_cursor: string | null;
    };
  }

  async job(id: string): Promise<JobStatus> {
    return ((await (await this.call(`/jobs/${encodeURIComponent(id)}`)).json()) as { job: JobStatus }).job;
  }

  /** Push delivery: needs an operator token. The secret is write-only (no answer carries it). */
  async createSubscription(r: SubscriptionRequest): Promise<SubscriptionInfo> {
    return ((await (await this.call('/subscriptions', { method: 'POST', json: r })).json()) as { subscription: SubscriptionInfo })
      .subscription;
  }

  async subscriptions(): Promise<SubscriptionInfo[]> {
    return ((await (await this.call('/subscriptions')).json()) as { subscriptions: SubscriptionInfo[] }).subscriptions;
  }

  async updateSubscription(id: string, patch: Partial<SubscriptionRequest>): Promise<SubscriptionInfo> {
    return (
      (await (await this.call(`/subscriptions/${encodeURIComponent(id)}`, { method: 'PATCH', json: patch })).json()) as {
        subscription: SubscriptionInfo;
      }
    ).subscription;
  }

  /** Deletes a subscription; its pending and dead deliveries become `canceled` (never sent, never redelivered). */
  async deleteSubscription(id: string): Promise<{ deleted: string; canceled_deliveries: number }> {
    return (await (await this.call(`/subscriptions/${encodeURIComponent(id)}`, { method: 'DELETE' })).json()) as {
      deleted: string;
      canceled_deliveries: number;
    };
  }

  /** Delivery state, newest first: of one subscription, one publication, or all; optionally by status. */
  async deliveries(
    f: { subscriptionId?: string; publicationId?: string; status?: 'pending' | 'delivered' | 'dead'; limit?: number; cursor?: string } = {},
  ): Promise<{ deliveries: DeliveryInfo[]; next_cursor: string | null }> {
    const q = new URLSearchParams();
    if (f.status) q.set('status', f.status);
    if (f.limit !== undefined) q.set('limit', String(f.limit));
    if (f.cursor) q.set('cursor', f.cursor);
    const path = f.publicationId
      ? `/publications/${encodeURIComponent(f.publicationId)}/deliveries`
      : f.subscriptionId
        ? `/subscriptions/${encodeURIComponent(f.subscriptionId)}/deliveries`
        : '/deliveries';
    const qs = q.toString();
    return (await (await this.call(qs ? `${path}?${qs}` : path)).json()) as { deliveries: DeliveryInfo[]; next_cursor: string | null };
  }

  /** Sends one delivery again (dead or delivered), same webhook-id. */
  async redeliver(deliveryId: string): Promise<DeliveryInfo> {
    return (
      (await (await this.call(`/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { method: 'POST' })).json()) as {
        delivery: DeliveryInfo;
      }
    ).delivery;
  }

  /** Redelivers dead deliveries in bulk (of one subscription or pipeline, oldest first). */
  async redeliverDead(
    f: { subscriptionId?: string; pipeline?: string; limit?: number } = {},
  ): Promise<{ redelivered: number; delivery_ids: string[] }> {
    const json = { subscription_id: f.subscriptionId, pipeline: f.pipeline, limit: f.limit };
    return (await (await this.call('/deliveries/redeliver', { method: 'POST', json })).json()) as {
      redelivered: number;
      delivery_ids: string[];
    };
  }

  async enqueue(r: EnqueueRequest): Promise<{ job: JobStatus; deduplicated: boolean }> {
    const json = {
      pipeline: r.pipeline,
      params: r.params ?? {},
      idempotency_key: r.idempotencyKey,
      force: r.force,
      mode: r.mode,
      max_attempts: r.maxAttempts,
    };
    return (await (await this.call('/jobs', { method: 'POST', json })).json()) as { job: JobStatus; deduplicated: boolean };
  }
}
