/**
 * Canonical JSON, the basis of every hash the adapter computes. The rules (also in docs/hashing.md):
 *  1. Object keys are sorted by UTF-16 code unit order; `undefined` members are dropped.
 *  2. Keys starting with `_` are execution-local metadata (fetch times, job ids, request ids) and are left out.
 *  3. Numbers must be finite; `-0` becomes `0`; every number is written in JavaScript's shortest round-trip form,
 *     so `1.50`, `1.5` and `15e-1` in a source all hash alike.
 *  4. Strings are NFC-normalized, so composed and decomposed accents hash alike.
 *  5. Arrays keep their order: a pipeline sorts any array whose order carries no meaning before returning it.
 *  6. `null` stays `null`; dates must already be ISO-8601 strings; anything else (functions, bigint, Map) is an error.
 */
export function canonicalJson(value: unknown, memo?: WeakMap<object, string>): string {
  return write(value, '$', memo);
}

// Hot path: every entity of every job goes through here (thousands of laps per event), so strings skip NFC when
// they are ASCII and object keys are quoted once per distinct key.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is "anything but ASCII", NUL included on purpose
const NON_ASCII = /[^\u0000-\u007f]/;
const quotedKeys = new Map<string, string>();

function quoteString(s: string): string {
  return JSON.stringify(NON_ASCII.test(s) ? s.normalize('NFC') : s);
}

function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = quoteString(k);
    if (quotedKeys.size < 10_000) quotedKeys.set(k, q);
  }
  return q;
}

function write(value: unknown, path: string, memo: WeakMap<object, string> | undefined): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number at ${path}`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const v = value[i];
          out += v === undefined ? 'null' : write(v, path, memo);
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`canonicalJson: unsupported object at ${path}`);
      }
      const obj = value as Record<string, unknown>;
      const cached = memo?.get(obj);
      if (cached !== undefined) return cached;
      const keys = Object.keys(obj).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = obj[k];
        if (v === undefined || k.charCodeAt(0) === 95 /* _ */) continue;
        if (!first) out += ',';
        first = false;
        out += `${quoteKey(k)}:${write(v, path === '$' ? `$.${k}` : path, memo)}`;
      }
      out += '}';
      memo?.set(obj, out);
      return out;
    }
    default:
      throw new TypeError(`canonicalJson: unsupported ${typeof value} at ${path}`);
  }
}

const encoder = new TextEncoder();

export async function sha256Hex(data: string | ArrayBuffer | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(digest));
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/**
 * sha256 of the canonical form: the `normalized_hash` and `envelope_hash` function. A memo shared with an earlier
 * pass over the same (unmutated) objects, such as the per-entity hashes, reuses their canonical strings.
 */
export function canonicalHash(value: unknown, memo?: WeakMap<object, string>): Promise<string> {
  return sha256Hex(canonicalJson(value, memo));
}

/**
 * A fast 64-bit (two 32-bit lanes) non-cryptographic hash for per-entity change detection, where thousands of
 * small entities (laps) would make a digest per entity the dominant CPU cost. Collisions only risk missing one
 * entity in a `changed` list, never a publication: `normalized_hash` stays sha256.
 */
export function entityHash(canonical: string): string {
  let h1 = 0xdeadbeef ^ canonical.length;
  let h2 = 0x41c6ce57 ^ canonical.length;
  const n = canonical.length;
  let i = 0;
  // Two UTF-16 code units per step: half the multiplications of a char-by-char loop.
  for (; i + 1 < n; i += 2) {
    const w = canonical.charCodeAt(i) | (canonical.charCodeAt(i + 1) << 16);
    h1 = Math.imul(h1 ^ w, 2654435761);
    h2 = Math.imul(h2 ^ w, 1597334677);
  }
  if (i < n) {
    const w = canonical.charCodeAt(i);
    h1 = Math.imul(h1 ^ w, 2654435761);
    h2 = Math.imul(h2 ^ w, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
