import { describe, expect, it } from 'vitest';
import { retryDelaySec } from './backoff';
import { decidePublication, diffEntities } from './decision';
import { reserve } from './token-bucket';

const side = (s: string, n: string, count = 10) => ({ sourceSnapshotHash: s, normalizedHash: n, entityCount: count });

describe('decidePublication', () => {
  it('classifies every case', () => {
    expect(decidePublication({ previous: null, current: side('a', 'x'), force: false, drift: undefined }).decision).toBe('PUBLISH_FIRST');
    expect(decidePublication({ previous: side('a', 'x'), current: side('a', 'x'), force: false, drift: undefined })).toMatchObject({
      decision: 'SKIP_NO_CHANGE',
      publish: false,
    });
    expect(decidePublication({ previous: side('a', 'x'), current: side('b', 'x'), force: false, drift: undefined }).classification).toBe(
      'NO_CHANGE',
    );
    expect(decidePublication({ previous: side('a', 'x'), current: side('a', 'y'), force: false, drift: undefined }).classification).toBe(
      'NORMALIZATION_CHANGED',
    );
    expect(decidePublication({ previous: side('a', 'x'), current: side('b', 'y'), force: false, drift: undefined }).classification).toBe(
      'CONTENT_CHANGED',
    );
    expect(decidePublication({ previous: side('a', 'x'), current: side('a', 'x'), force: true, drift: undefined }).decision).toBe(
      'PUBLISH_FORCED',
    );
  });

  it('holds a large loss of entities unless forced or the pipeline opts out', () => {
    const prev = side('a', 'x', 80);
    expect(decidePublication({ previous: prev, current: side('b', 'y', 3), force: false, drift: undefined })).toMatchObject({
      decision: 'HOLD_DRIFT',
      publish: false,
    });
    expect(decidePublication({ previous: prev, current: side('b', 'y', 0), force: false, drift: undefined }).decision).toBe('HOLD_DRIFT');
    expect(decidePublication({ previous: prev, current: side('b', 'y', 41), force: false, drift: undefined }).decision).toBe(
      'PUBLISH_CHANGED',
    );
    expect(decidePublication({ previous: prev, current: side('b', 'y', 3), force: true, drift: undefined }).decision).toBe(
      'PUBLISH_FORCED',
    );
    expect(decidePublication({ previous: prev, current: side('b', 'y', 3), force: false, drift: false }).decision).toBe('PUBLISH_CHANGED');
    expect(decidePublication({ previous: side('a', 'x', 4), current: side('b', 'y', 0), force: false, drift: undefined }).decision).toBe(
      'PUBLISH_CHANGED',
    );
  });

  it('diffs entity keys', () => {
    expect(diffEntities({ a: '1', b: '2', c: '3' }, { b: '2', c: '9', d: '4' })).toEqual({ added: ['d'], removed: ['a'], changed: ['c'] });
    expect(diffEntities(null, { b: '1', a: '1' })).toEqual({ added: ['a', 'b'], removed: [], changed: [] });
  });
});

describe('retry backoff', () => {
  const policy = { baseSec: 15, maxSec: 300 };
  it('grows exponentially with equal jitter and a cap', () => {
    expect(retryDelaySec(policy, 1, undefined, () => 0)).toBe(8);
    expect(retryDelaySec(policy, 1, undefined, () => 1)).toBe(15);
    expect(retryDelaySec(policy, 3, undefined, () => 1)).toBe(60);
    expect(retryDelaySec(policy, 10, undefined, () => 1)).toBe(300);
    expect(retryDelaySec(policy, 10, undefined, () => 0)).toBe(150);
  });
  it('honours a longer Retry-After, even past the cap', () => {
    expect(retryDelaySec(policy, 1, 120, () => 0)).toBe(120);
    expect(retryDelaySec(policy, 1, 900, () => 0)).toBe(900);
    expect(retryDelaySec(policy, 3, 2, () => 1)).toBe(60);
  });
});

describe('token bucket', () => {
  it('allows the burst, then spaces reservations at the rate', () => {
    let state = null;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = reserve(state, 1000, 2, 2);
      state = r.state;
      waits.push(r.waitMs);
    }
    expect(waits).toEqual([0, 0, 500, 1000, 1500]);
    expect(reserve(state, 4000, 2, 2).waitMs).toBe(0); // refilled by then
  });
});
