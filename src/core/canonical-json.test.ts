import { describe, expect, it } from 'vitest';
import { canonicalHash, canonicalJson, entityHash } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys, drops undefined and _-prefixed keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined, _fetched_at: 'x' } })).toBe('{"a":{"d":[2,1]},"b":1}');
  });
  it('normalizes numbers and strings', () => {
    expect(canonicalJson([-0, 1.5, 15e-1, 1e21])).toBe('[0,1.5,1.5,1e+21]');
    expect(canonicalJson('Cafe\u0301')).toBe(canonicalJson('Caf\u00e9'));
  });
  it('rejects values that have no canonical form', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite number at \$\.a/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/unsupported object/);
  });
  it('hashes equal content equally regardless of key order', async () => {
    expect(await canonicalHash({ x: 1, y: [1, 2] })).toBe(await canonicalHash({ y: [1, 2], x: 1 }));
    expect(await canonicalHash({ x: 1 })).not.toBe(await canonicalHash({ x: 2 }));
    expect(entityHash('{"a":1}')).toMatch(/^[0-9a-f]{16}$/);
    expect(entityHash('{"a":1}')).not.toBe(entityHash('{"a":2}'));
  });
});
