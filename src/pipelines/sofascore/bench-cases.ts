/** SofaScore payloads for the parse benchmark (files relative to `testdata/`). */
const API = 'https://www.sofascore.com/api/v1';

export const SOFASCORE_BENCH_CASES = [
  {
    name: 'sofascore seasons of UCL (real)',
    pipeline: 'sofascore.tournament_seasons',
    params: { unique_tournament_id: '7' },
    resources: [
      { resourceType: 'seasons', resourceKey: '7', url: `${API}/unique-tournament/7/seasons`, file: 'sofascore/seasons.ut7.json' },
    ],
  },
  {
    name: 'sofascore PL rounds (real)',
    pipeline: 'sofascore.season_rounds',
    params: { unique_tournament_id: '17', season_id: '96668' },
    resources: [
      {
        resourceType: 'rounds',
        resourceKey: '17:96668',
        url: `${API}/unique-tournament/17/season/96668/rounds`,
        file: 'sofascore/rounds.ut17.s96668.json',
      },
    ],
  },
  {
    name: 'sofascore PL standings total (real, trimmed)',
    pipeline: 'sofascore.standings',
    params: { unique_tournament_id: '17', season_id: '96668', type: 'total' },
    resources: [
      {
        resourceType: 'standings',
        resourceKey: '17:96668:total',
        url: `${API}/unique-tournament/17/season/96668/standings/total`,
        file: 'sofascore/standings-total.ut17.s96668.trimmed.json',
      },
    ],
  },
  {
    name: 'sofascore event 17148332 AET (real)',
    pipeline: 'sofascore.match',
    params: { event_id: '17148332' },
    resources: [{ resourceType: 'event', resourceKey: '17148332', url: `${API}/event/17148332`, file: 'sofascore/event.17148332.json' }],
  },
  {
    name: 'sofascore cup round 2 matches (hand-made from the real event)',
    pipeline: 'sofascore.round_matches',
    params: { unique_tournament_id: '19', season_id: '102079', round: 2, slug: 'qualification-round-2' },
    resources: [
      {
        resourceType: 'round_events',
        resourceKey: '19:102079:2:qualification-round-2',
        url: `${API}/unique-tournament/19/season/102079/events/round/2/slug/qualification-round-2`,
        file: 'sofascore/handmade/round.ut19.s102079.r2.finished.handmade.json',
      },
    ],
  },
];
