/**
 * The publication step for one scope. Must run serialized per (pipeline, scope_key): the ScopePublisher Durable
 * Object calls it inside blockConcurrencyWhile, and the (pipeline, scope_key, sequence) unique index turns any
 * race that slipped past that into a failed insert instead of a forked chain.
 */
import { decidePublication, diffEntities } from '../core/decision';
import { buildEnvelope } from '../core/envelope';
import { NonRetryableError, RetryableError } from '../core/errors';
import type { BlobStore, JobStore, PublishOutcome, PublishRequest } from '../core/ports';
import type { Publication } from '../core/types';
import { getPipeline } from '../pipelines/registry';
import { envelopeKey, readNormalizedDoc } from './blob-keys';

export async function publishScope(store: JobStore, blobs: BlobStore, req: PublishRequest): Promise<PublishOutcome> {
  const current = req.normalized;
  if (current.jobId !== req.jobId || current.pipeline !== req.pipeline || current.scopeKey !== req.scopeKey) {
    throw new NonRetryableError(
      'SCOPE_MISMATCH',
      'internal',
      `normalized result of ${current.jobId} does not belong to ${req.pipeline}/${req.scopeKey}`,
    );
  }
  const previous = await store.latestPublication(req.pipeline, req.scopeKey);
  // A re-delivered publish for a job whose publication already landed (crash before the job finished) answers
  // what was decided then, instead of comparing the job with itself.
  if (previous && previous.jobId === req.jobId) {
    return {
      decision: previous.publicationDecision,
      classification: previous.changeClassification,
      reason: previous.publicationReason,
      publicationId: previous.id,
      previousPublicationId: previous.supersedesId,
    };
  }
  const pipeline = getPipeline(req.pipeline);
  const verdict = decidePublication({ previous, current, force: req.force, drift: pipeline?.drift });
  const outcome: PublishOutcome = {
    decision: verdict.decision,
    classification: verdict.classification,
    reason: verdict.reason,
    publicationId: null,
    previousPublicationId: previous?.id ?? null,
  };
  const decided = {
    ...current,
    publicationDecision: verdict.decision,
    publicationReason: verdict.reason,
    changeClassification: verdict.classification,
    publicationId: null,
  };
  const claim = req.claimToken ? { jobId: req.jobId, claimToken: req.claimToken } : undefined;
  const leaseLost = () =>
    new RetryableError('LEASE_LOST', 'lease', `job ${req.jobId} lost its claim before its decision was saved; nothing was written`);
  if (!verdict.publish) {
    if (!(await store.recordDecision(decided, null, claim))) throw leaseLost();
    return outcome;
  }

  const doc = req.doc ?? (await readNormalizedDoc(blobs, current.payloadKey));
  const prevDoc = previous ? await readNormalizedDoc(blobs, previous.payloadKey) : null;
  const changes = diffEntities(prevDoc?.entity_hashes ?? null, doc.entity_hashes);
  const lifecycle = pipeline?.lifecycle ? pipeline.lifecycle(prevDoc?.payload ?? null, doc.payload) : undefined;
  const id = crypto.randomUUID();
  const sequence = (previous?.sequence ?? 0) + 1;
  const { envelope, envelopeHash } = await buildEnvelope({
    id,
    pipeline: req.pipeline,
    scopeKey: req.scopeKey,
    scope: req.scope,
    sequence,
    supersedesId: previous?.id ?? null,
    publishedAt: req.now,
    decision: verdict.decision,
    classification: verdict.classification,
    reason: verdict.reason,
    sourceSnapshotHash: current.sourceSnapshotHash,
    normalizedHash: current.normalizedHash,
    parserVersion: current.parserVersion,
    normalizerVersion: current.normalizerVersion,
    jobId: req.jobId,
    changes,
    lifecycle,
    acceptance: req.acceptance,
    payload: doc.payload,
  });
  // Keyed by the new publication's id, so the key is always new: no existence check needed. If the claim turns
  // out lost below, this object stays unreferenced: nothing downstream can reach it.
  const key = envelopeKey(id);
  await blobs.put(key, JSON.stringify(envelope), 'application/json');
  const publication: Publication = {
    id,
    pipeline: req.pipeline,
    scopeKey: req.scopeKey,
    jobId: req.jobId,
    sequence,
    supersedesId: previous?.id ?? null,
    sourceSnapshotHash: current.sourceSnapshotHash,
    normalizedHash: current.normalizedHash,
    envelopeHash,
    publicationDecision: verdict.decision,
    changeClassification: verdict.classification,
    publicationReason: verdict.reason,
    parserVersion: current.parserVersion,
    normalizerVersion: current.normalizerVersion,
    entityCount: current.entityCount,
    addedCount: changes.added.length,
    removedCount: changes.removed.length,
    changedCount: changes.changed.length,
    payloadKey: current.payloadKey,
    envelopeKey: key,
    publishedAt: req.now,
  };
  try {
    if (!(await store.recordDecision({ ...decided, publicationId: id }, publication, claim))) throw leaseLost();
  } catch (err) {
    if (/UNIQUE/i.test(String((err as Error)?.message)) || /UNIQUE/i.test(String((err as Error)?.cause))) {
      throw new RetryableError('PUBLICATION_RACE', 'storage', `another publication for ${req.pipeline}/${req.scopeKey} landed first`, {
        cause: err,
      });
    }
    throw err;
  }
  return { ...outcome, publicationId: id, previousEntityKeys: prevDoc ? Object.keys(prevDoc.entity_hashes) : undefined };
}
