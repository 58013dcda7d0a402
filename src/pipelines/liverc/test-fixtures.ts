/** Test-only helpers: recorded LiveRC pages as FetchedResource objects (Vite raw imports, no `fs`). */
import type { FetchedResource } from '../../core/pipeline';
import electricA3 from '../../../testdata/liverc/1.8.Electric.Buggy.A3-Main Results.html?raw';
import nitroA from '../../../testdata/liverc/1.8.Nitro.Buggy.A-Main.Results.html?raw';
import eventPage from '../../../testdata/liverc/Event.detail.page.html?raw';
import trimmedEvent from '../../../testdata/liverc/edited/486677.event.trimmed.html?raw';
import noRacerLaps from '../../../testdata/liverc/edited/6304829.race.no-racerlaps.edited.html?raw';
import emptyEntryList from '../../../testdata/liverc/handmade/486677.entry-list.empty.handmade.html?raw';
import entryList from '../../../testdata/liverc/handmade/486677.entry-list.handmade.html?raw';
import { RT_ENTRY_LIST, RT_EVENT, RT_RACE } from './event-deep-parse';
import { entryListUrl, eventUrl, raceResultUrl } from './urls';

export const PAGES = { electricA3, nitroA, eventPage, trimmedEvent, noRacerLaps, emptyEntryList, entryList };

export function res(resourceType: string, resourceKey: string, url: string, body: string, status = 200): FetchedResource {
  return {
    resourceType,
    resourceKey,
    url,
    status,
    contentType: 'text/html; charset=utf-8',
    body,
    bytes: new TextEncoder().encode(body),
    sha256: `test-${resourceKey}`,
  };
}

const SLUG = 'canberraoffroad';
export const entryListRes = (body = entryList, status = 200) => res(RT_ENTRY_LIST, '486677', entryListUrl(SLUG, '486677'), body, status);
export const eventRes = (body = trimmedEvent, status = 200) => res(RT_EVENT, '486677', eventUrl(SLUG, '486677'), body, status);
export const raceRes = (id: string, body: string, status = 200) => res(RT_RACE, id, raceResultUrl(SLUG, id), body, status);

/** Event 486677 as the demo serves it: hand-made entry list, trimmed event page, the two captured races. */
export function completeEvent(): FetchedResource[] {
  return [entryListRes(), eventRes(), raceRes('6304829', nitroA), raceRes('6304822', electricA3)];
}
