/**
 * Bodies are stored and hashed byte for byte; turning bytes into text is the parser's choice. This helper is the
 * one place that does it for text formats: a leading byte-order mark wins (it is what the file says about itself),
 * then the `charset` of the content type, then UTF-8. The BOM is not part of the text.
 */

const BOMS: Array<[number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/** The charset parameter of a content type, lower-cased, or null. */
export function charsetOf(contentType: string | null | undefined): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

/** Which BOM (if any) the bytes start with: its encoding and length. */
export function sniffBom(bytes: Uint8Array): { encoding: string; length: number } | null {
  for (const [sig, encoding] of BOMS) {
    if (bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b)) return { encoding, length: sig.length };
  }
  return null;
}

// No return annotation: under Node's types (scripts) `TextDecoder` is a value, not a type.
function decoder(label: string) {
  try {
    // ignoreBOM: the BOM was already handled above; a second one inside the text is content.
    return new TextDecoder(label, { fatal: false, ignoreBOM: true });
  } catch {
    // An unknown or unsupported label: UTF-8 is what every provider so far actually sends.
    return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  }
}

/** Decodes a body as text, honouring a leading BOM and the content type's charset (invalid bytes become U+FFFD). */
export function decodeBody(bytes: Uint8Array | ArrayBuffer, contentType: string | null | undefined): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const bom = sniffBom(view);
  if (bom) return decoder(bom.encoding).decode(view.subarray(bom.length));
  return decoder(charsetOf(contentType) ?? 'utf-8').decode(view);
}

/**
 * The text of a body, decoded on first read and kept: binary pipelines (a bz2 stream file) read `bytes` only, so
 * a file object never also sits in memory as a decoded string of its own size. Used as a getter on fetched
 * resources (`get body() { return text() }`).
 */
export function lazyText(bytes: Uint8Array, contentType: string | null): () => string {
  let text: string | undefined;
  return () => (text ??= decodeBody(bytes, contentType));
}
