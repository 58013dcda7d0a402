/**
 * R2 layout. Everything is written once: raw bodies and normalized documents are content-addressed.
 *   raw/<sha256>                   a provider response body, byte for byte
 *   normalized/<normalized_hash>   {payload, entity_hashes} of a normalized result
 *   envelopes/<publication_id>     a published envelope (by id, not hash: two publications may share content,
 *                                  and a publisher that lost a race must never overwrite the winner's envelope)
 */
import type { BlobStore } from '../core/ports';

export const rawKey = (sha256: string) => `raw/${sha256}`;
export const normalizedKey = (hash: string) => `normalized/${hash}`;
export const envelopeKey = (publicationId: string) => `envelopes/${publicationId}`;

export interface NormalizedDoc {
  payload: unknown;
  entity_hashes: Record<string, string>;
}

export async function readNormalizedDoc(blobs: BlobStore, key: string): Promise<NormalizedDoc> {
  const text = await blobs.getText(key);
  if (text === null) throw new Error(`normalized document ${key} is missing from the blob store`);
  return JSON.parse(text) as NormalizedDoc;
}
