/** The zod schemas the routes validate requests with; the OpenAPI document (openapi.ts) is generated from them. */
import { z } from 'zod';
import { FileEventSchema } from '../../core/file-event';
import { JOB_MODES, JOB_STATES } from '../../core/types';
import { cursorParam, limitParam, timeParam } from './query';

export const EnqueueBody = z.strictObject({
  pipeline: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
  force: z.boolean().optional(),
  mode: z.enum(JOB_MODES).optional(),
  max_attempts: z.number().int().min(1).max(50).optional(),
  idempotency_key: z.string().min(1).max(200).optional(),
});

export const ListJobsQuery = z.strictObject({
  state: z.enum(JOB_STATES).optional(),
  pipeline: z.string().max(100).optional(),
  scope_key: z.string().max(500).optional(),
  parent_job_id: z.string().max(100).optional(),
  created_from: timeParam.optional(),
  created_to: timeParam.optional(),
  cursor: cursorParam.optional(),
  limit: limitParam,
});

/** The lookup's own query params; every other query param is a scope filter, checked by the pipeline's schema. */
export const LookupQuery = z.strictObject({
  pipeline: z.string().min(1).max(100),
  scope: z.enum(['any']).optional(),
  cursor: cursorParam.optional(),
  limit: limitParam,
});

export const ScheduleBody = z.strictObject({
  pipeline: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
  cron: z.string().min(9).max(100),
  enabled: z.boolean().default(true),
});

export const ErrorBody = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

/** Snapshot import ledger and extractor routes (routes-imports.ts). */
export const ListImportRunsQuery = z.strictObject({
  trigger: z.enum(['notification', 'scan', 'import_now', 'upload']).optional(),
  cursor: cursorParam.optional(),
  limit: limitParam,
});

export const ListImportFilesQuery = z.strictObject({
  run_id: z.string().max(100).optional(),
  status: z.enum(['queued', 'imported', 'duplicate', 'failed']).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  key_prefix: z.string().min(1).max(500).optional(),
  cursor: cursorParam.optional(),
  limit: limitParam,
});

export const UploadQuery = z.strictObject({
  /** File name under the incoming prefix; default `upload/<date>-<sha256 prefix>.json`. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_./-]{0,199}\.json$/)
    .refine((s) => !s.includes('..'), 'no ..')
    .optional(),
});

export const ImportNowBody = z.strictObject({
  /** A sub-prefix of the incoming prefix to scan (default: all of it). */
  prefix: z.string().max(300).regex(/\/$/).optional(),
  max_files: z.number().int().min(1).max(5000).default(1000),
});

export const ExtractorRunBody = z.strictObject({
  params: z.record(z.string(), z.unknown()).default({}),
  dry_run: z.boolean().default(false),
  /** Where to write (the seed's --output-path); default the incoming prefix, so the import trigger picks it up. */
  output_prefix: z.string().min(1).max(300).regex(/\/$/).optional(),
});

/** POST /files/scan: scan every file trigger prefix, or one pipeline's. */
/** A notification to put on the jobs queue: the object's key (the Worker reads its size and eTag) or a whole R2 event. */
export const FileNotifyBody = z.union([
  FileEventSchema,
  z.strictObject({
    key: z.string().min(1).max(1024),
    action: z.enum(['PutObject', 'CopyObject', 'CompleteMultipartUpload']).default('PutObject'),
  }),
]);

export const FileScanBody = z.strictObject({
  pipeline: z.string().min(1).max(100).optional(),
  max_objects: z.number().int().min(1).max(5000).default(500),
});
