/**
 * The publication decision, pure. Given the scope's latest effective publication and a new normalized result:
 *
 *   no previous publication                         -> FIRST_PUBLICATION     -> PUBLISH_FIRST
 *   job.force                                       -> REPUBLISH_FORCED      -> PUBLISH_FORCED
 *   lost most of the previous entities (drift)      -> DRIFT_SUSPECTED       -> HOLD_DRIFT (only force releases it)
 *   same normalized_hash                            -> NO_CHANGE             -> SKIP_NO_CHANGE
 *   same source_snapshot_hash, new normalized_hash  -> NORMALIZATION_CHANGED -> PUBLISH_CHANGED
 *   otherwise                                       -> CONTENT_CHANGED       -> PUBLISH_CHANGED
 *
 * Source bytes that changed without changing the normalized content (new asset version strings, a reordered
 * script) are NO_CHANGE: downstream only ever hears about meaning.
 */
import { DEFAULT_DRIFT_POLICY, type DriftPolicy } from './pipeline';
import type { ChangeClassification, PublicationDecision } from './types';

export interface DecisionSide {
  sourceSnapshotHash: string;
  normalizedHash: string;
  entityCount: number;
}

export interface DecisionInput {
  previous: DecisionSide | null;
  current: DecisionSide;
  force: boolean;
  drift: DriftPolicy | false | undefined;
}

export interface Decision {
  decision: PublicationDecision;
  classification: ChangeClassification;
  reason: string;
  publish: boolean;
}

export function decidePublication({ previous, current, force, drift }: DecisionInput): Decision {
  if (!previous) {
    return { decision: 'PUBLISH_FIRST', classification: 'FIRST_PUBLICATION', reason: 'first publication of this scope', publish: true };
  }
  if (force) {
    const same = previous.normalizedHash === current.normalizedHash ? ' (content unchanged)' : '';
    return { decision: 'PUBLISH_FORCED', classification: 'REPUBLISH_FORCED', reason: `republish forced by the job${same}`, publish: true };
  }
  if (previous.normalizedHash === current.normalizedHash) {
    const why =
      previous.sourceSnapshotHash === current.sourceSnapshotHash
        ? 'identical source and content'
        : 'source bytes changed but normalized content is identical';
    return { decision: 'SKIP_NO_CHANGE', classification: 'NO_CHANGE', reason: why, publish: false };
  }
  const policy = drift === false ? null : (drift ?? DEFAULT_DRIFT_POLICY);
  if (
    policy &&
    previous.entityCount >= policy.minPreviousEntities &&
    current.entityCount < previous.entityCount * policy.minRetainedRatio
  ) {
    const pct = previous.entityCount === 0 ? 0 : Math.round((current.entityCount / previous.entityCount) * 100);
    return {
      decision: 'HOLD_DRIFT',
      classification: 'DRIFT_SUSPECTED',
      reason:
        `held: ${current.entityCount} entities against ${previous.entityCount} in the previous publication ` +
        `(${pct}% retained, minimum ${Math.round(policy.minRetainedRatio * 100)}%); a forced job publishes it`,
      publish: false,
    };
  }
  if (previous.sourceSnapshotHash === current.sourceSnapshotHash) {
    return {
      decision: 'PUBLISH_CHANGED',
      classification: 'NORMALIZATION_CHANGED',
      reason: 'same source snapshots, new normalized output',
      publish: true,
    };
  }
  return { decision: 'PUBLISH_CHANGED', classification: 'CONTENT_CHANGED', reason: 'provider content changed', publish: true };
}

export interface EntityDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Entity keys added, removed and changed between two entity-hash maps; lists are sorted. */
export function diffEntities(previous: Record<string, string> | null, current: Record<string, string>): EntityDiff {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  const prev = previous ?? {};
  for (const [k, h] of Object.entries(current)) {
    const p = prev[k];
    if (p === undefined) added.push(k);
    else if (p !== h) changed.push(k);
  }
  for (const k of Object.keys(prev)) if (!(k in current)) removed.push(k);
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}
