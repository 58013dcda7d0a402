/**
 * The provider transport: every provider request goes through here. It keeps pipelines on their provider's
 * hosts, applies UPSTREAM_OVERRIDE, the shared rate limit, a timeout and the User-Agent, attaches a session where
 * a request needs one, and classifies failures into the retry contract.
 */
import { decodeBody } from '../core/body-text';
import { AdapterError, NonRetryableError, RetryableError } from '../core/errors';
import type { ResourceRequest } from '../core/pipeline';
import type { HttpTransport, RateLimiterPort } from '../core/ports';
import type { ProviderProfile } from '../core/provider';
import { detectGenericBlock } from '../core/block-detection';
import { htmlCutShort } from './body-complete';
import { type LoginSession, LoginSessions } from './provider-login';
import { withEvidence } from './response-evidence';

export interface ProviderResponse {
  url: string;
  status: number;
  contentType: string | null;
  /** The body exactly as the provider sent it (after transfer decoding only): what is hashed and stored. */
  bytes: Uint8Array;
  /** The body as text (decodeBody: BOM, then charset, then UTF-8), for block detection and text parsers. */
  body: string;
}

export interface ProviderClientOptions {
  http: HttpTransport;
  limiter: RateLimiterPort;
  upstreamOverride: string | null;
  userAgent: string;
  timeoutMs: number;
  maxBodyBytes?: number;
  now?: () => number;
  /** Per-provider delay before retrying a block (PROVIDER_BLOCKED_RETRY_SEC_<NAME>), for profiles with blockedRetry. */
  blockedRetrySec?: Record<string, number>;
  /** Where sessions live; defaults to one cache per isolate, so concurrent jobs share a provider session. */
  sessionCache?: Map<string, Session>;
  /** Credentials of providers with a login (ProviderLogin), by provider name; read from secrets at the edge. */
  credentials?: Record<string, Record<string, string>>;
  /** Where login sessions live; defaults to one cache per isolate, like `sessionCache`. */
  loginCache?: Map<string, LoginSession>;
}

export interface Session {
  headers: Record<string, string>;
  expiresAt: number;
}

const ISOLATE_SESSIONS = new Map<string, Session>();
const ISOLATE_LOGINS = new Map<string, LoginSession>();

/** Rewrites https://HOST/PATH?QUERY to OVERRIDE/HOST/PATH?QUERY (the fixture server layout). */
export function overrideUrl(url: string, override: string | null): string {
  if (!override) return url;
  const u = new URL(url);
  return `${override}/${u.host}${u.pathname}${u.search}`;
}

export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return secs;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export class ProviderClient {
  private readonly sessions: Map<string, Session>;
  private readonly now: () => number;
  private readonly logins: LoginSessions;

  constructor(private readonly opts: ProviderClientOptions) {
    this.now = opts.now ?? Date.now;
    this.sessions = opts.sessionCache ?? ISOLATE_SESSIONS;
    this.logins = new LoginSessions(
      (profile, url, init) => this.send(profile, url, init),
      opts.credentials ?? {},
      opts.loginCache ?? ISOLATE_LOGINS,
      this.now,
    );
  }

  async fetch(profile: ProviderProfile, req: ResourceRequest): Promise<ProviderResponse> {
    const target = new URL(req.url);
    if (target.protocol !== 'https:' && target.protocol !== 'http:') {
      throw new NonRetryableError('URL_NOT_ALLOWED', 'validation', `unsupported URL scheme: ${req.url}`);
    }
    if (!profile.hostPattern.test(target.hostname)) {
      throw new NonRetryableError('HOST_NOT_ALLOWED', 'validation', `${target.hostname} is not a ${profile.name} host`);
    }
    const headers: Record<string, string> = {
      'user-agent': this.opts.userAgent,
      accept: 'text/html,application/json;q=0.9,*/*;q=0.8',
      ...(req.headers ?? {}),
    };
    const login = req.session ? profile.login : undefined;
    if (login) Object.assign(headers, await this.logins.headers(profile, login));
    else if (req.session) Object.assign(headers, await this.session(profile));
    let res = await this.send(profile, req.url, { method: req.method ?? 'GET', headers, body: req.body });
    if (login?.expiredStatuses.includes(res.status)) {
      // The token idled out or was revoked: log in again once and resend in this attempt (no retry spent).
      this.logins.invalidate(profile);
      Object.assign(headers, await this.logins.headers(profile, login));
      res = await this.send(profile, req.url, { method: req.method ?? 'GET', headers, body: req.body });
      if (login.expiredStatuses.includes(res.status)) {
        this.logins.invalidate(profile);
        throw new RetryableError('PROVIDER_SESSION_EXPIRED', 'provider', `${profile.name} refused a fresh session (${res.status})`);
      }
    }
    if (req.session && (res.status === 419 || res.status === 401)) {
      this.sessions.delete(profile.name);
      throw new RetryableError('PROVIDER_SESSION_EXPIRED', 'provider', `${profile.name} rejected the session (${res.status})`);
    }
    return withEvidence(() => this.classify(profile, req, res), res);
  }

  private async session(profile: ProviderProfile): Promise<Record<string, string>> {
    const spec = profile.session;
    if (!spec) throw new NonRetryableError('SESSION_UNSUPPORTED', 'internal', `${profile.name} has no session flow`);
    const cached = this.sessions.get(profile.name);
    if (cached && cached.expiresAt > this.now()) return cached.headers;
    const res = await this.send(profile, spec.bootstrapUrl, {
      method: 'GET',
      headers: { 'user-agent': this.opts.userAgent, accept: 'text/html' },
    });
    const page = this.classify(profile, { resourceType: 'session', resourceKey: 'bootstrap', url: spec.bootstrapUrl }, res);
    const token = spec.extractToken(page.body);
    if (!token) throw new NonRetryableError('SESSION_TOKEN_MISSING', 'parse', `${profile.name} session page has no CSRF token`);
    const cookies = res.setCookies
      .map((c) => c.split(';')[0])
      .filter(Boolean)
      .join('; ');
    const headers: Record<string, string> = { [spec.tokenHeader.toLowerCase()]: token };
    if (cookies) headers.cookie = cookies;
    this.sessions.set(profile.name, { headers, expiresAt: this.now() + spec.ttlSec * 1000 });
    return headers;
  }

  private async send(
    profile: ProviderProfile,
    url: string,
    init: RequestInit,
  ): Promise<ProviderResponse & { headers: Headers; setCookies: string[] }> {
    await this.opts.limiter.acquire(profile.name);
    let res: Response;
    try {
      res = await this.opts.http.fetch(overrideUrl(url, this.opts.upstreamOverride), {
        ...init,
        redirect: 'follow',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (err) {
      const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new RetryableError(
        timeout ? 'PROVIDER_TIMEOUT' : 'PROVIDER_NETWORK_ERROR',
        'network',
        `${url}: ${timeout ? `no answer within ${this.opts.timeoutMs} ms` : String(err)}`,
        { cause: err },
      );
    }
    let bytes: Uint8Array;
    const max = this.opts.maxBodyBytes ?? 20 * 1024 * 1024;
    const announced = Number(res.headers.get('content-length'));
    if (announced > max) {
      // Refused before reading: an announced oversize body is never buffered.
      await res.body?.cancel().catch(() => undefined);
      throw new NonRetryableError('RESPONSE_TOO_LARGE', 'provider', `${url}: ${announced} bytes announced exceeds ${max}`);
    }
    try {
      const buf = await res.arrayBuffer();
      if (buf.byteLength > max)
        throw new NonRetryableError('RESPONSE_TOO_LARGE', 'provider', `${url}: ${buf.byteLength} bytes exceeds ${max}`);
      const declared = Number(res.headers.get('content-length'));
      if (declared > 0 && buf.byteLength < declared && !res.headers.get('content-encoding')) {
        throw new RetryableError('PROVIDER_TRUNCATED', 'network', `${url}: body truncated (${buf.byteLength} of ${declared} bytes)`);
      }
      bytes = new Uint8Array(buf);
    } catch (err) {
      if (err instanceof AdapterError) throw err;
      throw new RetryableError('PROVIDER_TRUNCATED', 'network', `${url}: body read failed: ${String(err)}`, { cause: err });
    }
    const setCookies = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
    const contentType = res.headers.get('content-type');
    const body = decodeBody(bytes, contentType);
    if (res.status === 200 && htmlCutShort(contentType, body)) {
      throw new RetryableError(
        'PROVIDER_TRUNCATED',
        'network',
        `${url}: HTML document ends before </html> (${bytes.byteLength} bytes, no length mismatch at the HTTP layer)`,
      );
    }
    return { url, status: res.status, contentType, bytes, body, headers: res.headers, setCookies };
  }

  private classify(profile: ProviderProfile, req: ResourceRequest, res: ProviderResponse & { headers: Headers }): ProviderResponse {
    const s = res.status;
    // A 429 says "later", whatever page comes with it: retried, honouring Retry-After.
    if (s === 429) {
      const retryAfterSec = parseRetryAfter(res.headers.get('retry-after'), this.now());
      throw new RetryableError('PROVIDER_RATE_LIMITED', 'provider', `${profile.name} rate-limited ${req.url}`, {
        retryAfterSec,
        details: { status: s },
      });
    }
    const blocked = detectGenericBlock(s, res.headers, res.body) ?? profile.detectBlock?.(s, res.contentType, res.body) ?? null;
    if (blocked && profile.blockedRetry) {
      // Retried, but only after a long delay: a JSON API's challenge clears with time, never with hammering.
      const retryAfterSec = this.opts.blockedRetrySec?.[profile.name] ?? profile.blockedRetry.delaySec;
      throw new RetryableError('PROVIDER_BLOCKED', 'provider', `${profile.name} answered ${req.url} with a block: ${blocked}`, {
        retryAfterSec,
        details: { status: s },
      });
    }
    if (blocked) {
      // Not retried automatically: a challenge rarely clears in minutes and hammering it gets the fleet banned.
      throw new NonRetryableError('PROVIDER_BLOCKED', 'provider', `${profile.name} answered ${req.url} with a block page: ${blocked}`, {
        details: { status: s },
      });
    }
    if (s >= 500) {
      const retryAfterSec = parseRetryAfter(res.headers.get('retry-after'), this.now());
      throw new RetryableError('PROVIDER_5XX', 'provider', `${profile.name} answered ${s} for ${req.url}`, {
        retryAfterSec,
        details: { status: s },
      });
    }
    if ((s === 404 || s === 410) && req.optional) return strip(res);
    if (req.acceptStatuses?.includes(s)) return strip(res);
    if (s >= 400) {
      throw new NonRetryableError(
        s === 404 || s === 410 ? 'PROVIDER_NOT_FOUND' : 'PROVIDER_4XX',
        'provider',
        `${profile.name} answered ${s} for ${req.url}`,
        { details: { status: s } },
      );
    }
    return strip(res);
  }
}

function strip(r: ProviderResponse): ProviderResponse {
  return { url: r.url, status: r.status, contentType: r.contentType, bytes: r.bytes, body: r.body };
}
