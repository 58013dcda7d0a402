/**
 * Provider profiles. robots.txt publishes `Crawl-delay: 10` (dossier §1 [JF verbatim recon]), so the fleet-wide
 * rate is 1 request per 10 s with no burst. Sessions follow the Laravel flow (dossier §1 Session [LIVE MW, JF]):
 * a page hands out `XSRF-TOKEN` + `sc_session` cookies and `<meta name="csrf-token">`; POSTs send `X-CSRF-TOKEN`.
 * Laravel's default session lifetime is 120 min; we reuse a session for 30 min to stay well inside it.
 */
import type { ProviderProfile } from '../../core/provider';
import { csrfToken } from './shared/extract';
import { detectSmoothcompBlock } from './shared/block';
import { AJPTOUR_SITE, SMOOTHCOMP_SITE, type SiteVariant } from './shared/site';

export const CRAWL_DELAY_SEC = 10;

export function makeProvider(site: SiteVariant): ProviderProfile {
  return {
    name: site.provider,
    hostPattern: new RegExp(`(^|\\.)${site.baseHost.replace(/\./g, '\\.')}$`, 'i'),
    ratePerSec: 1 / CRAWL_DELAY_SEC,
    burst: 1,
    detectBlock: detectSmoothcompBlock,
    session: {
      // The home page answers 200 without a challenge (JF recon) and carries the Laravel layout's csrf meta tag.
      bootstrapUrl: `https://${site.baseHost}/en`,
      extractToken: csrfToken,
      tokenHeader: 'X-CSRF-TOKEN',
      ttlSec: 1800,
    },
  };
}

export const SMOOTHCOMP_PROVIDER: ProviderProfile = makeProvider(SMOOTHCOMP_SITE);
/** White-label copy with its own id space (dossier §1 Hosts): a separate rate bucket and session. */
export const AJPTOUR_PROVIDER: ProviderProfile = makeProvider(AJPTOUR_SITE);

/** Headers the site's own XHR POSTs send (dossier §4 [LIVE MW results.js]); the transport adds the CSRF header. */
export const XHR_JSON_HEADERS: Record<string, string> = {
  'Content-Type': 'application/json',
  Accept: 'application/json',
  'X-Requested-With': 'XMLHttpRequest',
};
export const XHR_GET_HEADERS: Record<string, string> = {
  Accept: 'application/json',
  'X-Requested-With': 'XMLHttpRequest',
};
