/** `liverc.event_catalog`: the events of one track; optionally asks for deep ingestion of new (or all) events. */
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors';
import { definePipeline } from '../../core/pipeline';
import { type ParsedEventCatalog, parseEventCatalog } from './event-catalog-parse';
import { deepScopePrefix, withIngestState } from './event-ingest-state';
import { eventUrl, eventsUrl, trackSlugSchema } from './urls';

export const DEFAULT_MAX_DEEP_JOBS = 20;

export const eventCatalogParamsSchema = z.object({
  track_slug: trackSlugSchema,
  depth: z.enum(['none', 'laps_full']).default('none'),
  ingest: z.enum(['new_only', 'all']).default('new_only'),
  /**
   * At most this many `liverc.event_deep` jobs per `laps_full` sync (default 20, each is a few dozen requests at the
   * crawl delay). The rest wait in the payload's `_deep_backlog` and are asked by the next `laps_full` sync.
   */
  max_deep_jobs: z.number().int().min(1).max(500).default(DEFAULT_MAX_DEEP_JOBS),
});
export type EventCatalogParams = z.infer<typeof eventCatalogParamsSchema>;

export const eventCatalogOutputSchema = z.object({
  track_slug: z.string(),
  track_name: z.string().nullable(),
  events: z.array(
    z.object({
      source_event_id: z.string().regex(/^\d+$/),
      name: z.string(),
      /** ISO date (track-local calendar day). */
      date: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .nullable(),
      /** ISO local date-time without offset, when the list carries a time. */
      start_local: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
        .nullable(),
      entries: z.number().int().nonnegative().nullable(),
      drivers: z.number().int().nonnegative().nullable(),
      url: z.string().url(),
      /** `laps_full` once `liverc.event_deep` has published the event, else `none` (seed: Event.ingest_depth). */
      ingest_depth: z.enum(['none', 'laps_full']),
      /** When the deep pipeline last published the event (ISO), null at depth `none`. */
      last_ingested_at: z.string().nullable(),
    }),
  ),
  event_count: z.number().int().nonnegative(),
  _skipped_rows: z.number().int().nonnegative(),
  /** Event ids a `laps_full` sync asked deep ingestion for that has not published yet, newest first (outside the hash). */
  _deep_backlog: z.array(z.string()),
});
export type EventCatalogOutput = z.infer<typeof eventCatalogOutputSchema>;

export const eventKey = (id: string) => `event:${id}`;

export const eventCatalogPipeline = definePipeline<EventCatalogParams, ParsedEventCatalog, EventCatalogOutput>({
  name: 'liverc.event_catalog',
  provider: 'liverc',
  description: "One track's LiveRC event list (https://{slug}.liverc.com/events/); depth laps_full enqueues liverc.event_deep.",
  paramsSchema: eventCatalogParamsSchema,
  scopeParams: ['track_slug'],
  parserVersion: 'liverc.event_catalog.parse/2', // 2: a 00:00:00 sort key means no start time
  normalizerVersion: 'liverc.event_catalog.norm/2', // 2: ingest_depth, last_ingested_at from the deep publications; deep-job backlog
  outputSchema: eventCatalogOutputSchema,
  maxRounds: 1,
  plan(params, fetched) {
    if (fetched.length > 0) return [];
    return [{ resourceType: 'event_list', resourceKey: params.track_slug, url: eventsUrl(params.track_slug) }];
  },
  parse(_params, fetched) {
    const page = fetched.find((r) => r.resourceType === 'event_list');
    if (page?.status !== 200) {
      throw new NonRetryableError('EVENT_LIST_MISSING', 'provider', `event list not fetched (status ${page?.status ?? 'none'})`);
    }
    return parseEventCatalog(page.body);
  },
  normalize(params, parsed) {
    const events = parsed.events
      .map((e) => ({
        source_event_id: e.id,
        name: e.name,
        date: e.date,
        start_local: e.startLocal,
        entries: e.entries,
        drivers: e.drivers,
        url: eventUrl(params.track_slug, e.id),
        ingest_depth: 'none' as const,
        last_ingested_at: null,
      }))
      .sort((a, b) => Number(a.source_event_id) - Number(b.source_event_id));
    return {
      track_slug: params.track_slug,
      track_name: parsed.trackName,
      events,
      event_count: events.length,
      _skipped_rows: parsed.skippedRows,
      _deep_backlog: [],
    };
  },
  related(params) {
    return { pipeline: 'liverc.event_deep', scopeKeyPrefix: deepScopePrefix(params.track_slug) };
  },
  carryOver(params, previous, next, ctx) {
    return withIngestState(params, previous, next, ctx.related);
  },
  *entities(normalized) {
    for (const e of normalized.events) yield [eventKey(e.source_event_id), e] as const;
  },
  followUps(params, normalized) {
    if (params.depth !== 'laps_full') return [];
    // The backlog already holds what this sync asks for (new or all events, plus earlier syncs' leftovers).
    return normalized._deep_backlog
      .slice(0, params.max_deep_jobs)
      .map((id) => ({ pipeline: 'liverc.event_deep', params: { track_slug: params.track_slug, event_id: id } }));
  },
});
