/**
 * The raw evidence of a streamed resource (stream-source.ts): the FILES object its snapshot's `r2:<key>` locator
 * names, not a `raw/<sha256>` copy. Served through a check: the bytes are hashed as they pass and a body that does
 * not end with the recorded sha256 and size errors instead of completing, so changed evidence is never served as
 * the recorded one.
 */
import { NonRetryableError } from '../core/errors';
import type { BlobStore } from '../core/ports';
import { R2_LOCATOR_PREFIX } from '../core/source';
import type { RawSnapshot } from '../core/types';
import { digestStreamSha256 } from './stream-source';

export async function fileEvidence(
  files: BlobStore | undefined,
  snap: Pick<RawSnapshot, 'url' | 'sha256' | 'sizeBytes'>,
): Promise<ReadableStream<Uint8Array> | null> {
  if (!snap.url.startsWith(R2_LOCATOR_PREFIX) || !files?.getStream) return null;
  const obj = await files.getStream(snap.url.slice(R2_LOCATOR_PREFIX.length));
  if (!obj || obj.size !== snap.sizeBytes) return null;
  const hash = digestStreamSha256();
  const reader = obj.body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (!done) {
          await hash.update(value);
          controller.enqueue(value);
          return;
        }
        const found = await hash.hex();
        if (found === snap.sha256) controller.close();
        else
          controller.error(
            new NonRetryableError('EVIDENCE_CHANGED', 'storage', `${snap.url} no longer holds the bytes of snapshot ${snap.sha256}`),
          );
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
