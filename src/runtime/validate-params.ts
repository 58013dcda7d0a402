/**
 * Validates job params against a pipeline's schema, and refuses params the schema does not know: a misspelt
 * optional filter (`contry` for `country`) would otherwise be dropped silently and widen the job's scope.
 */
import { z } from 'zod';
import { NonRetryableError } from '../core/errors';
import type { AnyPipeline } from '../core/pipeline';

/** Upper bound of any string param, whatever the pipeline's schema says; scope lookups use the same bound. */
export const MAX_PARAM_CHARS = 200;

export function validateParams(pipeline: AnyPipeline, params: Record<string, unknown>): Record<string, unknown> {
  const long = Object.entries(params)
    .filter(([, v]) => typeof v === 'string' && v.length > MAX_PARAM_CHARS)
    .map(([k]) => k);
  if (long.length) {
    throw new NonRetryableError('INVALID_PARAMS', 'validation', `param ${long.join(', ')} exceeds ${MAX_PARAM_CHARS} characters`, {
      details: { fields: Object.fromEntries(long.map((k) => [k, [`at most ${MAX_PARAM_CHARS} characters`]])), form: [] },
    });
  }
  const parsed = pipeline.paramsSchema.safeParse(params);
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error);
    throw new NonRetryableError('INVALID_PARAMS', 'validation', `params do not match ${pipeline.name}`, {
      details: { fields: flat.fieldErrors, form: flat.formErrors },
    });
  }
  const data = parsed.data as Record<string, unknown>;
  const unknown = Object.keys(params).filter((k) => !(k in data));
  if (unknown.length) {
    throw new NonRetryableError('INVALID_PARAMS', 'validation', `${pipeline.name} has no param ${unknown.join(', ')}`, {
      details: { fields: Object.fromEntries(unknown.map((k) => [k, ['unknown param']])), form: [] },
    });
  }
  return data;
}
