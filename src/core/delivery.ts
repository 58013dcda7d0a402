/**
 * Push delivery (the transactional outbox), pure parts: records, the retry policy, and the outbound allow-list.
 * Ordering rule: deliveries of one (subscription, pipeline, scope_key) form a stream in publication-sequence order,
 * and only its head (the oldest delivery not yet delivered) is ever sent. A dead head holds the stream back until it
 * is redelivered, so a later publication of a scope never arrives before an earlier one.
 */

/**
 * `canceled`: its subscription was deleted while it was pending or dead. Final: it is never sent nor redelivered
 * (the subscriber that wanted it is gone), but stays visible as the record of what was not delivered.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'canceled';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead', 'canceled'];
/** Statuses that still belong to their stream: a stream's head is its oldest delivery in one of these. */
export const OPEN_DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'dead'];

export interface Subscription {
  id: string;
  url: string;
  description: string | null;
  /** Pipelines wanted; empty = every pipeline. */
  pipelines: string[];
  /** `<pipeline> <scope_key>` entries wanted; empty = every scope of the wanted pipelines. */
  scopeFilter: string[];
  /** Never leaves the adapter: serializers drop it. */
  secret: string;
  enabled: boolean;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Delivery {
  /** The Standard Webhooks `webhook-id`, stable across attempts. */
  id: string;
  subscriptionId: string;
  publicationId: string;
  pipeline: string;
  scopeKey: string;
  sequence: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastEnqueuedAt: number | null;
  lastAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  /** Publication to acknowledged delivery, ms. */
  latencyMs: number | null;
  /** The successful request's own duration, ms. */
  durationMs: number | null;
  createdAt: number;
}

export interface DeliveryPolicy {
  maxAttempts: number;
  baseRetrySec: number;
  maxRetrySec: number;
  timeoutMs: number;
  /** Entries `host`, `host:port` or `*.domain` (any port unless given). Empty: no HTTP target is allowed. */
  allowedHosts: string[];
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 8,
  baseRetrySec: 10,
  maxRetrySec: 3600,
  timeoutMs: 10_000,
  allowedHosts: [],
};

/** `<pipeline> <scope_key>`: scope keys are URI-encoded, so they never contain a space. */
export const scopeFilterEntry = (pipeline: string, scopeKey: string) => `${pipeline} ${scopeKey}`;

export function subscriptionMatches(
  s: Pick<Subscription, 'enabled' | 'pipelines' | 'scopeFilter'>,
  pipeline: string,
  scopeKey: string,
): boolean {
  if (!s.enabled) return false;
  if (s.pipelines.length > 0 && !s.pipelines.includes(pipeline)) return false;
  return s.scopeFilter.length === 0 || s.scopeFilter.includes(scopeFilterEntry(pipeline, scopeKey));
}

/**
 * Delay before the next attempt: capped exponential backoff with full jitter over its upper half, or the
 * receiver's Retry-After when it gave one (capped too, so a hostile header cannot park a stream for days).
 */
export function retryDelaySec(policy: DeliveryPolicy, attempts: number, retryAfterSec: number | null, random: () => number): number {
  if (retryAfterSec !== null) return Math.min(policy.maxRetrySec, Math.max(1, Math.ceil(retryAfterSec)));
  const ceiling = Math.min(policy.maxRetrySec, policy.baseRetrySec * 2 ** Math.max(0, attempts - 1));
  return Math.max(1, Math.round(ceiling / 2 + (ceiling / 2) * random()));
}

/** Retry-After as seconds (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}

export type AttemptResult =
  | { kind: 'delivered'; status: number; durationMs: number }
  | { kind: 'retry'; status: number | null; error: string; retryAfterSec: number | null }
  | { kind: 'rejected'; status: number; error: string };

/** 2xx delivered; 408, 429 and 5xx (and no answer at all) are retried; any other 4xx is the receiver refusing. */
export function classifyStatus(status: number): 'delivered' | 'retry' | 'rejected' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

export type TargetCheck = { ok: true; kind: 'http' | 'service'; binding?: string } | { ok: false; reason: string };

/** Whether a subscription URL may be called: http(s) to an allowed host, or `service:<BINDING>`. */
export function checkTarget(target: string, allowedHosts: readonly string[], serviceBindings: readonly string[] = []): TargetCheck {
  const svc = /^service:([A-Z][A-Z0-9_]{0,63})$/.exec(target);
  if (svc) {
    return serviceBindings.includes(svc[1]!)
      ? { ok: true, kind: 'service', binding: svc[1]! }
      : { ok: false, reason: `service binding ${svc[1]} is not configured for delivery (DELIVERY_SERVICE_BINDINGS)` };
  }
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    return { ok: false, reason: 'not a URL (http(s)://host/path or service:<BINDING>)' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, reason: `scheme ${u.protocol} is not allowed` };
  if (u.username || u.password) return { ok: false, reason: 'credentials in the URL are not allowed' };
  const host = u.hostname.toLowerCase();
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const allowed = allowedHosts.some((entry) => {
    const [h, p] = entry.toLowerCase().split(/:(?=[^:]*$)/) as [string, string | undefined];
    if (p !== undefined && p !== '*' && p !== port) return false;
    return h.startsWith('*.') ? host.endsWith(h.slice(1)) && host.length > h.length - 1 : host === h;
  });
  return allowed ? { ok: true, kind: 'http' } : { ok: false, reason: `host ${host}:${port} is not in DELIVERY_ALLOWED_HOSTS` };
}

/** The body each delivery carries: the publication's stored envelope, unchanged. */
export const DELIVERY_CONTENT_TYPE = 'application/json';
