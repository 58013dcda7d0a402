import { describe, expect, it } from 'vitest';
import { deriveScopeKey } from '../../core/scope-key';
import { SMOOTHCOMP_PIPELINES } from './index';

const byName = (n: string) => SMOOTHCOMP_PIPELINES.find((p) => p.name === `smoothcomp.${n}`)!;
const key = (n: string, params: Record<string, unknown>) => {
  const p = byName(n);
  return deriveScopeKey(p.scopeParams, p.paramsSchema.parse(params) as Record<string, unknown>);
};

describe('scope keys', () => {
  it('event_catalog: every combination of country, event_type, host in canonical order', () => {
    expect(byName('event_catalog').scopeParams).toEqual(['country', 'event_type', 'host', 'federation_id']);
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'all'],
      [{ country: 'US' }, 'country=us'],
      [{ event_type: 'grappling' }, 'event_type=grappling'],
      [{ host: 'adcc.smoothcomp.com' }, 'host=adcc.smoothcomp.com'],
      [{ country: 'US', event_type: 'grappling' }, 'country=us&event_type=grappling'],
      [{ country: 'us', host: 'adcc.smoothcomp.com' }, 'country=us&host=adcc.smoothcomp.com'],
      [{ event_type: '1,7', host: 'naga.smoothcomp.com' }, 'event_type=1%2C7&host=naga.smoothcomp.com'],
      [{ host: 'adcc.smoothcomp.com', event_type: 'nogi', country: 'GB-ENG' }, 'country=gb-eng&event_type=nogi&host=adcc.smoothcomp.com'],
    ];
    for (const [params, expected] of cases) expect(key('event_catalog', params)).toBe(expected);
    expect(key('event_catalog', { federation_id: 176, host: 'adcc.smoothcomp.com' })).toBe('host=adcc.smoothcomp.com&federation_id=176');
    // page caps are not part of the scope
    expect(key('event_catalog', { country: 'US', max_pages: 3 })).toBe(key('event_catalog', { country: 'US' }));
  });
  it('event scopes are the event id alone: the host (subdomain) does not split a scope', () => {
    for (const n of ['event_detail', 'event_participants', 'event_brackets']) {
      expect(key(n, { event_id: 30665 })).toBe('event_id=30665');
      expect(key(n, { event_id: '30665', host: 'adcc.smoothcomp.com' })).toBe('event_id=30665');
    }
  });
  it('profile and academy scopes', () => {
    expect(key('athlete_profile_enrichment', { profile_id: '1001', max_pages: 2 })).toBe('profile_id=1001');
    expect(key('academy_catalog', {})).toBe('all');
    expect(key('academy_catalog', { country: 'SE' })).toBe('country=se');
  });
});
