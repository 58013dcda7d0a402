/**
 * Subscription request bodies: the zod schemas (also the OpenAPI document's source) and the checks zod cannot
 * express: the target against DELIVERY_ALLOWED_HOSTS, registered pipelines, scopes turned into scope keys, and a
 * Standard Webhooks secret that the library accepts.
 */
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { checkTarget, DELIVERY_STATUSES, scopeFilterEntry } from '../../core/delivery';
import type { DeliveryConfig } from '../../core/delivery-config';
import { deriveScopeKey } from '../../core/scope-key';
import { getPipeline } from '../../pipelines/registry';
import { requirePipeline } from '../../runtime/lookups';
import { MAX_PARAM_CHARS } from '../../runtime/validate-params';
import { HttpError } from './errors';
import { cursorParam, limitParam } from './query';

const scopeValue = z.union([z.string().min(1).max(MAX_PARAM_CHARS), z.number().int()]);

const fields = {
  url: z.string().min(1).max(2000),
  description: z.string().max(500).nullable(),
  /** Empty or absent: every pipeline. */
  pipelines: z.array(z.string().min(1).max(100)).max(50),
  /** Scope params of the wanted pipelines (`{}` is the global scope); absent or empty: every scope. */
  scopes: z.array(z.record(z.string().max(100), scopeValue)).max(200),
  /** `whsec_` + base64 of 24-64 random bytes. Write-only: never returned. */
  secret: z.string().min(30).max(200),
  enabled: z.boolean(),
};

export const CreateSubscriptionBody = z.strictObject({
  url: fields.url,
  secret: fields.secret,
  description: fields.description.optional(),
  pipelines: fields.pipelines.default([]),
  scopes: fields.scopes.default([]),
  enabled: fields.enabled.default(true),
});

export const UpdateSubscriptionBody = z.strictObject({
  url: fields.url.optional(),
  secret: fields.secret.optional(),
  description: fields.description.optional(),
  pipelines: fields.pipelines.optional(),
  scopes: fields.scopes.optional(),
  enabled: fields.enabled.optional(),
});

export const BulkRedeliverBody = z.strictObject({
  subscription_id: z.uuid().optional(),
  pipeline: z.string().min(1).max(100).optional(),
  created_from: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).default(500),
});

export const ListDeliveriesQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  subscription_id: z.uuid().optional(),
  publication_id: z.uuid().optional(),
  cursor: cursorParam.optional(),
  limit: limitParam,
});

const bad = (code: string, field: string, message: string) => new HttpError(400, code, message, { field, fields: { [field]: [message] } });

export function checkUrl(url: string, cfg: DeliveryConfig): void {
  const r = checkTarget(url, cfg.allowedHosts, cfg.serviceBindings);
  if (!r.ok) throw bad('TARGET_NOT_ALLOWED', 'url', `url refused: ${r.reason}`);
}

export function checkSecret(secret: string): void {
  let ok = secret.startsWith('whsec_');
  if (ok) {
    try {
      new Webhook(secret);
      ok = atob(secret.slice(6)).length >= 24;
    } catch {
      ok = false;
    }
  }
  if (!ok) throw bad('INVALID_SECRET', 'secret', 'secret must be "whsec_" followed by base64 of at least 24 random bytes');
}

export function checkPipelines(names: string[]): void {
  names.forEach((n, i) => {
    const field = `pipelines.${i}`;
    requirePipeline(n, { details: { field, fields: { [field]: [`pipeline "${n}" is not registered`] } } });
  });
}

/** Scope filter entries (`<pipeline> <scope_key>`) for every (pipeline, scope) pair, keys derived canonically. */
export function scopeFilterOf(pipelines: string[], scopes: Array<Record<string, string | number>>): string[] {
  if (scopes.length === 0) return [];
  if (pipelines.length === 0) throw bad('PIPELINES_REQUIRED', 'pipelines', 'scopes need the pipelines they belong to');
  const out = new Set<string>();
  scopes.forEach((scope, i) => {
    for (const name of pipelines) {
      const p = getPipeline(name)!;
      const unknown = Object.keys(scope).find((k) => !p.scopeParams.includes(k));
      if (unknown)
        throw bad(
          'INVALID_SCOPE',
          `scopes.${i}.${unknown}`,
          `${unknown} is not a scope param of ${name} (scope params: ${p.scopeParams.join(', ') || 'none'})`,
        );
      out.add(scopeFilterEntry(name, deriveScopeKey(p.scopeParams, scope)));
    }
  });
  return [...out];
}
