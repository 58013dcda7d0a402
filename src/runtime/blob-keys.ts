/**
 * R2 layout. Everything is content-addressed and written once:
 *   raw/<sha256>                   a provider response body, byte for byte
 *   normalized/<normalized_hash>   {payload, entity_hashes} of a normalized result
 *   envelopes/<envelope_hash>      a published envelope
 */
import type { BlobStore } from '../core/ports';

export const rawKey = (sha256: string) => `raw/${sha256}`;
export const normalizedKey = (hash: string) => `normalized/${hash}`;
export const envelopeKey = (hash: string) => `envelopes/${hash}`;

export interface NormalizedDoc {
  payload: unknown;
  entity_hashes: Record<string, string>;
}

export async function readNormalizedDoc(blobs: BlobStore, key: string): Promise<NormalizedDoc> {
  const text = await blobs.getText(key);
  if (text === null) throw new Error(`normalized document ${key} is missing from the blob store`);
  return JSON.parse(text) as NormalizedDoc;
}
