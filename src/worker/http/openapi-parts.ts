/** The building blocks every OpenAPI paths module shares (openapi.ts and its openapi-*.ts parts). */
import { z } from 'zod';

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), without the `$schema` key. */
export const js = (s: z.ZodType, io: 'input' | 'output' = 'input') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};
export const json = (schema: unknown, description: string) => ({ description, content: { 'application/json': { schema } } });
export const error = (description: string) => json({ $ref: '#/components/schemas/Error' }, description);
export const anyObject = { type: 'object' };
