/** Request schemas of /internal/v1/pollers (routes-pollers.ts); the OpenAPI paths (openapi-pollers.ts) use them too. */
import { z } from 'zod';
import { MAX_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS } from '../../core/poller';
import { marketIdsSchema } from '../../pipelines/betfair';

export const StartPollerBody = z.strictObject({
  market_ids: marketIdsSchema,
  /** Milliseconds between polls; BETFAIR_POLL_INTERVAL_MS (5000) when absent. */
  interval_ms: z.number().int().min(MIN_POLL_INTERVAL_MS).max(MAX_POLL_INTERVAL_MS).optional(),
  /** Best-offer levels per side asked of listMarketBook (1-10, default 3). */
  depth: z.number().int().min(1).max(10).optional(),
  /** Stop after this many polls. */
  max_polls: z.number().int().min(1).max(1_000_000).optional(),
  /** Stop at this time (ISO 8601 with an offset); must be in the future. */
  until: z.iso.datetime({ offset: true }).optional(),
});

export const StopPollerBody = z.strictObject({
  reason: z.string().min(1).max(200).optional(),
});

/** The poller id is its sorted market set, comma-separated. */
export const PollerIdParam = z.string().regex(/^1\.\d{1,12}(,1\.\d{1,12}){0,39}$/, 'a poller id is its sorted market ids, comma-separated');
