/** LiveRC: track catalogue, per-track event catalogue, and deep event ingestion. See docs/liverc-pipelines.md. */
import type { AnyPipeline } from '../../core/pipeline';
import { eventCatalogPipeline } from './event-catalog';
import { eventDeepPipeline } from './event-deep';
import { trackCatalogPipeline } from './track-catalog';

export { LIVERC_PROVIDER } from './provider';
export { LIVERC_BENCH_CASES } from './bench-cases';
export { eventCatalogPipeline, eventDeepPipeline, trackCatalogPipeline };

export const LIVERC_PIPELINES: AnyPipeline[] = [trackCatalogPipeline, eventCatalogPipeline, eventDeepPipeline];

/** Suggested schedules: only the track catalogue is proactive (daily); events are fetched on demand. */
export const LIVERC_DEFAULT_SCHEDULES: Array<{ id?: string; pipeline: string; params: Record<string, unknown>; cron: string }> = [
  { id: 'liverc.track_catalog.daily', pipeline: 'liverc.track_catalog', params: {}, cron: '17 4 * * *' },
];
