/**
 * Block and challenge recognition. Since 2025 Cloudflare answers plain HTTP on `/{loc}/event/*` with a 403
 * "Just a moment..." page (dossier §1 Access, [LIVE MW, JF]); listings still answer 200. A login wall or a
 * Laravel "Unauthenticated." answer is also a block. Parsers refuse such bodies: a block is never an empty result.
 */
import type { FetchedResource } from '../../../core/pipeline';
import { detectChallengePage } from '../../../core/block-detection';
import { NonRetryableError } from '../../../core/errors';

/**
 * The profile's `detectBlock` and the parsers' refusal: the shared challenge-page list (src/core/block-detection.ts)
 * plus what is Smoothcomp's own (Laravel's "Unauthenticated." and CSRF answers, its login wall).
 */
export function detectSmoothcompBlock(status: number, contentType: string | null, body: string): string | null {
  return detectChallengePage(body) ?? smoothcompOwnBlock(status, contentType, body);
}

function smoothcompOwnBlock(status: number, contentType: string | null, body: string): string | null {
  const head = body.length > 20000 ? body.slice(0, 20000) : body;
  const isJson = (contentType ?? '').includes('json') || /^\s*[{[]/.test(head);
  if (isJson && /"(error|message)"\s*:\s*"Unauthenticated\."/.test(head)) return 'login required (Unauthenticated.)';
  if (status === 419 || /CSRF token mismatch|<title>\s*Page Expired/i.test(head)) return 'session expired (CSRF token mismatch)';
  if (!isJson && isLoginWall(head)) return 'login wall';
  return null;
}

function isLoginWall(html: string): boolean {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? '';
  const loginTitle = /^\s*(log\s*in|login|sign\s*in)\b/i.test(title);
  const loginForm = /<form[^>]*action=["'][^"']*\/login["'][^>]*>[\s\S]*?type=["']password["']/i.test(html);
  return loginForm && (loginTitle || !/<script[^>]*application\/ld\+json/i.test(html));
}

/** Throws PROVIDER_BLOCKED when a fetched body is a challenge page (the transport's list) or Smoothcomp's own block. */
export function refuseBlocked(res: FetchedResource): void {
  const reason = detectSmoothcompBlock(res.status, res.contentType, res.body);
  if (reason) {
    throw new NonRetryableError('PROVIDER_BLOCKED', 'provider', `${res.resourceType} ${res.url}: ${reason}`, {
      details: { resourceType: res.resourceType, resourceKey: res.resourceKey, status: res.status, reason },
    });
  }
}

/** Parses a JSON body after refusing block pages; a non-JSON body is drift. */
export function jsonBody(res: FetchedResource): unknown {
  refuseBlocked(res);
  try {
    return JSON.parse(res.body);
  } catch {
    throw new NonRetryableError('SMOOTHCOMP_NOT_JSON', 'parse', `${res.resourceType} ${res.url}: body is not JSON`, {
      details: { status: res.status, head: res.body.slice(0, 120) },
    });
  }
}

export function findResource(fetched: readonly FetchedResource[], type: string, key?: string): FetchedResource | undefined {
  return fetched.find((r) => r.resourceType === type && (key === undefined || r.resourceKey === key));
}

export function requireResource(fetched: readonly FetchedResource[], type: string, key?: string): FetchedResource {
  const r = findResource(fetched, type, key);
  if (!r) throw new NonRetryableError('SMOOTHCOMP_MISSING_RESOURCE', 'internal', `missing ${type}${key ? `:${key}` : ''}`);
  return r;
}
