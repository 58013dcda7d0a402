/** Bodies of the /operations routes, shared by the routes and the OpenAPI document (openapi.ts). */
import { z } from 'zod';
import { timeParam } from './query';

export const BulkRetryBody = z.strictObject({
  pipeline: z.string().min(1).max(100).optional(),
  states: z
    .array(z.enum(['failed', 'exhausted']))
    .min(1)
    .default(['failed', 'exhausted']),
  created_from: timeParam.optional(),
  created_to: timeParam.optional(),
  error_code: z.string().min(1).max(100).optional(),
  dry_run: z.boolean().default(false),
  batch_size: z.number().int().min(1).max(100).default(25),
  max_jobs: z.number().int().min(1).max(1000).default(500),
});

export const RenormalizeBody = z.strictObject({
  pipeline: z.string().min(1).max(100),
  dry_run: z.boolean().default(false),
  batch_size: z.number().int().min(1).max(100).default(25),
  max_scopes: z.number().int().min(1).max(5000).default(1000),
});
