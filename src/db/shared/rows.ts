/** Row <-> domain mapping for both stores: JSON text columns; flags are 0/1 on D1 and booleans on Postgres. */
import type { Job, JobAttempt, JobTransition, NormalizedResult, Publication, RawSnapshot, ScheduleConfig } from '../../core/types';
import type { Flag, Row } from './dialect';

export const flag = (v: Flag): boolean => v === true || v === 1;
const optFlag = (v: Flag | null): boolean | null => (v === null ? null : flag(v));
const json = <T>(v: string | null): T | null => (v === null ? null : (JSON.parse(v) as T));

export function toJob(r: Row<'ingestionJobs'>): Job {
  return {
    ...r,
    params: JSON.parse(r.params) as Record<string, unknown>,
    mode: r.mode as Job['mode'],
    force: flag(r.force),
    state: r.state as Job['state'],
    lastErrorRetryable: optFlag(r.lastErrorRetryable),
    result: json<Record<string, unknown>>(r.result),
  };
}

export function toAttempt(r: Row<'jobAttempts'>): JobAttempt {
  return { ...r, state: r.state as JobAttempt['state'], retryable: optFlag(r.retryable) };
}

/** Postgres rows carry `seq` (the insertion order D1 keeps as rowid): it orders transitions and is not one of their fields. */
export function toTransition(r: Row<'jobStateTransitions'> & { seq?: number }): JobTransition {
  const { seq: _seq, ...rest } = r;
  return { ...rest, fromState: r.fromState as JobTransition['fromState'], toState: r.toState as JobTransition['toState'] };
}

export function toSnapshot(r: Row<'rawSnapshots'>): RawSnapshot {
  const { pipeline: _p, scopeKey: _s, ...rest } = r;
  return rest;
}

export function toNormalized(r: Row<'normalizedResults'>): NormalizedResult {
  return {
    ...r,
    publicationDecision: r.publicationDecision as NormalizedResult['publicationDecision'],
    changeClassification: r.changeClassification as NormalizedResult['changeClassification'],
  };
}

export function toPublication(r: Row<'publishedResults'>): Publication {
  return {
    ...r,
    publicationDecision: r.publicationDecision as Publication['publicationDecision'],
    changeClassification: r.changeClassification as Publication['changeClassification'],
  };
}

export function toSchedule(r: Row<'scheduleConfigs'>): ScheduleConfig {
  return { ...r, params: JSON.parse(r.params) as Record<string, unknown>, enabled: flag(r.enabled) };
}
