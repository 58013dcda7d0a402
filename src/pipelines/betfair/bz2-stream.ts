/**
 * bzip2 as a push stream: compressed chunks go in as they arrive, decompressed 64 KB chunks come out, and only a
 * bounded window of compressed input is held. seek-bzip (the project's bz2 decoder, pure JS) reads its input
 * synchronously a byte at a time, so it cannot wait for bytes that have not arrived; it decodes one block per call,
 * though, and a block's compressed size is bounded. So a block is decoded only once the window holds at least that
 * bound past the read position (or the input has ended): a decode never runs past the bytes at hand.
 *
 * Bound: a block holds at most `level` x 100,000 symbols of post-RLE1 data (the level is the header's `BZh1`-`9`),
 * each Huffman-coded in at most 20 bits (2.25 MB at level 9), plus its selectors and tables (under 30 KB) and the
 * stream trailer and next stream header (14 bytes). Until a header is read, level 9 is assumed.
 */
// @ts-expect-error seek-bzip ships no types; the members used are typed below.
import Bunzip from 'seek-bzip';

const SLACK = 64 * 1024;
const boundOf = (blockSize: number) => (blockSize * 20) / 8 + SLACK;
/** Input gathered past the bound before the window is rebuilt: one copy per megabyte, not one per chunk. */
const GATHER = 1024 * 1024;
const OUT_CHUNK = 64 * 1024;

interface BunzipState {
  _init_block(): boolean;
  _read_bunzip(): void;
  _start_bunzip(input: InputWindow, output: ChunkedWriter): void;
  reader: { read(bits: number): number };
  streamCRC: number;
  /** Block size of the current stream (level x 100,000). */
  dbufSize: number;
}
type BunzipCtor = new (input: InputWindow, output: ChunkedWriter) => BunzipState;

/** seek-bzip's output stream: fills a fixed buffer and hands it on when full. */
class ChunkedWriter {
  private buf = new Uint8Array(OUT_CHUNK);
  private pos = 0;
  constructor(private readonly sink: (chunk: Uint8Array) => void) {}
  writeByte(b: number): void {
    this.buf[this.pos++] = b;
    if (this.pos === OUT_CHUNK) this.flush();
  }
  write(buffer: Uint8Array, offset: number, length: number): number {
    for (let i = 0; i < length; i++) this.writeByte(buffer[offset + i] as number);
    return length;
  }
  flush(): void {
    if (this.pos === 0) return;
    // The sink may keep the chunk, so it gets a view of a buffer this writer never touches again.
    const out = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(OUT_CHUNK);
    this.pos = 0;
    this.sink(out);
  }
}

/** seek-bzip's input stream over the bytes received and not yet consumed. */
class InputWindow {
  buf = new Uint8Array(0);
  pos = 0;
  ended = false;

  append(chunk: Uint8Array): void {
    const keep = this.buf.length - this.pos;
    const next = new Uint8Array(keep + chunk.byteLength);
    next.set(this.buf.subarray(this.pos), 0);
    next.set(chunk, keep);
    this.buf = next;
    this.pos = 0;
  }
  get available(): number {
    return this.buf.length - this.pos;
  }
  readByte(): number {
    if (this.pos < this.buf.length) return this.buf[this.pos++] as number;
    // Only reachable at the end of the input (the window guarantees a whole block otherwise): a truncated archive.
    if (!this.ended) throw new Error('bzip2 block larger than the decoding window');
    this.pos++;
    return -1;
  }
  read(buffer: Uint8Array, offset: number, length: number): number {
    let n = 0;
    while (n < length && this.pos < this.buf.length) buffer[offset + n++] = this.buf[this.pos++] as number;
    return n === 0 && length > 0 ? -1 : n;
  }
  eof(): boolean {
    return this.pos >= this.buf.length;
  }
  seek(): void {
    throw new Error('a streamed bzip2 input cannot seek');
  }
}

export class Bz2StreamDecoder {
  private readonly input = new InputWindow();
  private readonly output: ChunkedWriter;
  private bz: BunzipState | null = null;
  private done = false;
  private bound = boundOf(900_000);
  /** Chunks received since the window was last rebuilt. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(sink: (chunk: Uint8Array) => void) {
    this.output = new ChunkedWriter(sink);
  }

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.byteLength;
    if (this.input.available + this.pendingBytes < this.bound + GATHER) return;
    this.take();
    while (!this.done && this.input.available >= this.bound) this.step();
  }

  end(): void {
    this.take();
    this.input.ended = true;
    while (!this.done) this.step();
    this.output.flush();
  }

  private take(): void {
    if (this.pending.length === 0) return;
    const all = new Uint8Array(this.pendingBytes);
    let at = 0;
    for (const p of this.pending) {
      all.set(p, at);
      at += p.byteLength;
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.input.append(all);
  }

  /** One iteration of seek-bzip's own `decode` loop: a block, or the end of one bzip2 stream. */
  private step(): void {
    if (!this.bz) {
      this.bz = new (Bunzip as BunzipCtor)(this.input, this.output);
      this.bound = boundOf(this.bz.dbufSize);
      return;
    }
    if (this.input.ended && this.input.eof()) {
      this.done = true;
      return;
    }
    const bz = this.bz;
    if (bz._init_block()) {
      bz._read_bunzip();
      return;
    }
    const expected = bz.reader.read(32) >>> 0;
    if (expected !== bz.streamCRC) throw new Error(`Bad stream CRC (got ${bz.streamCRC.toString(16)} expected ${expected.toString(16)})`);
    // Multistream (pbzip2-style archives): another bzip2 stream may follow; its header resyncs the bit reader.
    // Before the end of the input the window holds a block's bound, so bytes always follow a stream trailer here.
    if (this.input.ended && this.input.eof()) this.done = true;
    else {
      bz._start_bunzip(this.input, this.output);
      this.bound = boundOf(bz.dbufSize);
    }
  }
}
