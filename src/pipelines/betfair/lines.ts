/**
 * Bytes to lines, incrementally: chunks go in as they are decompressed, complete lines come out, and only the
 * unfinished tail of the last chunk is kept. This is what keeps memory flat on a large stream file: nothing holds
 * the whole text. UTF-8 sequences split across chunks are handled by TextDecoder's stream mode.
 */
export type LineSink = (line: string, lineNo: number) => void;

export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  private tail = '';
  private lineNo = 0;
  /** Bytes fed so far (decompressed), for throughput figures. */
  bytes = 0;

  constructor(private readonly sink: LineSink) {}

  push(chunk: Uint8Array): void {
    this.bytes += chunk.byteLength;
    this.emit(this.decoder.decode(chunk, { stream: true }));
  }

  /** Flushes the last line even without a trailing newline: a truncated file's last line is still judged. */
  end(): void {
    this.emit(this.decoder.decode());
    if (this.tail.length > 0) {
      const last = this.tail;
      this.tail = '';
      this.deliver(last);
    }
  }

  get lines(): number {
    return this.lineNo;
  }

  private emit(text: string): void {
    if (text.length === 0) return;
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl < 0) {
      this.tail += text;
      return;
    }
    if (this.tail.length > 0) {
      const first = this.tail + text.slice(0, nl);
      this.tail = '';
      this.deliver(first);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl >= 0) {
      this.deliver(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.tail = text.slice(start);
  }

  private deliver(raw: string): void {
    this.lineNo += 1;
    // CRLF is what the live Exchange Stream sends; historic files use LF. Both end up the same.
    const line = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    this.sink(line, this.lineNo);
  }
}
