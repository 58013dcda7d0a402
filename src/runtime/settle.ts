/**
 * Settling a file source's object after its job's final state: move it (e.g. `incoming/x` to `archive/x`) by copy
 * then delete. Idempotent under redelivery: a second run finds the source gone and the target present and does
 * nothing; a run that died between copy and delete copies again (same bytes) and deletes.
 */
import type { BlobStore } from '../core/ports';

export type SettleResult = 'moved' | 'already_moved' | 'missing';

export async function moveObject(blobs: BlobStore, from: string, to: string): Promise<SettleResult> {
  if (from === to) return 'already_moved';
  const copied = await blobs.copy(from, to);
  if (!copied) return (await blobs.getBytes(to)) ? 'already_moved' : 'missing';
  await blobs.delete(from);
  return 'moved';
}
