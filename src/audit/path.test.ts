import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { parsePath, resolvePath } from './path';

const doc = {
  host: 'adcc.smoothcomp.com',
  brackets: [
    {
      id: 123,
      matches: [
        { number: 4, winner: { profile_id: '1001' }, won_by: 'submission' },
        { number: 5, winner: null, won_by: null },
      ],
    },
    { id: '124', matches: [] },
  ],
  tags: ['gi', 'nogi'],
};

describe('path language', () => {
  it('parses members, indexes, wildcards and filters', () => {
    expect(parsePath('brackets[id=123].matches[number=4].winner.profile_id')).toEqual([
      { kind: 'member', name: 'brackets' },
      { kind: 'filter', field: ['id'], value: '123' },
      { kind: 'member', name: 'matches' },
      { kind: 'filter', field: ['number'], value: '4' },
      { kind: 'member', name: 'winner' },
      { kind: 'member', name: 'profile_id' },
    ]);
    expect(parsePath('a[-1][*][x.y="a]b"]')).toEqual([
      { kind: 'member', name: 'a' },
      { kind: 'index', index: -1 },
      { kind: 'all' },
      { kind: 'filter', field: ['x', 'y'], value: 'a]b' },
    ]);
    expect(() => parsePath('a[=1]')).toThrow(/bad filter/);
  });
  it('resolves filters on numbers and strings alike, wildcards, dotted filter fields', () => {
    expect(resolvePath(doc, 'brackets[id=123].matches[number=4].winner.profile_id')).toEqual(['1001']);
    expect(resolvePath(doc, 'brackets[id=124].matches')).toEqual([[]]);
    expect(resolvePath(doc, 'brackets[*].matches[*].number')).toEqual([4, 5]);
    expect(resolvePath(doc, 'brackets[0].matches[winner.profile_id="1001"].number')).toEqual([4]);
    expect(resolvePath(doc, 'brackets[-1].id')).toEqual(['124']);
    expect(resolvePath(doc, 'brackets[id=999].matches')).toEqual([]);
    expect(resolvePath(doc, 'nothing.here')).toEqual([]);
  });
  it('chains filters to narrow the same elements', () => {
    const laps = {
      laps: [
        { d: 'a', n: 1, t: 10 },
        { d: 'a', n: 2, t: 11 },
        { d: 'b', n: 1, t: 12 },
      ],
    };
    expect(resolvePath(laps, 'laps[d=a][n=2].t')).toEqual([11]);
    expect(resolvePath(laps, 'laps[n=1][d=b].t')).toEqual([12]);
    expect(resolvePath(laps, 'laps[d=b][n=2]')).toEqual([]);
  });

  it('ops: equals, count, exists, contains', () => {
    const a = (path: string, op: 'equals' | 'count' | 'exists' | 'contains', value?: unknown) =>
      evaluate(doc, { id: 'x', path, op, value }).pass;
    expect(a('brackets[id=123].matches[number=4].won_by', 'equals', 'submission')).toBe(true);
    expect(a('brackets[id=123].matches[number=4].won_by', 'equals', 'points')).toBe(false);
    expect(a('brackets[id=123].matches', 'count', 2)).toBe(true);
    expect(a('brackets[*].matches[*]', 'count', 2)).toBe(true);
    expect(a('brackets[id=123].matches[number=5].winner', 'exists', false)).toBe(true);
    expect(a('brackets[id=123].matches[number=4].winner', 'exists')).toBe(true);
    expect(a('tags', 'contains', 'nogi')).toBe(true);
    expect(a('host', 'contains', 'adcc.')).toBe(true);
    expect(a('host', 'contains', 'naga.')).toBe(false);
    expect(evaluate(doc, { id: 'x', path: 'missing', op: 'equals', value: null })).toMatchObject({ pass: false, resolved: false });
  });
});
