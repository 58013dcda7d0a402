/** The LiveRC provider profile: hosts, politeness, and LiveRC-specific block detection. */
import type { ProviderProfile } from '../../core/provider';

/**
 * LiveRC has no login wall on public results; what a block looks like there was never captured. These are the
 * shapes we would expect from its hosting (an "Access Denied"/"Too Many Requests" page, a suspended-track notice)
 * and they only match short non-LiveRC-layout bodies, so a real results page never trips them.
 */
export function detectLiveRcBlock(status: number, contentType: string | null, body: string): string | null {
  if (contentType && !/html|text\/plain/i.test(contentType)) return null;
  const head = body.slice(0, 4000);
  const liveRcLayout = /id="page-wrapper"/.test(body);
  // A 429 is the transport's: retryable, honouring Retry-After. A 200 "too many requests" page is a soft block.
  if (status !== 429 && /<title>[^<]*too many requests/i.test(head)) return 'LIVERC_RATE_LIMITED';
  if (!liveRcLayout && /<title>[^<]*(access denied|forbidden|attention required)/i.test(head)) return 'LIVERC_ACCESS_DENIED';
  if (!liveRcLayout && status === 403) return 'LIVERC_FORBIDDEN';
  return null;
}

export const LIVERC_PROVIDER: ProviderProfile = {
  name: 'liverc',
  // live.liverc.com and every {slug}.liverc.com (the ingestion never goes to other hosts).
  hostPattern: /(^|\.)liverc\.com$/i,
  ratePerSec: 1,
  burst: 2,
  detectBlock: detectLiveRcBlock,
};
