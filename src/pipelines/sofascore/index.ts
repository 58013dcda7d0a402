/** SofaScore (JSON API): tournament seasons, season rounds, round matches, one match, standings. */
import type { AnyPipeline } from '../../core/pipeline';
import { matchPipeline } from './match';
import { roundMatchesPipeline } from './round-matches';
import { seasonRoundsPipeline } from './season-rounds';
import { standingsPipeline } from './standings';
import { tournamentSeasonsPipeline } from './tournament-seasons';

export { SOFASCORE_PROVIDER } from './provider';
export { SOFASCORE_BENCH_CASES } from './bench-cases';

export const SOFASCORE_PIPELINES: AnyPipeline[] = [
  tournamentSeasonsPipeline,
  seasonRoundsPipeline,
  roundMatchesPipeline,
  matchPipeline,
  standingsPipeline,
];
