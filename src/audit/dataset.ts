/** The audit dataset format (documented in src/audit/README.md). */
import { z } from 'zod';

export const MISMATCH_CLASSES = [
  'SOURCE_NOT_VISIBLE',
  'PARTIAL_SOURCE_DATA',
  'PARSER_DRIFT',
  'NORMALIZATION_BUG',
  'ID_RESOLUTION_BUG',
  'SUBDOMAIN_VARIANT',
  'EXPECTATION_WAS_WRONG',
  'UNSUPPORTED_VARIANT',
] as const;
export type MismatchClass = (typeof MISMATCH_CLASSES)[number];

/**
 * `has`: the value is an object whose listed fields deep-equal the actual object's (other fields ignored), for
 * truths read off a page about an output that also carries stored-state fields (ingest_depth, last_seen_at).
 */
export const OPS = ['equals', 'count', 'exists', 'contains', 'has'] as const;
export type Op = (typeof OPS)[number];

const known = z.object({ classification: z.enum(MISMATCH_CLASSES), note: z.string().min(1) });

export const assertionSchema = z.object({
  id: z.string().min(1),
  /** Human statement of the truth, e.g. "match 3 was won by points by João Silva". */
  truth: z.string().optional(),
  path: z.string().min(1),
  op: z.enum(OPS),
  value: z.unknown().optional(),
  /** A recorded, understood mismatch: the assertion states the truth, this says why the output differs. */
  known: known.optional(),
});
export type Assertion = z.infer<typeof assertionSchema>;

export const resourceSchema = z.object({
  resourceType: z.string(),
  resourceKey: z.string(),
  url: z.string().url(),
  /** Relative to testdata/<provider>/. */
  file: z.string(),
  status: z.number().int().optional(),
  contentType: z.string().optional(),
});
export type DatasetResource = z.infer<typeof resourceSchema>;

export const caseSchema = z.object({
  id: z.string().min(1),
  pipeline: z.string(),
  params: z.record(z.string(), z.unknown()),
  description: z.string().optional(),
  resources: z.array(resourceSchema).min(1),
  /** The case must fail with this error (a challenge page, a login wall). */
  expect_error: z.object({ code: z.string().optional(), category: z.string().optional(), known: known.optional() }).optional(),
  /** Check that the pipeline's plan, replayed over these resources, asks for exactly them (default true). */
  check_plan: z.boolean().optional(),
  assertions: z.array(assertionSchema).default([]),
});
export type AuditCase = z.infer<typeof caseSchema>;

export const datasetSchema = z.object({
  provider: z.string(),
  description: z.string().optional(),
  cases: z.array(caseSchema).min(1),
  /** Fixtures deliberately not replayed through a pipeline (a session bootstrap page), each with the reason. */
  support_files: z.array(z.object({ file: z.string(), note: z.string().min(1) })).default([]),
});
export type Dataset = z.infer<typeof datasetSchema>;
