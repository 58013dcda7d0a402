/**
 * A provider profile: what the transport needs to know about one provider, shared by all of its pipelines.
 */
export interface ProviderSession {
  /** The page that hands out the session (CSRF meta tag plus cookies). */
  bootstrapUrl: string;
  /** Reads the CSRF token from the bootstrap page body; null when absent. */
  extractToken(body: string): string | null;
  /** Header that carries the token on session requests, e.g. `X-CSRF-TOKEN`. */
  tokenHeader: string;
  /** How long a session may be reused, in seconds. */
  ttlSec: number;
}

export interface ProviderProfile {
  name: string;
  /** Hosts that belong to this provider (subdomains included), for the rate-limit bucket and the transport. */
  hostPattern: RegExp;
  /** Sustained requests per second across the whole fleet, and the burst allowed. */
  ratePerSec: number;
  burst: number;
  /**
   * Provider-specific block or challenge detection on a 2xx/4xx body (a login wall, a bot check).
   * Returns a short reason, or null. The transport also applies generic challenge detection.
   */
  detectBlock?(status: number, contentType: string | null, body: string): string | null;
  session?: ProviderSession;
  /**
   * When set, a detected block is PROVIDER_BLOCKED but retryable, not before `delaySec` (overridable per deployment
   * with PROVIDER_BLOCKED_RETRY_SEC_<NAME>). Without it a block fails the job (the default for page scrapers).
   */
  blockedRetry?: { delaySec: number };
}
