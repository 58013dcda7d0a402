/**
 * Credential sessions (ProviderLogin): log in with the provider's credentials, reuse the token while it lives, keep
 * it alive once it has been used for `keepAliveAfterSec`, and log in again when the keep-alive is refused or a
 * request says the session expired. One session per provider per isolate (or per injected cache), so concurrent
 * jobs share it instead of each logging in. Credentials come from the edge (secrets); they are never logged.
 */
import { NonRetryableError, RetryableError } from '../core/errors';
import type { ProviderLogin, ProviderProfile } from '../core/provider';

export interface LoginSession {
  token: string;
  /** Epoch ms after which the token is not used without a keep-alive or new login. */
  expiresAt: number;
  /** Epoch ms after which a keep-alive is sent before the next request. */
  keepAliveAt: number;
}

/** The transport's rate-limited, override-aware send, reduced to what a login needs. */
export type LoginSend = (
  profile: ProviderProfile,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; body: string }>;

export class LoginSessions {
  constructor(
    private readonly send: LoginSend,
    private readonly credentials: Readonly<Record<string, Readonly<Record<string, string>>>>,
    private readonly cache: Map<string, LoginSession>,
    private readonly now: () => number,
  ) {}

  /** Headers carrying a live session for `profile` (logging in or keeping alive first when needed). */
  async headers(profile: ProviderProfile, login: ProviderLogin): Promise<Record<string, string>> {
    const creds = this.credsFor(profile, login);
    let s = this.cache.get(profile.name);
    const now = this.now();
    if (s && s.expiresAt <= now) s = undefined;
    if (s && s.keepAliveAt <= now) s = (await this.keepAlive(profile, login, creds, s)) ?? undefined;
    if (!s) s = await this.login(profile, login, creds);
    return login.sessionHeaders(creds, s.token);
  }

  /** Forgets the session after the provider refused it, so the next `headers` logs in again. */
  invalidate(profile: ProviderProfile): void {
    this.cache.delete(profile.name);
  }

  private credsFor(profile: ProviderProfile, login: ProviderLogin): Record<string, string> {
    const creds = this.credentials[profile.name] ?? {};
    const missing = login.credentials.filter((c) => !creds[c]);
    if (missing.length)
      throw new NonRetryableError(
        'PROVIDER_CREDENTIALS_MISSING',
        'validation',
        `${profile.name} needs credentials ${missing.join(', ')} (secrets of this deployment)`,
        { details: { provider: profile.name, missing } },
      );
    return creds as Record<string, string>;
  }

  private store(profile: ProviderProfile, login: ProviderLogin, token: string): LoginSession {
    const now = this.now();
    const s = { token, expiresAt: now + login.ttlSec * 1000, keepAliveAt: now + login.keepAliveAfterSec * 1000 };
    this.cache.set(profile.name, s);
    return s;
  }

  private async login(profile: ProviderProfile, login: ProviderLogin, creds: Record<string, string>): Promise<LoginSession> {
    const req = login.loginRequest(creds);
    const res = await this.send(profile, login.loginUrl, { method: 'POST', headers: req.headers, body: req.body });
    if (res.status === 429 || res.status >= 500)
      throw new RetryableError('PROVIDER_LOGIN_UNAVAILABLE', 'provider', `${profile.name} login answered ${res.status}`);
    const out = login.readToken(res.status, res.body);
    if ('error' in out)
      // Wrong credentials or a locked account do not heal by retrying (and retrying can lock the account).
      throw new NonRetryableError('PROVIDER_LOGIN_FAILED', 'provider', `${profile.name} refused the login: ${out.error}`, {
        details: { status: res.status, error: out.error },
      });
    return this.store(profile, login, out.token);
  }

  /** The kept-alive session, or null when the provider refused it (the caller logs in again). */
  private async keepAlive(
    profile: ProviderProfile,
    login: ProviderLogin,
    creds: Record<string, string>,
    s: LoginSession,
  ): Promise<LoginSession | null> {
    if (!login.keepAliveUrl) return null;
    const res = await this.send(profile, login.keepAliveUrl, { method: 'POST', headers: login.keepAliveHeaders(creds, s.token) });
    const out = login.readToken(res.status, res.body);
    if ('error' in out) {
      this.invalidate(profile);
      return null;
    }
    return this.store(profile, login, out.token);
  }
}
