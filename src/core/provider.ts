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

/**
 * A credential login (Betfair's interactive login): POST credentials, get a token, send it on session requests,
 * keep it alive before it idles out, log in again when the provider says it expired. Pure description; the
 * runtime (src/runtime/provider-login.ts) runs it with the credentials the edge reads from secrets.
 */
export interface ProviderLogin {
  loginUrl: string;
  /** Extends a live session; null when the provider has none (the session is simply renewed by a new login). */
  keepAliveUrl: string | null;
  /** Credential names the login needs (the edge maps them from secrets, e.g. BETFAIR_APP_KEY to `app_key`). */
  credentials: readonly string[];
  loginRequest(creds: Readonly<Record<string, string>>): { headers: Record<string, string>; body: string };
  keepAliveHeaders(creds: Readonly<Record<string, string>>, token: string): Record<string, string>;
  /** The token from a login or keep-alive answer, or the provider's reason for refusing. */
  readToken(status: number, body: string): { token: string } | { error: string };
  /** Headers that carry the session on a request. */
  sessionHeaders(creds: Readonly<Record<string, string>>, token: string): Record<string, string>;
  /** How long an idle session lives, and after how long of use it is kept alive. */
  ttlSec: number;
  keepAliveAfterSec: number;
  /** Statuses on a session request that mean "session expired": log in again once and resend. */
  expiredStatuses: readonly number[];
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
  /** A credential login instead of a CSRF bootstrap; requests with `session: true` carry its token. */
  login?: ProviderLogin;
  /**
   * When set, a detected block is PROVIDER_BLOCKED but retryable, not before `delaySec` (overridable per deployment
   * with PROVIDER_BLOCKED_RETRY_SEC_<NAME>). Without it a block fails the job (the default for page scrapers).
   */
  blockedRetry?: { delaySec: number };
}
