/** Request id, configuration, auth and JSON body handling for the internal API. */
import type { Context, MiddlewareHandler } from 'hono';
import { ConfigError } from '../../core/config';
import type { Logger } from '../../core/ports';
import { roleAllows, type Role } from '../../core/tokens';
import { type ClosableStore, closeStore, getConfig, makeLogger, makeStore } from '../../wiring/env-ports';
import { HttpError } from './errors';
import { rejectForbiddenKeys } from './json-keys';

/** Who is calling: the matched token's name (recorded as requested_by) and role. */
export interface Caller {
  name: string;
  role: Role;
}

/** What a route says of its request: the request's one log line takes this message and these fields. */
export interface RequestLogLine {
  msg: string;
  fields: Record<string, unknown>;
}

export type AppEnv = {
  Bindings: Env;
  Variables: { requestId: string; log: Logger; store?: ClosableStore; caller: Caller; logLine?: RequestLogLine };
};

/** The authenticated caller; requireAuth always sets it before a route handler runs. */
export function callerOf(c: Context<AppEnv>): Caller {
  return c.get('caller') ?? { name: 'anonymous', role: 'reader' };
}

/** The request's Store, made on first use and closed when the response is done. */
export function storeOf(c: Context<AppEnv>): ClosableStore {
  let store = c.get('store');
  if (!store) {
    store = makeStore(c.env);
    c.set('store', store);
  }
  return store;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const MAX_BODY_BYTES = 64 * 1024;

export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const given = c.req.header('x-request-id');
  const requestId = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
  c.set('requestId', requestId);
  c.set('log', makeLogger({ request_id: requestId }, c.env));
  c.header('x-request-id', requestId);
  const started = Date.now();
  try {
    await next();
  } finally {
    const store = c.get('store');
    if (store) closeStore(store, waitUntilOf(c));
  }
  // One line per request: a route that did something worth naming (a job enqueued) names it here instead of
  // writing a line of its own, so the access fields and the outcome are one event.
  const line = c.get('logLine');
  c.get('log').info(line?.msg ?? 'http request', {
    ...line?.fields,
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    duration_ms: Date.now() - started,
  });
};

export const requireConfig: MiddlewareHandler<AppEnv> = async (c, next) => {
  try {
    getConfig(c.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new HttpError(503, 'CONFIG_INVALID', err.message, { variable: err.variable });
    throw err;
  }
  await next();
};

const enc = new TextEncoder();

/** Constant-time comparison of the presented token with the configured one (both hashed to equal length first). */
export async function tokensEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(a)), crypto.subtle.digest('SHA-256', enc.encode(b))]);
  const x = new Uint8Array(ha);
  const y = new Uint8Array(hb);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const cfg = getConfig(c.env);
  if (cfg.insecureAuth) {
    c.set('caller', { name: 'anonymous', role: 'operator' });
    return next();
  }
  const header = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  const challenge = { 'www-authenticate': 'Bearer realm="internal"' };
  if (!m) throw new HttpError(401, 'AUTH_REQUIRED', 'missing "Authorization: Bearer <token>" header', undefined, challenge);
  // Every configured token is compared (no early exit), so timing says nothing about which one nearly matched.
  const results = await Promise.all(cfg.tokens.map((t) => tokensEqual(m[1]!, t.token)));
  const match = cfg.tokens[results.indexOf(true)];
  if (!match) throw new HttpError(401, 'AUTH_INVALID', 'invalid bearer token', undefined, challenge);
  c.set('caller', { name: match.name, role: match.role });
  await next();
};

/**
 * The role a route needs, declared in the route definition (`routes.post('/', requireRole('operator'), ...)`).
 * test/roles.test.ts walks the app's route table and proves every mutating route carries it.
 */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  const mw: MiddlewareHandler<AppEnv> = async (c, next) => {
    const caller = callerOf(c);
    if (!roleAllows(caller.role, role)) {
      throw new HttpError(
        403,
        'ROLE_FORBIDDEN',
        `token "${caller.name}" has role ${caller.role}; ${c.req.method} ${c.req.path} needs ${role}`,
        { required_role: role, role: caller.role },
      );
    }
    await next();
  };
  return Object.assign(mw, { requiredRole: role });
}

/** Reads a JSON object body: content type, size limit and syntax are checked before anything is written. */
export async function readJsonObject(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'request body must be application/json');
  }
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${MAX_BODY_BYTES} bytes`);
  const buf = await c.req.arrayBuffer();
  if (buf.byteLength > MAX_BODY_BYTES) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${MAX_BODY_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf));
  } catch (err) {
    throw new HttpError(400, 'MALFORMED_JSON', `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'INVALID_REQUEST', 'request body must be a JSON object');
  }
  rejectForbiddenKeys(value);
  return value as Record<string, unknown>;
}

function waitUntilOf(c: Context<AppEnv>): ((p: Promise<unknown>) => void) | undefined {
  try {
    const ctx = c.executionCtx;
    return (p) => ctx.waitUntil(p);
  } catch {
    return undefined; // no execution context (a direct app.fetch in tests)
  }
}
