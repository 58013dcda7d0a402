/** Parse step of `liverc.event_deep`: entry list (required), event page, and each listed race page. */
import { NonRetryableError, parseError } from '../../core/errors';
import type { FetchedResource } from '../../core/pipeline';
import { type ParsedEntryList, parseEntryList } from './entry-list-parse';
import { type ListedRace, type ParsedEventPage, parseEventPage } from './event-page-parse';
import { type ParsedRaceResult, parseRaceResult } from './race-result-parse';

export const RT_ENTRY_LIST = 'entry_list';
export const RT_EVENT = 'event';
export const RT_RACE = 'race_result';

export interface ParsedRace {
  listed: ListedRace;
  /** HTTP status of the race page; null when it was never fetched. */
  status: number | null;
  result: ParsedRaceResult | null;
}

export interface ParsedEventDeep {
  eventPage: ParsedEventPage;
  entryList: ParsedEntryList;
  races: ParsedRace[];
}

const ok = (r: FetchedResource | undefined): boolean => !!r && r.status >= 200 && r.status < 300;

export function parseEntryListResource(eventId: string, res: FetchedResource | undefined): ParsedEntryList {
  if (!res || !ok(res)) {
    throw new NonRetryableError(
      'ENTRY_LIST_MISSING',
      'validation',
      `event ${eventId}: entry list unavailable (status ${res?.status ?? 'not fetched'}); LiveRC ingestion requires it`,
      {
        details: { eventId, status: res?.status ?? null },
      },
    );
  }
  const list = parseEntryList(res.body);
  if (list.entries.length === 0) {
    throw new NonRetryableError('ENTRY_LIST_EMPTY', 'validation', `event ${eventId}: entry list has no entries`, { details: { eventId } });
  }
  return list;
}

export function parseEventDeep(eventId: string, fetched: readonly FetchedResource[]): ParsedEventDeep {
  const entryList = parseEntryListResource(
    eventId,
    fetched.find((r) => r.resourceType === RT_ENTRY_LIST),
  );
  const eventRes = fetched.find((r) => r.resourceType === RT_EVENT);
  if (!eventRes || !ok(eventRes)) {
    throw new NonRetryableError(
      'EVENT_PAGE_MISSING',
      'provider',
      `event ${eventId}: event page unavailable (status ${eventRes?.status ?? 'not fetched'})`,
    );
  }
  const eventPage = parseEventPage(eventRes.body);
  const raceRes = new Map(fetched.filter((r) => r.resourceType === RT_RACE).map((r) => [r.resourceKey, r]));
  const races = eventPage.races.map((listed): ParsedRace => {
    const res = listed.id ? raceRes.get(listed.id) : undefined;
    if (!res || !ok(res)) return { listed, status: res?.status ?? null, result: null };
    const result = parseRaceResult(res.body, res.resourceKey);
    // Drift rule: drivers have laps but the lap series blocks are gone. Never publish that as a real event.
    if (result.racerLaps.length === 0 && result.rows.some((r) => (r.laps ?? 0) > 0)) {
      throw parseError('RACER_LAPS_MISSING', `race ${res.resourceKey}: results show laps but the page has no racerLaps blocks`, {
        raceId: res.resourceKey,
      });
    }
    return { listed, status: res.status, result };
  });
  return { eventPage, entryList, races };
}
