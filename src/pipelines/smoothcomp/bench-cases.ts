/**
 * Replay cases for the Node benchmark: each names a pipeline, its params and the fixture (testdata-relative path)
 * that answers every request the pipeline plans. Kept in step with testdata/smoothcomp/routes.json.
 */
export interface BenchCase {
  name: string;
  pipeline: string;
  params: Record<string, unknown>;
  resources: { resourceType: string; resourceKey: string; url: string; file: string; status?: number }[];
}

const D = 'smoothcomp';

export const SMOOTHCOMP_BENCH_CASES: BenchCase[] = [
  {
    name: 'catalog, two upcoming pages + past',
    pipeline: 'smoothcomp.event_catalog',
    params: {},
    resources: [
      {
        resourceType: 'events_listing',
        resourceKey: 'upcoming:1',
        url: 'https://smoothcomp.com/en/events/upcoming',
        file: `${D}/events/upcoming-page-1.handmade.html`,
      },
      {
        resourceType: 'events_listing',
        resourceKey: 'past:1',
        url: 'https://smoothcomp.com/en/events/past',
        file: `${D}/events/past-page-1.handmade.html`,
      },
      {
        resourceType: 'events_listing',
        resourceKey: 'upcoming:2',
        url: 'https://smoothcomp.com/en/events/upcoming?page=2',
        file: `${D}/events/upcoming-page-2.handmade.html`,
      },
    ],
  },
  {
    name: 'event detail with info panels',
    pipeline: 'smoothcomp.event_detail',
    params: { event_id: '14675' },
    resources: [
      {
        resourceType: 'event_page',
        resourceKey: '14675',
        url: 'https://smoothcomp.com/en/event/14675',
        file: `${D}/event_detail/event-14675.handmade.html`,
      },
      {
        resourceType: 'event_info_panels',
        resourceKey: '14675',
        url: 'https://smoothcomp.com/en/event/14675/getInfoPanelsData',
        file: `${D}/event_detail/event-14675-info-panels.handmade.json`,
      },
    ],
  },
  {
    name: 'participants on an organizer subdomain',
    pipeline: 'smoothcomp.event_participants',
    params: { event_id: '30665', host: 'adcc.smoothcomp.com' },
    resources: [
      {
        resourceType: 'participants',
        resourceKey: '30665',
        url: 'https://adcc.smoothcomp.com/en/event/30665/participants',
        file: `${D}/participants/event-30665.handmade.json`,
      },
    ],
  },
  {
    name: 'brackets: elimination with BYE + round robin',
    pipeline: 'smoothcomp.event_brackets',
    params: { event_id: '39001', host: 'adcc.smoothcomp.com' },
    resources: [
      {
        resourceType: 'bracket_list',
        resourceKey: '39001',
        url: 'https://adcc.smoothcomp.com/en/event/39001/schedule/brackets.json',
        file: `${D}/brackets/event-39001-brackets.handmade.json`,
      },
      {
        resourceType: 'bracket_matches',
        resourceKey: '880001',
        url: 'https://adcc.smoothcomp.com/en/event/39001/schedule/new/bracket.json/880001',
        file: `${D}/brackets/bracket-880001.handmade.json`,
      },
      {
        resourceType: 'bracket_placements',
        resourceKey: '880001',
        url: 'https://adcc.smoothcomp.com/en/event/39001/bracket/880001/getPlacementTableData',
        file: `${D}/brackets/placements-880001.handmade.json`,
      },
      {
        resourceType: 'bracket_placements',
        resourceKey: '880003',
        url: 'https://adcc.smoothcomp.com/en/event/39001/bracket/880003/getPlacementTableData',
        file: `${D}/challenge/not-found.handmade.html`,
        status: 404,
      },
      {
        resourceType: 'bracket_matches',
        resourceKey: '880003',
        url: 'https://adcc.smoothcomp.com/en/event/39001/schedule/new/bracket.json/880003',
        file: `${D}/brackets/bracket-880003.handmade.json`,
      },
      {
        resourceType: 'bracket_render',
        resourceKey: '880003',
        url: 'https://adcc.smoothcomp.com/en/event/39001/bracket/880003/getRenderData',
        file: `${D}/brackets/render-880003.handmade.json`,
      },
    ],
  },
  {
    name: 'athlete profile with two feed pages',
    pipeline: 'smoothcomp.athlete_profile_enrichment',
    params: { profile_id: '1001' },
    resources: [
      {
        resourceType: 'profile_page',
        resourceKey: '1001',
        url: 'https://smoothcomp.com/en/profile/1001',
        file: `${D}/athletes/profile-1001.handmade.html`,
      },
      {
        resourceType: 'profile_events',
        resourceKey: '1001:1',
        url: 'https://smoothcomp.com/en/profile/1001/events?page=1',
        file: `${D}/athletes/profile-1001-events-page-1.handmade.json`,
      },
      {
        resourceType: 'profile_events',
        resourceKey: '1001:2',
        url: 'https://smoothcomp.com/en/profile/1001/events?page=2',
        file: `${D}/athletes/profile-1001-events-page-2.handmade.json`,
      },
    ],
  },
  {
    name: 'academy catalog (anchors)',
    pipeline: 'smoothcomp.academy_catalog',
    params: {},
    resources: [
      {
        resourceType: 'club_finder',
        resourceKey: '1',
        url: 'https://smoothcomp.com/en/club/finder',
        file: `${D}/academies/club-finder.handmade.html`,
      },
    ],
  },
];
