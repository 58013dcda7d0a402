/**
 * Console sessions: the operator token is exchanged once for a signed, expiring cookie (HMAC keyed from the token,
 * so rotating INTERNAL_AUTH_TOKEN signs everyone out). The CSRF token is derived from the session's nonce, so it
 * needs no storage and a forged form from another session or site cannot carry it.
 */
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'admin_session';
export const SESSION_TTL_SEC = 8 * 3600;
const enc = new TextEncoder();

async function hmac(key: string, data: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(data)));
  return btoa(String.fromCharCode(...sig)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The cookie-signing secret: never the token itself, so a leaked cookie signature says nothing about the token. */
export const sessionSecret = (token: string) => hmac(token, 'admin-session-v1');

/** Constant-time equality of two strings (hashed to equal length first, as the API compares bearer tokens). */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(a)), crypto.subtle.digest('SHA-256', enc.encode(b))]);
  const x = new Uint8Array(ha);
  const y = new Uint8Array(hb);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

export interface Session {
  nonce: string;
  expiresAt: number;
  csrf: string;
}

export async function startSession(c: Context, token: string, now: number): Promise<void> {
  const nonce = crypto.randomUUID();
  const expiresAt = now + SESSION_TTL_SEC * 1000;
  await setSignedCookie(c, SESSION_COOKIE, `${expiresAt}.${nonce}`, await sessionSecret(token), {
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    path: '/admin',
    maxAge: SESSION_TTL_SEC,
  });
}

/** The request's session, or null when the cookie is missing, forged, signed with another token, or expired. */
export async function readSession(c: Context, token: string, now: number): Promise<Session | null> {
  const secret = await sessionSecret(token);
  const value = await getSignedCookie(c, secret, SESSION_COOKIE);
  if (!value) return null;
  const m = /^(\d+)\.([0-9a-f-]{36})$/.exec(value);
  if (!m || Number(m[1]) <= now) return null;
  return { nonce: m[2]!, expiresAt: Number(m[1]), csrf: await hmac(secret, `csrf:${m[2]}`) };
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/admin', secure: true, httpOnly: true, sameSite: 'Strict' });
}
