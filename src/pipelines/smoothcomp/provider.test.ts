import { describe, expect, it } from 'vitest';
import home from '../../../testdata/smoothcomp/session/home.handmade.html?raw';
import listing from '../../../testdata/smoothcomp/events/upcoming-page-1.handmade.html?raw';
import challenge from '../../../testdata/smoothcomp/challenge/just-a-moment.handmade.html?raw';
import loginWall from '../../../testdata/smoothcomp/challenge/login-wall.handmade.html?raw';
import eventPage from '../../../testdata/smoothcomp/event_detail/event-14675.handmade.html?raw';
import participants from '../../../testdata/smoothcomp/participants/event-30665.handmade.json?raw';
import notPublished from '../../../testdata/smoothcomp/brackets/not-published.handmade.txt?raw';
import { AJPTOUR_PROVIDER, SMOOTHCOMP_PIPELINES, SMOOTHCOMP_PROVIDER, AJPTOUR_PIPELINES } from './index';

describe('SMOOTHCOMP_PROVIDER', () => {
  it('covers smoothcomp.com and organizer subdomains only, at the robots.txt crawl delay', () => {
    const re = SMOOTHCOMP_PROVIDER.hostPattern;
    expect(['smoothcomp.com', 'adcc.smoothcomp.com', 'naga.smoothcomp.com'].every((h) => re.test(h))).toBe(true);
    expect(['ajptour.com', 'smoothcomp.com.evil.io', 'notsmoothcomp.com'].some((h) => re.test(h))).toBe(false);
    expect(SMOOTHCOMP_PROVIDER.ratePerSec).toBeCloseTo(0.1);
    expect(SMOOTHCOMP_PROVIDER.burst).toBe(1);
    expect(AJPTOUR_PROVIDER.hostPattern.test('ajptour.com')).toBe(true);
    expect(AJPTOUR_PROVIDER.hostPattern.test('smoothcomp.com')).toBe(false);
  });
  it('extracts the CSRF token from the bootstrap page (either attribute order)', () => {
    const s = SMOOTHCOMP_PROVIDER.session!;
    expect(s.bootstrapUrl).toBe('https://smoothcomp.com/en');
    expect(s.tokenHeader).toBe('X-CSRF-TOKEN');
    expect(s.extractToken(home)).toBe('Qm9vdHN0cmFwVG9rZW4tZm9yLWZpeHR1cmVzLTAxMjM0NQ');
    expect(s.extractToken(listing)).toBe('hM3x9fT2kQ7vLr0aZc4yWbN8uJd6sEg1oPq5tXiV');
    expect(s.extractToken(challenge)).toBeNull();
  });
  it('detects the Cloudflare challenge and login walls, and nothing else', () => {
    const d = SMOOTHCOMP_PROVIDER.detectBlock!;
    expect(d(403, 'text/html', challenge)).toMatch(/Just a moment/);
    expect(d(200, 'text/html', challenge)).toMatch(/challenge/);
    expect(d(200, 'text/html', loginWall)).toBe('login wall');
    expect(d(401, 'application/json', '{"error":"Unauthenticated."}')).toMatch(/Unauthenticated/);
    expect(d(419, 'text/html', '<title>Page Expired</title>')).toMatch(/CSRF/);
    for (const [status, body] of [
      [200, listing],
      [200, eventPage],
      [200, participants],
      [200, home],
      [403, notPublished],
    ] as const) {
      expect(d(status, null, body)).toBeNull();
    }
  });
});

describe('pipeline registry surface', () => {
  it('exports the seven pipelines per site, with session only where the dossier requires it', () => {
    expect(SMOOTHCOMP_PIPELINES.map((p) => p.name).sort()).toEqual([
      'smoothcomp.academy_catalog',
      'smoothcomp.athlete_profile_enrichment',
      'smoothcomp.event_brackets',
      'smoothcomp.event_catalog',
      'smoothcomp.event_detail',
      'smoothcomp.event_participants',
      'smoothcomp.match_detail',
    ]);
    expect(AJPTOUR_PIPELINES.every((p) => p.provider === 'ajptour' && p.name.startsWith('ajptour.'))).toBe(true);
    const firstRound = (name: string, params: Record<string, unknown>) => {
      const p = SMOOTHCOMP_PIPELINES.find((x) => x.name === name)!;
      return p.plan(p.paramsSchema.parse(params), []);
    };
    const [post] = firstRound('smoothcomp.event_participants', { event_id: 30665, host: 'adcc.smoothcomp.com' });
    expect(post).toMatchObject({
      method: 'POST',
      body: '{}',
      session: true,
      url: 'https://adcc.smoothcomp.com/en/event/30665/participants',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
    });
    for (const [name, params] of [
      ['smoothcomp.event_catalog', {}],
      ['smoothcomp.event_detail', { event_id: '1' }],
      ['smoothcomp.event_brackets', { event_id: '1' }],
      ['smoothcomp.athlete_profile_enrichment', { profile_id: '1' }],
      ['smoothcomp.academy_catalog', {}],
      ['smoothcomp.match_detail', { match_id: '10642225' }],
    ] as const) {
      expect(firstRound(name, params).every((r) => r.session !== true && (r.method ?? 'GET') === 'GET')).toBe(true);
    }
  });
});
