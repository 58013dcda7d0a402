/**
 * OpenAPI 3.1 document of the internal API, generated from the zod schemas the routes validate with
 * (./schemas.ts, the envelope schema) through zod 4's own JSON Schema output, so the document cannot describe
 * bodies or query params the code does not accept. `npm run openapi` writes it to docs/openapi.json; a test fails
 * when that file differs from what this function generates.
 */
import type { z } from 'zod';
import { anyEnvelopeSchema } from '../../core/envelope-schema';
import { BulkRetryBody, RenormalizeBody } from './operation-schemas';
import {
  EnqueueBody,
  ErrorBody,
  ExtractorRunBody,
  ImportNowBody,
  ListImportFilesQuery,
  ListImportRunsQuery,
  ListJobsQuery,
  LookupQuery,
  ScheduleBody,
  UploadQuery,
} from './schemas';
import { debugPaths } from './openapi-debug';
import { filePaths } from './openapi-files';
import { deliveryPaths, deliveryWebhooks } from './openapi-deliveries';
import { pollerPaths } from './openapi-pollers';
import { anyObject, error, js, json } from './openapi-parts';

/** Query params of a strict object schema, one OpenAPI parameter each. */
function queryParams(s: z.ZodObject): Array<Record<string, unknown>> {
  const schema = js(s) as { properties: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(schema.properties).map(([name, p]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: p,
  }));
}

const uuidPath = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
const scopeFilters = {
  name: 'scope filters',
  in: 'query',
  required: false,
  description: "The pipeline's scope params (GET /pipelines: scope_params), validated by its params schema; none names the global scope.",
  schema: { type: 'object', additionalProperties: { type: 'string', maxLength: 200 } },
  style: 'form',
  explode: true,
};

export function buildOpenApi(): Record<string, unknown> {
  const lookup = queryParams(LookupQuery);
  const errors = {
    '400': error('invalid request; details.fields names each offending field'),
    '401': error('missing or invalid bearer token'),
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Sports ingestion adapter internal API', version: '1' },
    servers: [{ url: '/internal/v1' }],
    security: [{ bearer: [] }],
    webhooks: deliveryWebhooks(),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: js(ErrorBody, 'output'), Envelope: js(anyEnvelopeSchema, 'output') },
    },
    paths: {
      '/health/live': { get: { security: [], responses: { '200': json(anyObject, 'alive') } } },
      '/health/ready': {
        get: { security: [], responses: { '200': json(anyObject, 'ready'), '503': json(anyObject, 'not ready, with reasons') } },
      },
      '/jobs': {
        post: {
          requestBody: { required: true, content: { 'application/json': { schema: js(EnqueueBody) } } },
          responses: {
            '202': json(anyObject, 'job created'),
            '200': json(anyObject, 'deduplicated: the existing job'),
            '409': error('IDEMPOTENCY_KEY_REUSED'),
            ...errors,
          },
        },
        get: { parameters: queryParams(ListJobsQuery), responses: { '200': json(anyObject, '{jobs, next_cursor}'), ...errors } },
      },
      '/jobs/{id}': {
        get: {
          parameters: [uuidPath('id')],
          responses: {
            '200': json(anyObject, 'job, attempts, transitions, snapshots, normalized'),
            '404': error('JOB_NOT_FOUND'),
            ...errors,
          },
        },
      },
      '/jobs/{id}/cancel': {
        post: {
          parameters: [uuidPath('id')],
          responses: { '200': json(anyObject, 'cancelled'), '409': error('JOB_NOT_CANCELLABLE'), ...errors },
        },
      },
      '/jobs/{id}/retry': {
        post: {
          parameters: [uuidPath('id')],
          responses: { '202': json(anyObject, 're-queued'), '409': error('JOB_NOT_RETRYABLE'), ...errors },
        },
      },
      '/operations/bulk-retry': {
        post: {
          description:
            'Retry failed or exhausted jobs by filter in bounded batches (operator role). A dry run (200) counts what a ' +
            'real run (202) would retry and changes nothing; both answer an operation_id for GET /operations/{id}.',
          requestBody: { required: true, content: { 'application/json': { schema: js(BulkRetryBody) } } },
          responses: {
            '200': json(anyObject, 'dry run: {operation_id, matched, truncated, job_ids}'),
            '202': json(anyObject, '{operation_id, matched, retried, batches, truncated, job_ids, skipped}'),
            '403': error('ROLE_FORBIDDEN'),
            ...errors,
          },
        },
      },
      '/operations/renormalize': {
        post: {
          description:
            'Re-normalize every scope of a pipeline from its stored snapshots (one replay job per scope, no provider request; operator ' +
            'role). A dry run (200) counts the scopes.',
          requestBody: { required: true, content: { 'application/json': { schema: js(RenormalizeBody) } } },
          responses: {
            '200': json(anyObject, 'dry run: {operation_id, pipeline, scopes, truncated}'),
            '202': json(anyObject, '{operation_id, pipeline, scopes, enqueued, deduplicated, batches, truncated, job_ids}'),
            '403': error('ROLE_FORBIDDEN'),
            ...errors,
          },
        },
      },
      '/operations/{id}': {
        get: {
          description:
            "An operation's record (kind, requested_by, request, report) and its live status: its jobs by state, the " +
            'publication decisions of the succeeded ones, failures; state dry_run, running or done.',
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: '^op-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
            },
          ],
          responses: { '200': json(anyObject, '{operation, status}'), '404': error('OPERATION_NOT_FOUND'), ...errors },
        },
      },
      '/publications/latest': {
        get: {
          parameters: [...lookup.filter((p) => p.name === 'pipeline' || p.name === 'scope'), scopeFilters],
          responses: {
            '200': json({ $ref: '#/components/schemas/Envelope' }, 'the envelope'),
            '304': { description: 'unchanged (If-None-Match)' },
            '404': error('PUBLICATION_NOT_FOUND'),
            ...errors,
          },
        },
      },
      '/publications': {
        get: {
          parameters: [...lookup.filter((p) => p.name !== 'scope'), scopeFilters],
          responses: { '200': json(anyObject, '{scope_key, publications, next_cursor}'), ...errors },
        },
      },
      '/publications/{id}': {
        get: {
          parameters: [uuidPath('id')],
          responses: {
            '200': json({ $ref: '#/components/schemas/Envelope' }, 'the envelope'),
            '404': error('PUBLICATION_NOT_FOUND'),
            ...errors,
          },
        },
      },
      '/snapshots/{sha256}': {
        get: {
          parameters: [{ name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } }],
          responses: { '200': { description: 'raw provider body' }, '404': error('SNAPSHOT_NOT_FOUND'), ...errors },
        },
      },
      '/schemas': { get: { responses: { '200': json(anyObject, 'links to the envelope and per-pipeline JSON Schemas') } } },
      '/schemas/envelope': { get: { responses: { '200': json(anyObject, 'JSON Schema of the envelope') } } },
      '/schemas/pipelines/{name}': {
        get: {
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': json(anyObject, "JSON Schema of the envelope with this pipeline's payload"),
            '404': error('UNKNOWN_PIPELINE'),
          },
        },
      },
      '/pipelines': { get: { responses: { '200': json(anyObject, 'the pipeline catalogue, params as JSON Schema') } } },
      '/schedules': { get: { responses: { '200': json(anyObject, '{schedules}') } } },
      '/schedules/{id}': {
        put: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,99}$' } }],
          requestBody: { required: true, content: { 'application/json': { schema: js(ScheduleBody) } } },
          responses: { '200': json(anyObject, 'the schedule'), ...errors },
        },
      },
      '/imports/runs': {
        get: {
          parameters: queryParams(ListImportRunsQuery),
          responses: { '200': json(anyObject, '{runs, next_cursor}: trigger, files seen, imported, duplicate, failed, queued'), ...errors },
        },
      },
      '/imports/runs/{id}': {
        get: {
          parameters: [uuidPath('id')],
          responses: { '200': json(anyObject, '{run, files}'), '404': error('IMPORT_RUN_NOT_FOUND'), ...errors },
        },
      },
      '/imports/files': {
        get: {
          parameters: queryParams(ListImportFilesQuery),
          responses: {
            '200': json(anyObject, '{files, next_cursor}: key, size, sha256, status, record_count, problems, publication_ids'),
            ...errors,
          },
        },
        post: {
          parameters: queryParams(UploadQuery),
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { description: 'a snapshot file (schema in README "Snapshot import"); at most SNAPSHOT_MAX_BYTES' },
              },
            },
          },
          responses: {
            '202': json(anyObject, '{import_file_id, run_id, key, sha256, size, job_id}'),
            '413': error('PAYLOAD_TOO_LARGE'),
            '415': error('UNSUPPORTED_MEDIA_TYPE'),
            ...errors,
          },
        },
      },
      '/imports/files/{id}': {
        get: {
          parameters: [uuidPath('id')],
          responses: { '200': json(anyObject, '{file}'), '404': error('IMPORT_FILE_NOT_FOUND'), ...errors },
        },
      },
      '/imports/run': {
        post: {
          requestBody: { required: false, content: { 'application/json': { schema: js(ImportNowBody) } } },
          responses: { '202': json(anyObject, '{run, files}: the scan of the incoming prefix, queued'), ...errors },
        },
      },
      '/extractors': { get: { responses: { '200': json(anyObject, '{extractors}') } } },
      '/extractors/{name}/run': {
        post: {
          parameters: [
            {
              name: 'name',
              in: 'path',
              required: true,
              schema: { type: 'string', enum: ['public_json_snapshot', 'basketball_reference.season_totals'] },
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: js(ExtractorRunBody) } } },
          responses: {
            '200': json(anyObject, 'dry run report'),
            '201': json(anyObject, 'written: report with key, sha256, record_count'),
            '404': error('UNKNOWN_EXTRACTOR'),
            '422': error('EXTRACTOR_OUTPUT_INVALID'),
            ...errors,
          },
        },
      },
      ...filePaths(errors, js),
      '/metrics': {
        get: { responses: { '200': { description: 'Prometheus text', content: { 'text/plain': { schema: { type: 'string' } } } } } },
      },
      '/openapi.json': { get: { responses: { '200': json(anyObject, 'this document') } } },
      ...deliveryPaths(errors),
      ...debugPaths(errors),
      ...pollerPaths(errors),
    },
  };
}
