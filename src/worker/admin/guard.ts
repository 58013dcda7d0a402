/** Console guards: security headers on every answer, a session on every page, CSRF + Origin on every POST. */
import type { Context, MiddlewareHandler } from 'hono';
import { roleAllows, type ApiToken, type Role } from '../../core/tokens';
import { getConfig } from '../../wiring/env-ports';
import { storeOf, type AppEnv } from '../http/middleware';
import { HttpError } from '../http/errors';
import { constantTimeEqual, readSession, type Session } from './session';

export type AdminEnv = {
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & { session: Session; form?: Record<string, string> };
};

/** No inline script or style anywhere: everything the console runs or styles comes from /admin/static. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * Every console answer gets the strict policy, unless the handler set a policy of its own: a raw snapshot is served
 * with `sandbox; default-src 'none'`, which is stricter still, and overwriting it would drop the sandbox.
 */
export const securityHeaders: MiddlewareHandler<AdminEnv> = async (c, next) => {
  await next();
  if (!c.res.headers.has('content-security-policy')) c.header('content-security-policy', CSP);
  c.header('x-content-type-options', 'nosniff');
  c.header('referrer-policy', 'same-origin');
  c.header('x-frame-options', 'DENY');
  if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
};

/** The console's HttpError (so an AdapterError like every other), naming the form field its error page points at. */
export class ConsoleError extends HttpError {
  declare readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 503;

  constructor(
    status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 503,
    code: string,
    message: string,
    readonly field?: string,
  ) {
    super(status, code, message, field === undefined ? undefined : { field });
    this.name = 'ConsoleError';
  }
}

/**
 * The tokens that may sign in: INTERNAL_AUTH_TOKEN (`default`, operator) and every API_TOKENS entry, each with its
 * role. "Insecure auth" for the API never opens the console: it needs at least one configured token.
 */
export function consoleTokens(c: Context<AdminEnv>): ApiToken[] {
  const tokens = getConfig(c.env).tokens;
  if (tokens.length === 0)
    throw new ConsoleError(503, 'CONSOLE_DISABLED', 'neither INTERNAL_AUTH_TOKEN nor API_TOKENS is set; the console needs a token');
  return tokens;
}

export const requireSession: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const session = await readSession(c, consoleTokens(c), Date.now());
  if (!session) {
    if (c.req.method === 'GET' && !c.req.path.endsWith('.json'))
      return c.redirect(`/admin/sign-in?next=${encodeURIComponent(c.req.path)}`, 303);
    throw new ConsoleError(401, 'SESSION_REQUIRED', 'sign in first');
  }
  c.set('session', session);
  await next();
};

/** A POST must come from this origin (Origin, else Referer); browsers always send Origin on form posts. */
export function checkOrigin(c: Context<AdminEnv>): void {
  const own = new URL(c.req.url).origin;
  const origin = c.req.header('origin') ?? (c.req.header('referer') ? new URL(c.req.header('referer')!).origin : null);
  if (origin !== own)
    throw new ConsoleError(403, 'ORIGIN_REJECTED', `form posts must come from ${own}; got ${origin ?? 'no Origin header'}`, 'origin');
}

export const MAX_FORM_BYTES = 64 * 1024;

/** Reads a urlencoded form (size-limited); every value a string. */
export async function readForm(c: Context<AdminEnv>): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type))
    throw new ConsoleError(415, 'UNSUPPORTED_MEDIA_TYPE', 'forms must be application/x-www-form-urlencoded');
  const text = await c.req.text();
  if (text.length > MAX_FORM_BYTES) throw new ConsoleError(413, 'PAYLOAD_TOO_LARGE', `form exceeds ${MAX_FORM_BYTES} bytes`);
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

/** Every POST behind a session: same origin and the session's CSRF token, compared before anything is read or written. */
export const requireCsrf: MiddlewareHandler<AdminEnv> = async (c, next) => {
  if (c.req.method !== 'POST') return next();
  checkOrigin(c);
  const form = await readForm(c);
  if (!form._csrf || !(await constantTimeEqual(form._csrf, c.get('session').csrf)))
    throw new ConsoleError(403, 'CSRF_REJECTED', "the form is missing this session's CSRF token", '_csrf');
  c.set('form', form);
  await next();
};

/**
 * The role a console action needs (readers see every page but act on none). Marked like the API's requireRole so
 * the role test can walk the console's route table too.
 */
export function requireConsoleRole(role: Role): MiddlewareHandler<AdminEnv> {
  const mw: MiddlewareHandler<AdminEnv> = async (c, next) => {
    const s = c.get('session');
    if (!roleAllows(s.role, role))
      throw new ConsoleError(403, 'ROLE_FORBIDDEN', `token "${s.name}" has role ${s.role}; this action needs ${role}`, 'role');
    await next();
  };
  return Object.assign(mw, { requiredRole: role });
}

/** Whether the session may act (operator): pages render action buttons enabled only then. */
export const canAct = (c: Context<AdminEnv>) => roleAllows(c.get('session').role, 'operator');

export const formOf = (c: Context<AdminEnv>): Record<string, string> => c.get('form') ?? {};

/** The request's store, shared with the API middleware (made on first use, closed when the response is done). */
export const storeFor = (c: Context<AdminEnv>) => storeOf(c as unknown as Context<AppEnv>);
