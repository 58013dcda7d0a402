/**
 * Loads what a pipeline's pure `carryOver` hook reads, from stored state only: the scope's latest publication
 * payload, when the provider last confirmed that content, and the related scopes' latest publications. Stored
 * state, not the wall clock, so a replay of the same snapshots normalizes to the same hash.
 */
import type { AnyPipeline, RelatedPublication } from '../core/pipeline';
import type { BlobStore, Store } from '../core/ports';
import type { Publication } from '../core/types';
import { readNormalizedDoc } from './blob-keys';
import { latestFetchedAt, NO_CARRY, type CarryInput } from './normalize-step';

export interface PreviousDoc {
  publication: Publication;
  payload: unknown;
  entityHashes: Record<string, string>;
}

/**
 * The scope's latest publication and its stored document (payload and entity hashes); null for the first.
 * `known`: the publication already read (the claim reads it in its own batch); undefined: read it here.
 */
export async function loadPrevious(
  deps: { store: Store; blobs: BlobStore },
  pipeline: string,
  scopeKey: string,
  known?: Publication | null,
): Promise<PreviousDoc | null> {
  const publication = known !== undefined ? known : await deps.store.latestPublication(pipeline, scopeKey);
  if (!publication) return null;
  const doc = await readNormalizedDoc(deps.blobs, publication.payloadKey);
  return { publication, payload: doc.payload, entityHashes: doc.entity_hashes };
}

export async function loadPublicationDoc(deps: { store: Store; blobs: BlobStore }, id: string | null): Promise<PreviousDoc | null> {
  const publication = id ? await deps.store.getPublication(id) : null;
  if (!publication) return null;
  const doc = await readNormalizedDoc(deps.blobs, publication.payloadKey);
  return { publication, payload: doc.payload, entityHashes: doc.entity_hashes };
}

export async function loadCarryInput(
  deps: { store: Store },
  pipeline: AnyPipeline,
  params: Record<string, unknown>,
  scopeKey: string,
  previous: PreviousDoc | null,
  excludeJobId: string,
): Promise<CarryInput> {
  if (!pipeline.carryOver) return NO_CARRY;
  let previousSeenAt: number | null = null;
  if (previous) {
    // The newest earlier fetch of the scope that produced the published content (a re-sync that skipped as
    // unchanged still saw it); otherwise the published job's own fetch time.
    const latest = await deps.store.latestFetchedNormalized(pipeline.name, scopeKey);
    const confirming =
      latest && latest.jobId !== excludeJobId && latest.normalizedHash === previous.publication.normalizedHash
        ? latest.jobId
        : previous.publication.jobId;
    const snaps = await deps.store.listSnapshots(confirming);
    const last = Math.max(0, ...snaps.map((s) => s.attemptNumber));
    previousSeenAt = latestFetchedAt(snaps.filter((s) => s.attemptNumber === last));
  }
  const related = new Map<string, RelatedPublication>();
  const rel = pipeline.related?.(params);
  if (rel) for (const r of await deps.store.latestPublishedUnder(rel.pipeline, rel.scopeKeyPrefix)) related.set(r.scopeKey, r);
  return { previous: previous?.payload ?? null, previousSeenAt, related };
}
