/** Query-string validation helpers: one 400 with every field error, never a silent default for a bad value. */
import type { z } from 'zod';
import { z as zod } from 'zod';
import { HttpError } from './errors';

export function parseQuery<T extends z.ZodType>(schema: T, query: Record<string, string>): z.infer<T> {
  const r = schema.safeParse(query);
  if (!r.success) {
    throw new HttpError(400, 'INVALID_QUERY', 'invalid query parameters', { fields: zod.flattenError(r.error).fieldErrors });
  }
  return r.data;
}

/** A time given as ISO-8601 or epoch milliseconds. */
export const timeParam = zod
  .string()
  .transform((v, ctx) => {
    const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 time or epoch milliseconds' });
      return zod.NEVER;
    }
    return n;
  });

export const limitParam = zod.coerce.number().int().min(1).max(200).default(50);
