/** `liverc.event_catalog`: the events of one track; optionally asks for deep ingestion of new (or all) events. */
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors';
import { definePipeline } from '../../core/pipeline';
import { type ParsedEventCatalog, parseEventCatalog } from './event-catalog-parse';
import { eventUrl, eventsUrl, trackSlugSchema } from './urls';

export const eventCatalogParamsSchema = z.object({
  track_slug: trackSlugSchema,
  depth: z.enum(['none', 'laps_full']).default('none'),
  ingest: z.enum(['new_only', 'all']).default('new_only'),
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
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
      /** ISO local date-time without offset, when the list carries a time. */
      start_local: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/).nullable(),
      entries: z.number().int().nonnegative().nullable(),
      drivers: z.number().int().nonnegative().nullable(),
      url: z.string().url(),
    }),
  ),
  event_count: z.number().int().nonnegative(),
  _skipped_rows: z.number().int().nonnegative(),
});
export type EventCatalogOutput = z.infer<typeof eventCatalogOutputSchema>;

export const eventKey = (id: string) => `event:${id}`;

export const eventCatalogPipeline = definePipeline<EventCatalogParams, ParsedEventCatalog, EventCatalogOutput>({
  name: 'liverc.event_catalog',
  provider: 'liverc',
  description: "One track's LiveRC event list (https://{slug}.liverc.com/events/); depth laps_full enqueues liverc.event_deep.",
  paramsSchema: eventCatalogParamsSchema,
  scopeParams: ['track_slug'],
  parserVersion: '2', // 2: a 00:00:00 sort key means no start time
  normalizerVersion: '1',
  outputSchema: eventCatalogOutputSchema,
  maxRounds: 1,
  plan(params, fetched) {
    if (fetched.length > 0) return [];
    return [{ resourceType: 'event_list', resourceKey: params.track_slug, url: eventsUrl(params.track_slug) }];
  },
  parse(_params, fetched) {
    const page = fetched.find((r) => r.resourceType === 'event_list');
    if (!page || page.status !== 200) {
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
      }))
      .sort((a, b) => Number(a.source_event_id) - Number(b.source_event_id));
    return {
      track_slug: params.track_slug,
      track_name: parsed.trackName,
      events,
      event_count: events.length,
      _skipped_rows: parsed.skippedRows,
    };
  },
  *entities(normalized) {
    for (const e of normalized.events) yield [eventKey(e.source_event_id), e] as const;
  },
  followUps(params, normalized, { previousEntityKeys }) {
    if (params.depth !== 'laps_full') return [];
    return normalized.events
      .filter((e) => params.ingest === 'all' || previousEntityKeys === null || !previousEntityKeys.has(eventKey(e.source_event_id)))
      .map((e) => ({ pipeline: 'liverc.event_deep', params: { track_slug: params.track_slug, event_id: e.source_event_id } }));
  },
});
