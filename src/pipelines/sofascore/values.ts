/** Readers for SofaScore JSON values: ids become strings, unix seconds become UTC ISO strings. */
import { NonRetryableError, RetryableError } from '../../core/errors';
import type { FetchedResource } from '../../core/pipeline';
import { detectSofascoreBlock, SOFASCORE_BLOCKED_RETRY_SEC } from './provider';

export type Obj = Record<string, unknown>;

export const obj = (v: unknown): Obj | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
export const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
export const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/** A positive integer id (number or digit string) as a decimal string; anything else is null. */
export function id(v: unknown): string | null {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return String(v);
  if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return String(Number(v));
  return null;
}

/** Unix seconds to `YYYY-MM-DDTHH:MM:SS.sssZ`; SofaScore sends 0 or nothing for "unknown". */
export function isoFromUnix(v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return null;
  return new Date(v * 1000).toISOString();
}

/**
 * Parses a SofaScore JSON body; an unknown id (404) is NOT_FOUND, a challenge body (met in a replay or an audit:
 * the transport stops live ones first) is PROVIDER_BLOCKED, another status or anything not JSON is drift.
 */
export function jsonBody(res: FetchedResource, what: string): Obj {
  const blocked = detectSofascoreBlock(res.status, res.contentType, res.body);
  if (blocked) {
    throw new RetryableError('PROVIDER_BLOCKED', 'provider', `${res.resourceType} ${res.url}: ${blocked}`, {
      retryAfterSec: SOFASCORE_BLOCKED_RETRY_SEC,
      details: { status: res.status },
    });
  }
  if (res.status === 404 || res.status === 410) {
    throw new NonRetryableError('NOT_FOUND', 'provider', `SofaScore has no ${what} (${res.status} for ${res.url})`, {
      details: { resourceType: res.resourceType, resourceKey: res.resourceKey, status: res.status },
    });
  }
  if (res.status !== 200)
    throw new NonRetryableError('SOFASCORE_STATUS', 'parse', `${res.resourceType} ${res.url} answered ${res.status}`, {
      details: { status: res.status },
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    throw new NonRetryableError('SOFASCORE_NOT_JSON', 'parse', `${res.resourceType} ${res.url}: body is not JSON`, {
      details: { status: res.status, head: res.body.slice(0, 120) },
    });
  }
  const o = obj(parsed);
  if (!o) throw new NonRetryableError('SOFASCORE_SHAPE', 'parse', `${res.resourceType} ${res.url}: top level is not an object`);
  return o;
}

export function requireResource(fetched: readonly FetchedResource[], type: string): FetchedResource {
  const r = fetched.find((f) => f.resourceType === type);
  if (!r) throw new NonRetryableError('SOFASCORE_MISSING_RESOURCE', 'internal', `missing ${type}`);
  return r;
}

export function shapeError(what: string, field: string): NonRetryableError {
  return new NonRetryableError('SOFASCORE_SHAPE', 'parse', `${what}: ${field} missing or not of the expected type`, { details: { field } });
}
