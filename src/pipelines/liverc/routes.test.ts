import { describe, expect, it } from 'vitest';
import routes from '../../../testdata/liverc/routes.json';
import { eventCatalogPipeline } from './event-catalog';
import { eventDeepPipeline } from './event-deep';
import { completeEvent, entryListRes, eventRes } from './test-fixtures';
import { trackCatalogPipeline } from './track-catalog';

/** The fixture server's key for a provider URL: host + path, query parameters sorted. */
function routeKey(url: string): string {
  const u = new URL(url);
  u.searchParams.sort();
  const q = u.searchParams.toString();
  return `${u.host}${u.pathname}${q ? `?${q}` : ''}`;
}

const table = routes as Record<string, string>;

describe('testdata/liverc/routes.json', () => {
  it('serves every URL the demo plans for track catalogue, canberraoffroad events and event 486677', () => {
    const deep = eventDeepPipeline.paramsSchema.parse({ track_slug: 'canberraoffroad', event_id: '486677' });
    const planned = [
      ...trackCatalogPipeline.plan({}, []),
      ...eventCatalogPipeline.plan(eventCatalogPipeline.paramsSchema.parse({ track_slug: 'canberraoffroad' }), []),
      ...eventDeepPipeline.plan(deep, []),
      ...eventDeepPipeline.plan(deep, [entryListRes(), eventRes()]),
    ];
    expect(planned).toHaveLength(6);
    for (const r of planned) expect(table[routeKey(r.url)], r.url).toBeTypeOf('string');
    expect(eventDeepPipeline.plan(deep, completeEvent())).toEqual([]);
  });

  it('uses the trimmed event page and the hand-made entry list for the end-to-end demo', () => {
    expect(table['canberraoffroad.liverc.com/results/?id=486677&p=view_event']).toBe('edited/486677.event.trimmed.html');
    expect(table['canberraoffroad.liverc.com/results/?id=486677&p=view_entry_list']).toBe('handmade/486677.entry-list.handmade.html');
    expect(table['live.liverc.com/']).toBe('Track.catalogue.page.html');
  });
});
