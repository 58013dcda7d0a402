/**
 * The one error type: AdapterError carries a code, a category, its retry contract and, when raised at the HTTP edge,
 * the status to answer with. Only the edges (queue consumer, HTTP routes) turn errors into queue actions or HTTP
 * statuses; the core only says what happened and whether trying again can help. Subclasses are shorthands:
 * NonRetryableError, RetryableError, and HttpError (src/worker/http/errors.ts, the edge's status-first form).
 */
export const ERROR_CATEGORIES = [
  'validation', // bad input or bad provider data shape; retrying will not help
  'provider', // provider answered with an error status or a block page
  'network', // timeout, connection reset
  'parse', // the page did not have the structure the parser knows (drift)
  'storage', // D1/R2 trouble
  'lease', // the lease was lost to another consumer
  'internal', // a bug
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

export interface AdapterErrorOptions {
  retryable?: boolean;
  retryAfterSec?: number;
  details?: unknown;
  cause?: unknown;
  /** HTTP edge only: the status to answer with (otherwise derived from code and category in respondError). */
  status?: number;
  /** HTTP edge only: headers to send with the error answer (`www-authenticate`, `allow`). */
  headers?: Record<string, string>;
}

export class AdapterError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly retryAfterSec: number | undefined;
  readonly details: unknown;
  readonly status: number | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: string, category: ErrorCategory, message: string, opts: AdapterErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AdapterError';
    this.code = code;
    this.category = category;
    this.retryable = opts.retryable ?? false;
    this.retryAfterSec = opts.retryAfterSec;
    this.details = opts.details;
    this.status = opts.status;
    this.headers = opts.headers;
  }
}

/** A failure that will not go away by itself: the job ends `failed`. */
export class NonRetryableError extends AdapterError {
  constructor(code: string, category: ErrorCategory, message: string, opts: Omit<AdapterErrorOptions, 'retryable'> = {}) {
    super(code, category, message, { ...opts, retryable: false });
  }
}

/** A failure worth trying again, optionally not before `retryAfterSec`. */
export class RetryableError extends AdapterError {
  constructor(code: string, category: ErrorCategory, message: string, opts: Omit<AdapterErrorOptions, 'retryable'> = {}) {
    super(code, category, message, { ...opts, retryable: true });
  }
}

/** Turns anything thrown into an AdapterError; unknown errors are internal and retryable (could be transient). */
export function classifyError(err: unknown): AdapterError {
  if (err instanceof AdapterError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/D1_|SQLITE_BUSY|database is locked|Network connection lost/i.test(message)) {
    return new RetryableError('STORAGE_UNAVAILABLE', 'storage', message, { cause: err });
  }
  return new RetryableError('INTERNAL_ERROR', 'internal', message, { cause: err });
}

/** Shorthand for parser code: the page lacks a structure we rely on. Not retryable: the same bytes give the same result. */
export function parseError(code: string, message: string, details?: unknown): NonRetryableError {
  return new NonRetryableError(code, 'parse', message, { details });
}

/** An error as it crosses an RPC boundary (Durable Object or service binding), where class identity does not survive. */
export interface WireError {
  code: string;
  category: ErrorCategory;
  message: string;
  retryable: boolean;
  retryAfterSec?: number;
}

/**
 * The one result shape on the wire: a value, or an error as a value. `E` narrows what a boundary exposes (the
 * downstream RPC entrypoint sends only code and message: retry semantics are the adapter's own business).
 */
export type WireResult<T, E extends Pick<WireError, 'code' | 'message'> = WireError> = { ok: true; value: T } | { ok: false; error: E };

export function toWire(err: unknown): WireError {
  if (err instanceof AdapterError) {
    return { code: err.code, category: err.category, message: err.message, retryable: err.retryable, retryAfterSec: err.retryAfterSec };
  }
  return { code: 'INTERNAL_ERROR', category: 'internal', message: String((err as Error)?.message ?? err), retryable: true };
}

export function fromWire<T>(r: WireResult<T>): T {
  if (r.ok) return r.value;
  throw new AdapterError(r.error.code, r.error.category, r.error.message, {
    retryable: r.error.retryable,
    retryAfterSec: r.error.retryAfterSec,
  });
}
