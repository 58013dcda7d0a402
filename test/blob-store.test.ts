/** The blob store port's list/copy/delete and the settle move, against the real local R2 bucket. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { moveObject } from '../src/runtime/settle';
import { blobsOf } from '../src/wiring/env-ports';
import { withCleanState } from './helpers';

describe('blob store port on R2', () => {
  withCleanState({ invariants: false });

  it('lists a prefix page by page, copies with the content type, deletes idempotently', async () => {
    const blobs = blobsOf(env);
    for (const n of ['a', 'b', 'c']) await blobs.put(`incoming/${n}.csv`, `x,${n}\n`, 'text/csv');
    await blobs.put('other/z', 'z', 'text/plain');
    const first = await blobs.list('incoming/', { limit: 2 });
    expect(first.keys.map((k) => k.key)).toEqual(['incoming/a.csv', 'incoming/b.csv']);
    expect(first.keys[0]).toMatchObject({ size: 4 });
    const second = await blobs.list('incoming/', { cursor: first.cursor!, limit: 2 });
    expect(second).toMatchObject({ keys: [expect.objectContaining({ key: 'incoming/c.csv' })], cursor: null });
    expect(await blobs.copy('incoming/a.csv', 'archive/a.csv')).toBe(true);
    expect((await env.RAW.head('archive/a.csv'))!.httpMetadata?.contentType).toBe('text/csv');
    expect(await blobs.copy('incoming/none', 'archive/none')).toBe(false);
    await blobs.delete('incoming/none');
  });

  it('putIfAbsent writes once with one conditional put: a second write of the key is refused, bytes unchanged', async () => {
    const blobs = blobsOf(env);
    expect(await blobs.putIfAbsent('raw/k', 'first', 'text/plain')).toBe(true);
    expect(await blobs.putIfAbsent('raw/k', 'second', 'text/plain')).toBe(false);
    expect(await blobs.putIfAbsent('raw/k', () => 'third', 'text/plain')).toBe(false);
    expect(await blobs.getText('raw/k')).toBe('first');
    expect((await env.RAW.head('raw/k'))!.httpMetadata?.contentType).toBe('text/plain');
  });

  it('moves an object copy-then-delete, and a redelivered move does nothing', async () => {
    const blobs = blobsOf(env);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
    await blobs.put('incoming/f.csv', bytes, 'text/csv');
    expect(await moveObject(blobs, 'incoming/f.csv', 'archive/f.csv')).toBe('moved');
    expect(await blobs.getBytes('incoming/f.csv')).toBeNull();
    expect([...(await blobs.getBytes('archive/f.csv'))!]).toEqual([...bytes]);
    expect(await moveObject(blobs, 'incoming/f.csv', 'archive/f.csv')).toBe('already_moved');
    expect(await moveObject(blobs, 'incoming/g.csv', 'archive/g.csv')).toBe('missing');
    expect((await blobs.list('archive/')).keys.map((k) => k.key)).toEqual(['archive/f.csv']);
  });
});
