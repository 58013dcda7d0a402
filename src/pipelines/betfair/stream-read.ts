/**
 * Reconstruction from an async byte stream (an R2 object body, a download in progress), for callers that have
 * one: gzip goes through the platform's DecompressionStream, plain text is split as it arrives, so neither the
 * compressed nor the decompressed file is ever held whole. bz2 has no platform decoder and seek-bzip reads its
 * input by random access, so a bz2 stream's compressed bytes are collected first (they are the small side) and
 * decoded in chunks as in the synchronous path.
 */
import { parseError } from '../../core/errors';
import { detectCompression, decompressInto, type Compression } from './decompress';
import { LineSplitter } from './lines';
import { type Reconstruction, StreamReconstructor } from './reconstructor';

async function* chunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value && value.byteLength > 0) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

function prepend(first: Uint8Array, rest: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  let sentFirst = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentFirst) {
        sentFirst = true;
        controller.enqueue(first);
        return;
      }
      const next = await rest.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}

export async function reconstructReadable(stream: ReadableStream<Uint8Array>): Promise<Reconstruction> {
  const reconstructor = new StreamReconstructor();
  const splitter = new LineSplitter((line, n) => reconstructor.line(line, n));
  const it = chunks(stream);
  const head = await it.next();
  let compression: Compression = 'plain';
  if (!head.done) {
    compression = detectCompression(head.value);
    if (compression === 'bz2') {
      const parts: Uint8Array[] = [head.value];
      for await (const c of it) parts.push(c);
      const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.byteLength;
      }
      decompressInto(all, (c) => splitter.push(c));
    } else {
      const source = prepend(head.value, it);
      const body =
        compression === 'gzip'
          ? source.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>)
          : source;
      try {
        for await (const c of chunks(body)) splitter.push(c);
      } catch (err) {
        if (err instanceof Error && 'code' in err) throw err;
        throw parseError(
          'BETFAIR_ARCHIVE_CORRUPT',
          `gzip stream could not be decompressed: ${err instanceof Error ? err.message : String(err)}`,
          { compression },
        );
      }
    }
  }
  splitter.end();
  reconstructor.stats.bytes = splitter.bytes;
  if (reconstructor.markets.size === 0)
    throw parseError(
      'BETFAIR_NO_MARKET_DEFINITION',
      `the stream has no market change with a marketDefinition (${reconstructor.stats.lines} lines)`,
      { lines: reconstructor.stats.lines },
    );
  return { compression, reconstructor };
}
