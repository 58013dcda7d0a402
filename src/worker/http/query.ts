/** Query-string validation helpers: one 400 with every field error, never a silent default for a bad value. */
import { z } from 'zod';
import { HttpError } from './errors';

/**
 * Field errors of a zod failure, keyed by the offending field. An unknown key (strict objects) is reported under its
 * own name, not as a form error with empty `fields`: the caller must see which field to remove.
 */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  const add = (k: string, m: string) => (fields[k] ??= []).push(m);
  for (const issue of error.issues) {
    const prefix = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) add(prefix ? `${prefix}.${k}` : k, 'unknown field');
    } else {
      add(prefix || '(root)', issue.message);
    }
  }
  return fields;
}

export function parseQuery<T extends z.ZodType>(schema: T, query: Record<string, string>): z.infer<T> {
  const r = schema.safeParse(query);
  if (!r.success) throw new HttpError(400, 'INVALID_QUERY', 'invalid query parameters', { fields: fieldErrors(r.error) });
  return r.data;
}

/** A time given as ISO-8601 or epoch milliseconds. */
export const timeParam = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 time or epoch milliseconds' });
      return z.NEVER;
    }
    return n;
  });

/** Page size of every list endpoint: decimal digits only (`0x10`, `1e2`, `10.0` are refused), 1-200. */
export const MAX_LIMIT = 200;
export const limitParam = z
  .string()
  .regex(/^[1-9]\d{0,2}$/, `must be a decimal integer 1-${MAX_LIMIT}`)
  .transform(Number)
  .refine((n) => n <= MAX_LIMIT, `must be a decimal integer 1-${MAX_LIMIT}`)
  .optional()
  .transform((n) => n ?? 50);

export const cursorParam = z.string().min(1).max(300);

/** UUIDs in any case (RFC 4122 text form: 8-4-4-4-12 hex digits); answered in lowercase. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidParam(value: string, code: string, what: string): string {
  if (!UUID.test(value)) throw new HttpError(400, code, `${what} must be a UUID`, { fields: { id: ['must be a UUID'] } });
  return value.toLowerCase();
}
