/**
 * How to feed each real LiveRC capture through parse + normalize, for a Node benchmark. `file` is relative to
 * `testdata/`; the benchmark reads the bytes and builds FetchedResource objects (status 200) from these rows.
 */
export interface LiveRcBenchCase {
  name: string;
  pipeline: string;
  params: Record<string, unknown>;
  resources: Array<{ resourceType: string; resourceKey: string; url: string; file: string }>;
}

const EV = 'https://canberraoffroad.liverc.com/results/';

export const LIVERC_BENCH_CASES: LiveRcBenchCase[] = [
  {
    name: 'track catalogue (630 KB, real)',
    pipeline: 'liverc.track_catalog',
    params: {},
    resources: [
      { resourceType: 'track_catalog', resourceKey: 'all', url: 'https://live.liverc.com/', file: 'liverc/Track.catalogue.page.html' },
    ],
  },
  {
    name: 'canberraoffroad events list (real)',
    pipeline: 'liverc.event_catalog',
    params: { track_slug: 'canberraoffroad' },
    resources: [
      {
        resourceType: 'event_list',
        resourceKey: 'canberraoffroad',
        url: 'https://canberraoffroad.liverc.com/events/',
        file: 'liverc/Track.events.listing.page.html',
      },
    ],
  },
  {
    name: 'event 486677 deep: trimmed event page + hand-made entry list + 2 real race pages',
    pipeline: 'liverc.event_deep',
    params: { track_slug: 'canberraoffroad', event_id: '486677' },
    resources: [
      {
        resourceType: 'entry_list',
        resourceKey: '486677',
        url: `${EV}?p=view_entry_list&id=486677`,
        file: 'liverc/handmade/486677.entry-list.handmade.html',
      },
      {
        resourceType: 'event',
        resourceKey: '486677',
        url: `${EV}?p=view_event&id=486677`,
        file: 'liverc/edited/486677.event.trimmed.html',
      },
      {
        resourceType: 'race_result',
        resourceKey: '6304829',
        url: `${EV}?p=view_race_result&id=6304829`,
        file: 'liverc/1.8.Nitro.Buggy.A-Main.Results.html',
      },
      {
        resourceType: 'race_result',
        resourceKey: '6304822',
        url: `${EV}?p=view_race_result&id=6304822`,
        file: 'liverc/1.8.Electric.Buggy.A3-Main Results.html',
      },
    ],
  },
  {
    name: 'event 486677 deep: real event page (32 races listed, 2 captured, 30 reported missing)',
    pipeline: 'liverc.event_deep',
    params: { track_slug: 'canberraoffroad', event_id: '486677' },
    resources: [
      {
        resourceType: 'entry_list',
        resourceKey: '486677',
        url: `${EV}?p=view_entry_list&id=486677`,
        file: 'liverc/handmade/486677.entry-list.handmade.html',
      },
      { resourceType: 'event', resourceKey: '486677', url: `${EV}?p=view_event&id=486677`, file: 'liverc/Event.detail.page.html' },
      {
        resourceType: 'race_result',
        resourceKey: '6304829',
        url: `${EV}?p=view_race_result&id=6304829`,
        file: 'liverc/1.8.Nitro.Buggy.A-Main.Results.html',
      },
      {
        resourceType: 'race_result',
        resourceKey: '6304822',
        url: `${EV}?p=view_race_result&id=6304822`,
        file: 'liverc/1.8.Electric.Buggy.A3-Main Results.html',
      },
    ],
  },
];
