import { describe, expect, it } from 'vitest';
import { SOFASCORE_PROVIDER } from './provider';
import { BODIES } from './test-fixtures';

describe('SOFASCORE_PROVIDER', () => {
  it('covers sofascore.com hosts only, at a conservative rate, with a long retry after a block', () => {
    const re = SOFASCORE_PROVIDER.hostPattern;
    expect(['www.sofascore.com', 'api.sofascore.com', 'sofascore.com'].every((h) => re.test(h))).toBe(true);
    expect(['sofascore.com.evil.io', 'notsofascore.com'].some((h) => re.test(h))).toBe(false);
    expect(SOFASCORE_PROVIDER.ratePerSec).toBeLessThanOrEqual(0.2);
    expect(SOFASCORE_PROVIDER.burst).toBe(1);
    expect(SOFASCORE_PROVIDER.blockedRetry!.delaySec).toBeGreaterThanOrEqual(900);
  });
  it('recognises the JSON challenge and nothing in the real payloads', () => {
    const d = SOFASCORE_PROVIDER.detectBlock!;
    expect(d(403, 'application/json', BODIES.challenge)).toMatch(/challenge/);
    expect(d(200, 'application/json', BODIES.challenge)).toMatch(/challenge/);
    for (const b of [BODIES.event, BODIES.seasons, BODIES.rounds, BODIES.standings, BODIES.roundFinished, BODIES.notFound])
      expect(d(200, 'application/json', b)).toBeNull();
    expect(d(404, 'application/json', BODIES.notFound)).toBeNull();
  });
});
