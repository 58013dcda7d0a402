/**
 * Compressed archives to decompressed chunks, synchronously, a bounded chunk at a time.
 *
 * Pipeline `parse` is synchronous by contract (pure, replayable from stored bytes), so the async
 * DecompressionStream cannot be used there; `reconstructReadable` (stream-read.ts) uses it for gzip where an
 * async ReadableStream is at hand. Libraries (README "Betfair" explains the choice):
 * - bz2: seek-bzip, pure JS, maintained, driven a block at a time by `Bz2StreamDecoder` (bz2-stream.ts), which
 *   also serves the streamed path: output is handed on in 64 KB chunks, input held in a bounded window.
 * - gzip: fflate's streaming `Gunzip`, pure JS, push-based, emits chunks as it inflates.
 */
import { Gunzip } from 'fflate';
import { NonRetryableError } from '../../core/errors';
import { Bz2StreamDecoder } from './bz2-stream';

export type Compression = 'bz2' | 'gzip' | 'plain';
export type ChunkSink = (chunk: Uint8Array) => void;

const CHUNK = 64 * 1024;

/** By magic bytes, not by file name: Betfair names files `1.2345.bz2`, but a downloaded copy may be renamed. */
export function detectCompression(bytes: Uint8Array): Compression {
  if (bytes.length >= 3 && bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68) return 'bz2';
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  return 'plain';
}

export function corrupt(compression: Compression, err: unknown): NonRetryableError {
  const message = err instanceof Error ? err.message : String(err);
  return new NonRetryableError('BETFAIR_ARCHIVE_CORRUPT', 'parse', `${compression} archive could not be decompressed: ${message}`, {
    details: { compression },
    cause: err,
  });
}

export function decompressInto(bytes: Uint8Array, sink: ChunkSink): Compression {
  const compression = detectCompression(bytes);
  if (compression === 'plain') {
    for (let i = 0; i < bytes.length; i += CHUNK) sink(bytes.subarray(i, Math.min(bytes.length, i + CHUNK)));
    return compression;
  }
  if (compression === 'gzip') {
    const gunzip = new Gunzip((chunk) => sink(chunk));
    try {
      for (let i = 0; i < bytes.length; i += CHUNK) {
        const end = Math.min(bytes.length, i + CHUNK);
        gunzip.push(bytes.subarray(i, end), end === bytes.length);
      }
    } catch (err) {
      throw corrupt(compression, err);
    }
    return compression;
  }
  try {
    const bz2 = new Bz2StreamDecoder(sink);
    for (let i = 0; i < bytes.length; i += CHUNK) bz2.push(bytes.subarray(i, Math.min(bytes.length, i + CHUNK)));
    bz2.end();
  } catch (err) {
    throw corrupt(compression, err);
  }
  return compression;
}
