/**
 * The publication step for one scope. Must run serialized per (pipeline, scope_key): the ScopePublisher Durable
 * Object calls it inside blockConcurrencyWhile, and the (pipeline, scope_key, sequence) unique index turns any
 * race that slipped past that into a failed insert instead of a forked chain.
 *
 * Round trips: the job hands over the latest publication it read (and its document), so the decision needs no
 * read here; the write is conditional on that publication still being the latest (one batch), and when the job
 * has nothing left to do, the same batch ends it `succeeded`; the attempt's raw_snapshots rows ride it too. Only a
 * newer publication costs a re-read.
 */
import { decidePublication, diffEntities } from '../core/decision';
import { buildEnvelope } from '../core/envelope';
import { NonRetryableError, RetryableError } from '../core/errors';
import type { BlobStore, Store, PublishOutcome, PublishRequest } from '../core/ports';
import type { Publication } from '../core/types';
import { getPipeline } from '../pipelines/registry';
import { envelopeKey, type NormalizedDoc, readNormalizedDoc } from './blob-keys';
import { decidedResult, entityCounts } from './job-result';

type Base = { publication: Publication; doc: NormalizedDoc } | null;

/** A newer publication can appear between rounds only from a writer outside this object: give up after a few. */
const MAX_ROUNDS = 3;

export async function publishScope(store: Store, blobs: BlobStore, req: PublishRequest): Promise<PublishOutcome> {
  const current = req.normalized;
  if (current.jobId !== req.jobId || current.pipeline !== req.pipeline || current.scopeKey !== req.scopeKey) {
    throw new NonRetryableError(
      'SCOPE_MISMATCH',
      'internal',
      `normalized result of ${current.jobId} does not belong to ${req.pipeline}/${req.scopeKey}`,
    );
  }
  const doc = req.doc ?? (await readNormalizedDoc(blobs, current.payloadKey));
  let base: Base = req.basedOn !== undefined ? req.basedOn : await readLatest(store, blobs, req);
  for (let round = 1; ; round++) {
    const previous = base?.publication ?? null;
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
    // The job planned its follow-ups against the base it handed over: it may only be finished here on that base.
    const finish = round === 1 && req.basedOn !== undefined ? req.finish : undefined;
    const written = await decideAndWrite(store, blobs, { ...req, finish }, doc, base);
    if (written !== 'stale') return written;
    if (round >= MAX_ROUNDS)
      throw new RetryableError('PUBLICATION_RACE', 'storage', `publications for ${req.pipeline}/${req.scopeKey} kept landing first`);
    base = await readLatest(store, blobs, req);
  }
}

async function readLatest(store: Store, blobs: BlobStore, req: PublishRequest): Promise<Base> {
  const publication = await store.latestPublication(req.pipeline, req.scopeKey);
  return publication ? { publication, doc: await readNormalizedDoc(blobs, publication.payloadKey) } : null;
}

async function decideAndWrite(
  store: Store,
  blobs: BlobStore,
  req: PublishRequest,
  doc: NormalizedDoc,
  base: Base,
): Promise<PublishOutcome | 'stale'> {
  const current = req.normalized;
  const previous = base?.publication ?? null;
  const pipeline = getPipeline(req.pipeline);
  const verdict = decidePublication({ previous, current, force: req.force, drift: pipeline?.drift });
  const publicationId = verdict.publish ? crypto.randomUUID() : null;
  const outcome: PublishOutcome = {
    decision: verdict.decision,
    classification: verdict.classification,
    reason: verdict.reason,
    publicationId,
    previousPublicationId: previous?.id ?? null,
  };
  const decided = {
    ...current,
    publicationDecision: verdict.decision,
    publicationReason: verdict.reason,
    changeClassification: verdict.classification,
    publicationId,
  };
  const publication = publicationId ? await writeEnvelope(blobs, req, doc, base, verdict, publicationId) : null;
  const finishedResult = req.finish
    ? decidedResult(req.finish.result, outcome, entityCounts(base?.doc.entity_hashes ?? null, doc.entity_hashes))
    : undefined;
  let commit;
  try {
    commit = await store.commitDecision({
      result: decided,
      publication,
      claim: req.claimToken ? { jobId: req.jobId, claimToken: req.claimToken } : undefined,
      basedOnSequence: previous?.sequence ?? 0,
      snapshots: req.snapshots,
      finish:
        req.finish && finishedResult
          ? {
              ref: req.finish.ref,
              outcome: {
                ...req.finish.outcome,
                state: 'succeeded',
                now: req.now,
                reason: String(finishedResult.summary),
                result: finishedResult,
              },
            }
          : undefined,
    });
  } catch (err) {
    if (/UNIQUE/i.test(String((err as Error)?.message)) || /UNIQUE/i.test(String((err as Error)?.cause))) {
      throw new RetryableError('PUBLICATION_RACE', 'storage', `another publication for ${req.pipeline}/${req.scopeKey} landed first`, {
        cause: err,
      });
    }
    throw err;
  }
  if (commit.kind === 'lease_lost')
    throw new RetryableError('LEASE_LOST', 'lease', `job ${req.jobId} lost its claim before its decision was saved; nothing was written`);
  if (commit.kind === 'stale') return 'stale';
  return {
    ...outcome,
    ...(publication ? { previousEntityKeys: base ? Object.keys(base.doc.entity_hashes) : undefined, deliveries: commit.deliveries } : {}),
    ...(commit.finished ? { finishedResult } : {}),
    ...(req.snapshots?.length ? { snapshotsSaved: true } : {}),
  };
}

/** The envelope (by the new publication's id, so its key is always new) and the publication row it belongs to. */
async function writeEnvelope(
  blobs: BlobStore,
  req: PublishRequest,
  doc: NormalizedDoc,
  base: Base,
  verdict: ReturnType<typeof decidePublication>,
  id: string,
): Promise<Publication> {
  const current = req.normalized;
  const previous = base?.publication ?? null;
  const pipeline = getPipeline(req.pipeline);
  const changes = diffEntities(base?.doc.entity_hashes ?? null, doc.entity_hashes);
  const lifecycle = pipeline?.lifecycle ? pipeline.lifecycle(base?.doc.payload ?? null, doc.payload) : undefined;
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
  // If the claim turns out lost (or the base stale) below, this object stays unreferenced: nothing reaches it.
  const key = envelopeKey(id);
  await blobs.put(key, JSON.stringify(envelope), 'application/json');
  return {
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
}
