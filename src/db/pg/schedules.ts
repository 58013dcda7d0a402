/** schedule_configs and the operational metrics in Postgres: one definition for both stores, in src/db/shared. */
import * as operational from '../shared/metrics';
import { onDb } from '../shared/on-db';
import * as schedules from '../shared/schedules';
import { pgDialect } from './dialect';

export const { upsertSchedule, listSchedules, dueSchedules, advanceSchedule, metrics } = onDb(pgDialect, { ...schedules, ...operational });
