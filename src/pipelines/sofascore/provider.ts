/**
 * The SofaScore provider profile. SofaScore answers automated clients with `403 {"error":{"reason":"challenge"}}`
 * and bans by IP and TLS fingerprint, so politeness is the whole game: one request every 5 s fleet-wide, no burst
 * (override with PROVIDER_RATE_SOFASCORE). A challenge is PROVIDER_BLOCKED and retryable, but only after a long
 * delay (30 min; PROVIDER_BLOCKED_RETRY_SEC_SOFASCORE): a challenge does not clear in seconds, and hammering it is
 * how the ban gets longer. See docs/sofascore-pipelines.md.
 */
import type { ProviderProfile } from '../../core/provider';

export const SOFASCORE_API = 'https://www.sofascore.com/api/v1';
export const SOFASCORE_RATE_PER_SEC = 0.2;
export const SOFASCORE_BLOCKED_RETRY_SEC = 1800;

/** The JSON challenge answer (any status), or a 403 whose JSON body names a reason. HTML challenges are generic. */
export function detectSofascoreBlock(status: number, _contentType: string | null, body: string): string | null {
  const head = body.length > 4096 ? body.slice(0, 4096) : body;
  if (!/^\s*\{/.test(head) || !/"reason"/.test(head)) return null;
  try {
    const reason = (JSON.parse(body) as { error?: { reason?: unknown } })?.error?.reason;
    if (reason === 'challenge') return 'sofascore challenge ({"error":{"reason":"challenge"}})';
    if (status === 403 && typeof reason === 'string') return `sofascore refused the request (reason "${reason}")`;
  } catch {
    return null;
  }
  return null;
}

export const SOFASCORE_PROVIDER: ProviderProfile = {
  name: 'sofascore',
  hostPattern: /(^|\.)sofascore\.com$/i,
  ratePerSec: SOFASCORE_RATE_PER_SEC,
  burst: 1,
  detectBlock: detectSofascoreBlock,
  blockedRetry: { delaySec: SOFASCORE_BLOCKED_RETRY_SEC },
};

export const JSON_HEADERS: Record<string, string> = { accept: 'application/json' };

export const urls = {
  seasons: (ut: string) => `${SOFASCORE_API}/unique-tournament/${ut}/seasons`,
  rounds: (ut: string, s: string) => `${SOFASCORE_API}/unique-tournament/${ut}/season/${s}/rounds`,
  roundEvents: (ut: string, s: string, round: number, slug?: string) =>
    `${SOFASCORE_API}/unique-tournament/${ut}/season/${s}/events/round/${round}${slug ? `/slug/${encodeURIComponent(slug)}` : ''}`,
  event: (e: string) => `${SOFASCORE_API}/event/${e}`,
  standings: (ut: string, s: string, type: string) => `${SOFASCORE_API}/unique-tournament/${ut}/season/${s}/standings/${type}`,
};
