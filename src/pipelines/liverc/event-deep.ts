/**
 * `liverc.event_deep`: one event in full (entry list, races, results, laps). Round 1 fetches the entry list and the
 * event page; round 2 fetches every race result page the event page lists (optional: a 404 reaches parse and the
 * publication is marked incomplete). A complete event is never fetched again unless `refetch` is set.
 */
import { definePipeline, type FetchedResource, type ResourceRequest } from '../../core/pipeline';
import { RT_ENTRY_LIST, RT_EVENT, RT_RACE, type ParsedEventDeep, parseEntryListResource, parseEventDeep } from './event-deep-parse';
import { normalizeEventDeep } from './event-deep-normalize';
import { type EventDeepOutput, type EventDeepParams, eventDeepOutputSchema, eventDeepParamsSchema } from './event-deep-schema';
import { parseEventPage } from './event-page-parse';
import { entryListUrl, eventUrl, raceResultUrl } from './urls';

function planRaces(params: EventDeepParams, fetched: readonly FetchedResource[]): ResourceRequest[] {
  if (fetched.some((r) => r.resourceType === RT_RACE)) return [];
  // No race page is worth a request when the entry list already fails the job.
  try {
    parseEntryListResource(
      params.event_id,
      fetched.find((r) => r.resourceType === RT_ENTRY_LIST),
    );
  } catch {
    return [];
  }
  const event = fetched.find((r) => r.resourceType === RT_EVENT);
  if (!event || event.status < 200 || event.status >= 300) return [];
  let ids: string[];
  try {
    ids = parseEventPage(event.body).races.flatMap((r) => (r.id ? [r.id] : []));
  } catch {
    return []; // parse reports the drift
  }
  return ids.map((id) => ({ resourceType: RT_RACE, resourceKey: id, url: raceResultUrl(params.track_slug, id), optional: true }));
}

export const eventDeepPipeline = definePipeline<EventDeepParams, ParsedEventDeep, EventDeepOutput>({
  name: 'liverc.event_deep',
  provider: 'liverc',
  description: 'One LiveRC event in full: entry list (required), races, results and per-lap times from racerLaps.',
  paramsSchema: eventDeepParamsSchema,
  scopeParams: ['track_slug', 'event_id'],
  parserVersion: 'liverc.event_deep.parse/1',
  normalizerVersion: 'liverc.event_deep.norm/4', // 2: std deviation from the unrounded racerLaps value; 3: race_key, driver name_key + transponders; 4: completed_at -> completed_local (no offset: not an instant)
  outputSchema: eventDeepOutputSchema,
  maxRounds: 2,
  drift: false,
  plan(params, fetched) {
    if (fetched.length === 0) {
      return [
        {
          resourceType: RT_ENTRY_LIST,
          resourceKey: params.event_id,
          url: entryListUrl(params.track_slug, params.event_id),
          optional: true,
        }, // a 404 reaches parse: ENTRY_LIST_MISSING
        { resourceType: RT_EVENT, resourceKey: params.event_id, url: eventUrl(params.track_slug, params.event_id) },
      ];
    }
    return planRaces(params, fetched);
  },
  parse(params, fetched) {
    return parseEventDeep(params.event_id, fetched);
  },
  normalize(params, parsed) {
    return normalizeEventDeep(params, parsed);
  },
  *entities(n) {
    yield [`event:${n.event.source_event_id}`, { ...n.event, complete: n.complete, missing_races: n.missing_races }] as const;
    for (const d of n.drivers) yield [`driver:${d.driver_key}`, d] as const;
    for (const e of n.entries) yield [`entry:${e.driver_key}:${e.class_name}`, e] as const;
    for (const r of n.races) yield [`race:${r.race_key}`, r] as const;
    for (const r of n.results) yield [`result:${r.source_race_id}:${r.driver_key}`, r] as const;
    for (const l of n.laps) yield [`lap:${l.source_race_id}:${l.driver_key}:${l.lap_number}`, l] as const;
  },
  skipFetch(params, latest) {
    return latest?.complete === true && !params.refetch ? 'EVENT_ALREADY_COMPLETE' : null;
  },
});
