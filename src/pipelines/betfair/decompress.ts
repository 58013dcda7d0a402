/**
 * Compressed archives to decompressed chunks, synchronously, a bounded chunk at a time.
 *
 * Pipeline `parse` is synchronous by contract (pure, replayable from stored bytes), so the async
 * DecompressionStream cannot be used there; `reconstructReadable` (stream-read.ts) uses it for gzip where an
 * async ReadableStream is at hand. Libraries (README "Betfair" explains the choice):
 * - bz2: seek-bzip, pure JS, maintained, decodes into any object with `writeByte`, so output is handed on in
 *   64 KB chunks instead of being collected (a bzip2 block is at most 900 KB: memory stays bounded).
 * - gzip: fflate's streaming `Gunzip`, pure JS, push-based, emits chunks as it inflates.
 */
import { Gunzip } from 'fflate';
// @ts-expect-error seek-bzip ships no types; the one entry used is typed below.
import Bunzip from 'seek-bzip';
import { NonRetryableError } from '../../core/errors';

export type Compression = 'bz2' | 'gzip' | 'plain';
export type ChunkSink = (chunk: Uint8Array) => void;

const CHUNK = 64 * 1024;

/** By magic bytes, not by file name: Betfair names files `1.2345.bz2`, but a downloaded copy may be renamed. */
export function detectCompression(bytes: Uint8Array): Compression {
  if (bytes.length >= 3 && bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68) return 'bz2';
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  return 'plain';
}

function corrupt(compression: Compression, err: unknown): NonRetryableError {
  const message = err instanceof Error ? err.message : String(err);
  return new NonRetryableError('BETFAIR_ARCHIVE_CORRUPT', 'parse', `${compression} archive could not be decompressed: ${message}`, {
    details: { compression },
    cause: err,
  });
}

/** Output sink for seek-bzip: collects bytes into a fixed buffer and hands it on when full. */
class ChunkedWriter {
  private buf = new Uint8Array(CHUNK);
  private pos = 0;
  constructor(private readonly sink: ChunkSink) {}
  writeByte(b: number): void {
    this.buf[this.pos++] = b;
    if (this.pos === CHUNK) this.flush();
  }
  write(buffer: Uint8Array, offset: number, length: number): number {
    for (let i = 0; i < length; i++) this.writeByte(buffer[offset + i] as number);
    return length;
  }
  flush(): void {
    if (this.pos === 0) return;
    // The sink may keep the chunk (TextDecoder does not), so hand over a copy-free view of a fresh buffer.
    const out = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(CHUNK);
    this.pos = 0;
    this.sink(out);
  }
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
  const writer = new ChunkedWriter(sink);
  try {
    // multistream: pbzip2-style archives are several bzip2 streams back to back.
    (Bunzip as { decode(input: Uint8Array, output: ChunkedWriter, multistream: boolean): void }).decode(bytes, writer, true);
  } catch (err) {
    writer.flush();
    throw corrupt(compression, err);
  }
  writer.flush();
  return compression;
}
