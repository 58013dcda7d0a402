/**
 * Reconstruction from an async byte stream (an R2 object body: `historicMarketPipeline.parseStream`): gzip goes
 * through the platform's DecompressionStream, bz2 through `Bz2StreamDecoder` (a bounded window of compressed
 * input), plain text is split as it arrives, so neither the compressed nor the decompressed file is ever held whole.
 */
import { parseError } from '../../core/errors';
import { Bz2StreamDecoder } from './bz2-stream';
import { corrupt, detectCompression, type Compression } from './decompress';
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
      const bz2 = new Bz2StreamDecoder((c) => splitter.push(c));
      try {
        bz2.push(head.value);
        for await (const c of it) bz2.push(c);
        bz2.end();
      } catch (err) {
        if (err instanceof Error && 'code' in err) throw err;
        throw corrupt(compression, err);
      }
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
