/** HTTP error mapping: the only place AdapterErrors become statuses. Body: {error: {code, message, details?}}. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AdapterError } from '../../core/errors';

/**
 * An AdapterError raised by the HTTP edge itself, status first. Not a second error type: a 4xx is a validation
 * error (not retryable), a 5xx an internal one (retryable), and respondError answers both the same way.
 */
export class HttpError extends AdapterError {
  declare readonly status: ContentfulStatusCode;

  constructor(status: ContentfulStatusCode, code: string, message: string, details?: unknown, headers?: Record<string, string>) {
    super(code, status >= 500 ? 'internal' : 'validation', message, { retryable: status >= 500, details, status, headers });
    this.name = 'HttpError';
  }
}

const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  UNKNOWN_PIPELINE: 400,
  INVALID_PARAMS: 400,
  ACTIVE_JOB_EXISTS: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  REPLAY_SOURCE_MISSING: 409,
};

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function respondError(c: Context, err: unknown, log?: (msg: string, f: Record<string, unknown>) => void): Response {
  if (err instanceof AdapterError) {
    for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    const status =
      (err.status as ContentfulStatusCode | undefined) ?? STATUS_BY_CODE[err.code] ?? (err.category === 'validation' ? 400 : 500);
    return c.json(errorBody(err.code, err.message, err.details), status);
  }
  log?.('unhandled error', { error: String((err as Error)?.stack ?? err) });
  return c.json(errorBody('INTERNAL_ERROR', 'internal error; see logs with this request id'), 500);
}
