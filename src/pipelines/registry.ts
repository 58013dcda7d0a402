/**
 * The registry: every pipeline and provider profile the adapter knows. Adding a provider touches its folder and
 * one line in each list below.
 */
import type { AnyPipeline } from '../core/pipeline';
import type { ProviderProfile } from '../core/provider';
import { BETFAIR_DEFAULT_SCHEDULES, BETFAIR_PIPELINES, BETFAIR_PROVIDER } from './betfair';
import { LIVERC_DEFAULT_SCHEDULES, LIVERC_PIPELINES, LIVERC_PROVIDER } from './liverc';
import type { ScheduleConfig } from '../core/types';
import { AJPTOUR_PIPELINES, AJPTOUR_PROVIDER, SMOOTHCOMP_PIPELINES, SMOOTHCOMP_PROVIDER } from './smoothcomp';
import { SOFASCORE_PIPELINES, SOFASCORE_PROVIDER } from './sofascore';
import { BBREF_PROVIDER, PUBLIC_JSON_PROVIDER, SNAPSHOT_PIPELINES, SNAPSHOTS_PROVIDER } from './snapshots';
import { FILES_PIPELINES } from './files';

const PIPELINES: AnyPipeline[] = [
  ...LIVERC_PIPELINES,
  ...SMOOTHCOMP_PIPELINES,
  ...AJPTOUR_PIPELINES,
  ...SOFASCORE_PIPELINES,
  ...FILES_PIPELINES,
  ...SNAPSHOT_PIPELINES,
  ...BETFAIR_PIPELINES,
];

const PROVIDERS: ProviderProfile[] = [
  LIVERC_PROVIDER,
  SMOOTHCOMP_PROVIDER,
  AJPTOUR_PROVIDER,
  SOFASCORE_PROVIDER,
  SNAPSHOTS_PROVIDER,
  BBREF_PROVIDER,
  PUBLIC_JSON_PROVIDER,
  BETFAIR_PROVIDER,
];

const pipelineByName = new Map(PIPELINES.map((p) => [p.name, p]));
const providerByName = new Map(PROVIDERS.map((p) => [p.name, p]));

export function getPipeline(name: string): AnyPipeline | undefined {
  return pipelineByName.get(name);
}

export function listPipelines(): AnyPipeline[] {
  return [...PIPELINES];
}

export function getProvider(name: string): ProviderProfile | undefined {
  return providerByName.get(name);
}

/** Schedules the adapter ships, seeded by the cron handler without overwriting operator changes. Only catalogue
 * syncs are proactive; deep crawls happen on request. */
const SCHEDULES: Array<{ id?: string; pipeline: string; params: Record<string, unknown>; cron: string; requires?: string[] }> = [
  ...LIVERC_DEFAULT_SCHEDULES,
  ...BETFAIR_DEFAULT_SCHEDULES,
];

/** `requires`: secret names the edge must have for the schedule to be seeded (a login the schedule needs). */
export function listDefaultSchedules(): Array<Pick<ScheduleConfig, 'id' | 'pipeline' | 'params' | 'cron'> & { requires?: string[] }> {
  return SCHEDULES.map((s) => ({ ...s, id: s.id ?? `${s.pipeline}.default` }));
}
