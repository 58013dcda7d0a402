/** schedule_configs and the operational metrics in D1: one definition for both stores, in src/db/shared. */
import * as operational from '../shared/metrics';
import { onDb } from '../shared/on-db';
import * as schedules from '../shared/schedules';
import { d1Dialect } from './dialect';

export const { upsertSchedule, listSchedules, dueSchedules, advanceSchedule, metrics } = onDb(d1Dialect, { ...schedules, ...operational });
