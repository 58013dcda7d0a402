/**
 * Console sessions: a configured token (INTERNAL_AUTH_TOKEN or a named API_TOKENS entry) is exchanged once for a
 * signed, expiring cookie naming the token (HMAC keyed from that token, so rotating it signs its sessions out). The
 * role is read from the configuration on every request, never from the cookie, so a changed role applies at once.
 * The CSRF token is derived from the session's nonce, so it needs no storage and a forged form from another session
 * or site cannot carry it.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { ApiToken, Role } from '../../core/tokens';

export const SESSION_COOKIE = 'admin_session';
export const SESSION_TTL_SEC = 8 * 3600;
const enc = new TextEncoder();

/** Imported HMAC keys per isolate (two per token at most): importKey on every page view is wasted work. */
const keys = new Map<string, Promise<CryptoKey>>();

async function hmac(key: string, data: string): Promise<string> {
  let k = keys.get(key);
  if (!k) {
    if (keys.size > 8) keys.clear();
    k = crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(key, k);
  }
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await k, enc.encode(data)));
  return btoa(String.fromCharCode(...sig))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The cookie-signing secret: never the token itself, so a leaked cookie signature says nothing about the token. */
export const sessionSecret = (token: string) => hmac(token, 'admin-session-v1');

/** Constant-time equality: the API's own bearer-token comparison. */
export { tokensEqual as constantTimeEqual } from '../http/middleware';

export interface Session {
  nonce: string;
  expiresAt: number;
  csrf: string;
  /** The signed-in token's name (recorded as actor and requested_by) and its configured role. */
  name: string;
  role: Role;
}

export async function startSession(c: Context, token: ApiToken, now: number): Promise<void> {
  const nonce = crypto.randomUUID();
  const expiresAt = now + SESSION_TTL_SEC * 1000;
  await setSignedCookie(c, SESSION_COOKIE, `${expiresAt}.${nonce}.${token.name}`, await sessionSecret(token.token), {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: '/admin',
    maxAge: SESSION_TTL_SEC,
  });
}

const VALUE = /^(\d+)\.([0-9a-f-]{36})\.([a-z0-9][a-z0-9._-]{0,63})$/;

/**
 * The request's session, or null when the cookie is missing, forged, signed with another token, names a token no
 * longer configured, or expired. The (unverified) name only picks which token's key checks the signature.
 */
export async function readSession(c: Context, tokens: ApiToken[], now: number): Promise<Session | null> {
  const raw = getCookie(c, SESSION_COOKIE);
  const claimed = raw ? VALUE.exec(raw.slice(0, raw.lastIndexOf('.')))?.[3] : undefined;
  const token = claimed ? tokens.find((t) => t.name === claimed) : undefined;
  if (!token) return null;
  const secret = await sessionSecret(token.token);
  const value = await getSignedCookie(c, secret, SESSION_COOKIE);
  if (!value) return null;
  const m = VALUE.exec(value);
  if (!m || Number(m[1]) <= now || m[3] !== token.name) return null;
  return { nonce: m[2]!, expiresAt: Number(m[1]), csrf: await hmac(secret, `csrf:${m[2]}`), name: token.name, role: token.role };
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/admin', secure: true, httpOnly: true, sameSite: 'Strict' });
}
