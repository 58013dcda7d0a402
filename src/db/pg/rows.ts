/** Row <-> domain mapping for the Postgres store: JSON text columns; booleans and numbers come back typed. */
import type { Job, JobAttempt, JobTransition, NormalizedResult, Publication, RawSnapshot, ScheduleConfig } from '../../core/types';
import type {
  ingestionJobs,
  jobAttempts,
  jobStateTransitions,
  normalizedResults,
  publishedResults,
  rawSnapshots,
  scheduleConfigs,
} from './schema';

type Row<T extends { $inferSelect: unknown }> = T['$inferSelect'];

const json = <T>(v: string | null): T | null => (v === null ? null : (JSON.parse(v) as T));

export function toJob(r: Row<typeof ingestionJobs>): Job {
  return {
    ...r,
    params: JSON.parse(r.params) as Record<string, unknown>,
    mode: r.mode as Job['mode'],
    state: r.state as Job['state'],
    result: json<Record<string, unknown>>(r.result),
  };
}

export function toAttempt(r: Row<typeof jobAttempts>): JobAttempt {
  return { ...r, state: r.state as JobAttempt['state'] };
}

export function toTransition(r: Row<typeof jobStateTransitions>): JobTransition {
  const { seq: _seq, ...rest } = r;
  return { ...rest, fromState: r.fromState as JobTransition['fromState'], toState: r.toState as JobTransition['toState'] };
}

export function toSnapshot(r: Row<typeof rawSnapshots>): RawSnapshot {
  const { pipeline: _p, scopeKey: _s, ...rest } = r;
  return rest;
}

export function toNormalized(r: Row<typeof normalizedResults>): NormalizedResult {
  return {
    ...r,
    publicationDecision: r.publicationDecision as NormalizedResult['publicationDecision'],
    changeClassification: r.changeClassification as NormalizedResult['changeClassification'],
  };
}

export function toPublication(r: Row<typeof publishedResults>): Publication {
  return {
    ...r,
    publicationDecision: r.publicationDecision as Publication['publicationDecision'],
    changeClassification: r.changeClassification as Publication['changeClassification'],
  };
}

export function toSchedule(r: Row<typeof scheduleConfigs>): ScheduleConfig {
  return { ...r, params: JSON.parse(r.params) as Record<string, unknown> };
}
