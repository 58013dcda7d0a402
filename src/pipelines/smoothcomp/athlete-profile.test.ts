import { describe, expect, it } from 'vitest';
import profile from '../../../testdata/smoothcomp/athletes/profile-1001.handmade.html?raw';
import events1 from '../../../testdata/smoothcomp/athletes/profile-1001-events-page-1.handmade.json?raw';
import events2 from '../../../testdata/smoothcomp/athletes/profile-1001-events-page-2.handmade.json?raw';
import privateProfile from '../../../testdata/smoothcomp/athletes/profile-2002-private.handmade.html?raw';
import notFound from '../../../testdata/smoothcomp/challenge/not-found.handmade.html?raw';
import loginWall from '../../../testdata/smoothcomp/challenge/login-wall.handmade.html?raw';
import { SMOOTHCOMP_PIPELINES } from './index';
import { entityKeys, fx, replay, run } from './test-helpers';
import type { AthleteProfileOutput } from './athlete-profile';

const pipeline = SMOOTHCOMP_PIPELINES.find((p) => p.name === 'smoothcomp.athlete_profile_enrichment')!;
const P = 'https://smoothcomp.com/en/profile';

const pages = { [`${P}/1001`]: profile, [`${P}/1001/events?page=1`]: events1, [`${P}/1001/events?page=2`]: events2 };
const { rounds, fetched } = await replay(pipeline, { profile_id: '1001' }, pages);

describe('smoothcomp.athlete_profile_enrichment', () => {
  const out = run<AthleteProfileOutput>(pipeline, { profile_id: '1001' }, fetched);

  it('pages through the events feed by last_page', async () => {
    expect(rounds.map((r) => r.map((q) => q.url))).toEqual([[`${P}/1001`, `${P}/1001/events?page=1`], [`${P}/1001/events?page=2`]]);
    expect((await replay(pipeline, { profile_id: '1001', max_pages: 1 }, pages)).rounds).toHaveLength(1);
  });
  it('reads identity, academy and belt', () => {
    expect(out).toMatchObject({
      profile_id: '1001',
      visibility: 'public',
      name: 'João Silva',
      belt: 'Black belt',
      country_code: 'SE',
      club: { id: '20763', name: 'Alliance Stockholm' },
      affiliation: { id: '12', name: 'Alliance' },
      history_complete: true,
    });
    expect(out.site_legend).toEqual({
      wins: { submission: 2, points: 2, decision: 1, walkover: 1 },
      losses: { submission: 1, disqualification: 1 },
    });
  });
  it('derives the win/loss summary by method, walkovers and byes apart, hidden registrations skipped', () => {
    expect(out.history).toHaveLength(8);
    expect(out.summary).toEqual({
      matches: 6,
      wins: 4,
      losses: 2,
      wins_by: { submission: 2, points: 1, decision: 1, disqualification: 0, referee_decision: 0, other: 0, unknown: 0 },
      losses_by: { submission: 1, points: 0, decision: 0, disqualification: 1, referee_decision: 0, other: 0, unknown: 0 },
      walkovers: { won: 1, lost: 0 },
      byes: 1,
      unknown_result: 0,
      hidden_registrations: 1,
    });
    expect(out.history.find((m) => m.match_id === '9900003')).toMatchObject({
      result: 'win',
      method: 'points',
      event_id: '30665',
      opponents: [{ profile_id: '2002', name: 'Mateo Rossi' }],
    });
    const keys = entityKeys(pipeline, out);
    expect(new Set(keys).size).toBe(9);
    expect(keys[0]).toBe('profile:1001');
  });
  it('private profile: no identity, no history, not an error', async () => {
    const p = { profile_id: '2002' };
    const priv = await replay(pipeline, p, { [`${P}/2002`]: privateProfile, [`${P}/2002/events?page=1`]: [404, notFound] });
    const o = run<AthleteProfileOutput>(pipeline, p, priv.fetched);
    expect(o).toMatchObject({ visibility: 'private', name: null, belt: null, club: null, history: [], summary: { matches: 0, wins: 0 } });
  });
  it('a login wall is PROVIDER_BLOCKED', async () => {
    const p = { profile_id: '3003' };
    const walls = { [`${P}/3003`]: loginWall, [`${P}/3003/events?page=1`]: loginWall };
    // A job's transport stops at the first wall (as in production); the parser refuses one handed to it all the same.
    await expect(replay(pipeline, p, walls)).rejects.toMatchObject({ code: 'PROVIDER_BLOCKED' });
    const lw = [fx('profile_page', '3003', `${P}/3003`, loginWall), fx('profile_events', '3003:1', `${P}/3003/events?page=1`, loginWall)];
    expect(() => run(pipeline, p, lw)).toThrow(expect.objectContaining({ code: 'PROVIDER_BLOCKED' }));
  });
});
