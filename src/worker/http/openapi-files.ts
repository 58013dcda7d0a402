/** OpenAPI paths of /files (prefix scan, notification relay); merged by openapi.ts. */
import type { z } from 'zod';
import { FileNotifyBody, FileScanBody } from './schemas';
import { anyObject, error, json } from './openapi-parts';

export function filePaths(errors: Record<string, unknown>, js: (s: z.ZodType) => unknown): Record<string, unknown> {
  return {
    '/files/scan': {
      post: {
        requestBody: { required: true, content: { 'application/json': { schema: js(FileScanBody) } } },
        responses: {
          '200': json(anyObject, '{pipelines: [{pipeline, prefix, objects, created, existing, ignored, truncated}]}'),
          '503': error('FILES_NOT_BOUND'),
          ...errors,
        },
      },
    },
    '/files/notify': {
      post: {
        description:
          'Puts an R2 object-created notification on the jobs queue (operator role): a whole event, or a key whose size and eTag the ' +
          'Worker reads. The queue consumer routes it like one from Cloudflare.',
        requestBody: { required: true, content: { 'application/json': { schema: js(FileNotifyBody) } } },
        responses: {
          '202': json(anyObject, '{queued: true, event}'),
          '404': error('FILE_NOT_FOUND'),
          ...errors,
        },
      },
    },
  };
}
