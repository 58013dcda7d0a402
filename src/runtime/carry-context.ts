/**
 * Loads what a pipeline's pure `carryOver` hook reads, from stored state only: the scope's latest publication
 * payload, when the provider last confirmed that content, and the related scopes' latest publications. Stored
 * state, not the wall clock, so a replay of the same snapshots normalizes to the same hash.
 */
import type { AnyPipeline, RelatedPublication } from '../core/pipeline';
import type { BlobStore, Store } from '../core/ports';
import type { Publication } from '../core/types';
import { readNormalizedDoc } from './blob-keys';
import { NO_CARRY, type CarryInput } from './normalize-step';

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

/**
 * `previousSeenAt`: the newest earlier fetch of the scope that produced the published content (a re-sync that
 * skipped as unchanged still saw it), otherwise the published job's own fetch time; with the related scopes' latest
 * publications, one store round trip (Store.carryReads), none when there is neither a previous nor `related`.
 */
export async function loadCarryInput(
  deps: { store: Store },
  pipeline: AnyPipeline,
  params: Record<string, unknown>,
  scopeKey: string,
  previous: PreviousDoc | null,
  excludeJobId: string,
): Promise<CarryInput> {
  if (!pipeline.carryOver) return NO_CARRY;
  const published = previous?.publication;
  const reads = await deps.store.carryReads({
    pipeline: pipeline.name,
    scopeKey,
    previous: published ? { jobId: published.jobId, normalizedHash: published.normalizedHash } : null,
    excludeJobId,
    related: pipeline.related?.(params) ?? null,
  });
  const related = new Map<string, RelatedPublication>(reads.related.map((r) => [r.scopeKey, r]));
  return { previous: previous?.payload ?? null, previousSeenAt: reads.previousSeenAt, related };
}
