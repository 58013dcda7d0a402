/**
 * The publication envelope handed downstream, and its hash. Contract `ingestion.publication` v1:
 * {contract, publication: {id, sequence, supersedes_id, published_at}, pipeline, scope_key, scope, decision,
 *  hashes: {source_snapshot_hash, normalized_hash, envelope_hash}, versions, source: {job_id},
 *  changes: {added, removed, changed, lifecycle?}, payload}
 * `changes.lifecycle` is present only for pipelines with a lifecycle hook (SofaScore matches).
 * `acceptance: {records_seen, accepted, rejected, rejected_by_rule}` is present only for pipelines with an
 * acceptance hook (file imports, CSVs): the counts of input records seen and refused; the refused records
 * themselves (a bounded sample) stay on the job (GET /internal/v1/jobs/{id}, `result.acceptance`).
 * `envelope_hash` covers everything except delivery metadata (publication id, published_at, job id) and itself,
 * so it includes the lineage (sequence, supersedes_id).
 */
import { canonicalHash } from './canonical-json';
import type { EntityDiff } from './decision';
import type { LifecycleChange } from './pipeline';
import type { ChangeClassification, PublicationDecision } from './types';

/** Records seen and refused by a partially accepting pipeline (src/runtime/acceptance.ts). */
export interface AcceptanceCounts {
  records_seen: number;
  accepted: number;
  rejected: number;
  rejected_by_rule: Record<string, number>;
}

export const ENVELOPE_CONTRACT = { schema: 'ingestion.publication', version: 1 } as const;

export interface EnvelopeInput {
  id: string;
  pipeline: string;
  scopeKey: string;
  scope: Record<string, unknown>;
  sequence: number;
  supersedesId: string | null;
  publishedAt: number;
  decision: PublicationDecision;
  classification: ChangeClassification;
  reason: string;
  sourceSnapshotHash: string;
  normalizedHash: string;
  parserVersion: string;
  normalizerVersion: string;
  jobId: string;
  changes: EntityDiff;
  /** From the pipeline's lifecycle hook; undefined when the pipeline has none. */
  lifecycle?: LifecycleChange[];
  /** From the pipeline's acceptance hook; undefined (and absent from the envelope) when the pipeline has none. */
  acceptance?: AcceptanceCounts;
  payload: unknown;
}

export async function buildEnvelope(e: EnvelopeInput): Promise<{ envelope: Record<string, unknown>; envelopeHash: string }> {
  const hashable = {
    contract: ENVELOPE_CONTRACT,
    publication: { sequence: e.sequence, supersedes_id: e.supersedesId },
    pipeline: e.pipeline,
    scope_key: e.scopeKey,
    scope: e.scope,
    decision: { publication_decision: e.decision, change_classification: e.classification, reason: e.reason },
    hashes: { source_snapshot_hash: e.sourceSnapshotHash, normalized_hash: e.normalizedHash },
    versions: { parser_version: e.parserVersion, normalizer_version: e.normalizerVersion },
    changes: e.lifecycle ? { ...e.changes, lifecycle: e.lifecycle } : e.changes,
    ...(e.acceptance ? { acceptance: e.acceptance } : {}),
    payload: e.payload,
  };
  const envelopeHash = await canonicalHash(hashable);
  const envelope = {
    ...hashable,
    publication: { id: e.id, ...hashable.publication, published_at: new Date(e.publishedAt).toISOString() },
    hashes: { ...hashable.hashes, envelope_hash: envelopeHash },
    source: { job_id: e.jobId },
  };
  return { envelope, envelopeHash };
}
