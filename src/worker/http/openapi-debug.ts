/** OpenAPI paths of the bench-only round-trip counters (src/wiring/io-accounting.ts); merged by openapi.ts. */
import { anyObject, error, json } from './openapi-parts';

export function debugPaths(errors: Record<string, unknown>): Record<string, unknown> {
  return {
    '/debug/io': {
      get: {
        description: "The benchmark's storage round-trip counters (src/wiring/io-accounting.ts). 404 unless IO_ACCOUNTING=true.",
        responses: { '200': json(anyObject, 'counters by binding'), '404': error('NOT_FOUND'), ...errors },
      },
    },
    '/debug/io/reset': {
      post: {
        description: "Zeroes the benchmark's round-trip counters (operator role). 404 unless IO_ACCOUNTING=true.",
        responses: { '200': json(anyObject, '{ok: true}'), '404': error('NOT_FOUND'), ...errors },
      },
    },
  };
}
