/**
 * Validates job params against a pipeline's schema, and refuses params the schema does not know: a misspelt
 * optional filter (`contry` for `country`) would otherwise be dropped silently and widen the job's scope.
 */
import { z } from 'zod';
import { NonRetryableError } from '../core/errors';
import type { AnyPipeline } from '../core/pipeline';

export function validateParams(pipeline: AnyPipeline, params: Record<string, unknown>): Record<string, unknown> {
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
