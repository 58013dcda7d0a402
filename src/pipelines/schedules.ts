/** Schedules the adapter ships. Only catalogue syncs are proactive; deep crawls happen on request. */
import type { ScheduleConfig } from '../core/types';

export const DEFAULT_SCHEDULES: Array<Pick<ScheduleConfig, 'id' | 'pipeline' | 'params' | 'cron'>> = [
  { id: 'liverc.track_catalog.daily', pipeline: 'liverc.track_catalog', params: {}, cron: '17 4 * * *' },
];
