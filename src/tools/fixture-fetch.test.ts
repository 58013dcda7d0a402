import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePipeline } from '../core/pipeline';
import type { ProviderProfile } from '../core/provider';
import { fetchFromFixtures, replayPages } from './fixture-fetch';

// Two rounds: a list page names its items, each item is one more page; the list is asked again and must be skipped.
const list = definePipeline({
  name: 'toy.list',
  provider: 'toy',
  description: 'test',
  paramsSchema: z.object({ id: z.string() }),
  scopeParams: ['id'],
  parserVersion: 'toy.list.parse/1',
  normalizerVersion: 'toy.list.norm/1',
  outputSchema: z.object({ items: z.array(z.string()) }),
  plan(p, fetched) {
    const head = { resourceType: 'list', resourceKey: p.id, url: `https://toy.test/list/${p.id}` };
    const listed = fetched.find((f) => f.resourceType === 'list');
    if (!listed) return [head];
    return [
      head,
      ...listed.body.split(',').map((i) => ({ resourceType: 'item', resourceKey: i, url: `https://toy.test/item/${i}`, optional: true })),
    ];
  },
  parse: (_p, fetched) => fetched.filter((f) => f.resourceType === 'item' && f.status === 200).map((f) => f.body),
  normalize: (_p, items) => ({ items }),
  entities: (n) => n.items.map((i) => [`item:${i}`, i] as const),
});
const toy: ProviderProfile = { name: 'toy', hostPattern: /(^|\.)toy\.test$/, ratePerSec: 1, burst: 1 };

describe('fixture fetch (the runtime fetch rounds over fixtures)', () => {
  it('fetches round by round, skips a repeated request, and passes optional 404s through to parse', async () => {
    const r = await replayPages(
      list,
      toy,
      { id: '7' },
      { 'https://toy.test/list/7': 'a,b', 'https://toy.test/item/a': 'A', 'https://toy.test/item/b': [404, 'gone'] },
    );
    expect(r.rounds.map((round) => round.map((q) => q.resourceKey))).toEqual([['7'], ['a', 'b']]);
    expect(r.fetched.map((f) => [f.resourceKey, f.status])).toEqual([
      ['7', 200],
      ['a', 200],
      ['b', 404],
    ]);
    expect(r.fetched.every((f) => f.fetchedAt === undefined && /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
  });

  it('refuses what the transport refuses: a host outside the profile, a non-optional 404, a challenge page', async () => {
    const other = definePipeline({
      ...list,
      plan: (_p, f) => (f.length ? [] : [{ resourceType: 'list', resourceKey: 'x', url: 'https://elsewhere.test/' }]),
    });
    await expect(fetchFromFixtures(other, toy, { id: '1' }, [])).rejects.toMatchObject({ code: 'HOST_NOT_ALLOWED' });
    const missing = fetchFromFixtures(list, toy, { id: '1' }, []);
    await expect(missing).rejects.toMatchObject({ code: 'PROVIDER_NOT_FOUND', fixtureFetch: { missing: ['https://toy.test/list/1'] } });
    const challenge = '<html><head><title>Just a moment...</title></head><body>cf-chl</body></html>';
    await expect(
      fetchFromFixtures(list, toy, { id: '1' }, [{ url: 'https://toy.test/list/1', status: 403, body: challenge }]),
    ).rejects.toMatchObject({ code: 'PROVIDER_BLOCKED' });
  });
});
