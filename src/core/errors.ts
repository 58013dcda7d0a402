/**
 * Errors carry their retry contract. Only the edges (queue consumer, HTTP routes) turn them into queue actions or
 * HTTP statuses; the core only says what happened and whether trying again can help.
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
}

export class AdapterError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly retryAfterSec: number | undefined;
  readonly details: unknown;

  constructor(code: string, category: ErrorCategory, message: string, opts: AdapterErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AdapterError';
    this.code = code;
    this.category = category;
    this.retryable = opts.retryable ?? false;
    this.retryAfterSec = opts.retryAfterSec;
    this.details = opts.details;
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
