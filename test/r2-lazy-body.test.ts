/**
 * A FILES object's text is decoded only when its parser reads it: the Betfair stream pipeline reads `bytes`
 * (bz2/gzip/plain, decompressed in chunks), so the object is not also held as a decoded string of its own size.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { r2Source } from '../src/runtime/sources';
import { R2BlobStore } from '../src/wiring/r2-blob-store';
import { withCleanState } from './helpers';

describe('r2 source bodies', () => {
  withCleanState();

  it('hands over the bytes at once and decodes the text on first read only', async () => {
    await env.FILES.put('betfair/historic/x', '\ufeff{"op":"mcm"}\n');
    const res = await r2Source(new R2BlobStore(env.FILES)).fetch(
      { source: 'r2', resourceType: 'f', resourceKey: 'x', url: 'betfair/historic/x' },
      null,
    );
    const body = Object.getOwnPropertyDescriptor(res, 'body');
    expect(typeof body?.get).toBe('function');
    expect(res.bytes.byteLength).toBe(16);
    expect(res.body).toBe('{"op":"mcm"}\n'); // BOM handled as by decodeBody
    expect(res.body).toBe(res.body);
  });
});
