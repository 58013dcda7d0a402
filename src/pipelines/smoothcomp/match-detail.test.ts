import { describe, expect, it } from 'vitest';
import real from '../../../testdata/smoothcomp/real/getBracketMatchData_10642225.json?raw';
import b880001 from '../../../testdata/smoothcomp/brackets/bracket-880001.handmade.json?raw';
import list39001 from '../../../testdata/smoothcomp/brackets/event-39001-brackets.handmade.json?raw';
import detail9900002 from '../../../testdata/smoothcomp/brackets/match-9900002.handmade.json?raw';
import challenge from '../../../testdata/smoothcomp/challenge/just-a-moment.handmade.html?raw';
import type { EventBracketsOutput } from './event-brackets';
import { SMOOTHCOMP_PIPELINES } from './index';
import type { MatchDetailOutput } from './match-detail';
import { entityKeys, fx, run } from './test-helpers';

const pipeline = SMOOTHCOMP_PIPELINES.find((p) => p.name === 'smoothcomp.match_detail')!;
const brackets = SMOOTHCOMP_PIPELINES.find((p) => p.name === 'smoothcomp.event_brackets')!;

describe('smoothcomp.match_detail', () => {
  it('plans one GET on the base host (no event in the path)', () => {
    expect(pipeline.plan(pipeline.paramsSchema.parse({ match_id: 10642225 }), [])).toMatchObject([
      { resourceType: 'match_detail', resourceKey: '10642225', url: 'https://smoothcomp.com/en/getBracketMatchData/10642225' },
    ]);
  });
  it('reads the real BYE match as served (event 23399, Portuguese division)', () => {
    const out = run<MatchDetailOutput>(pipeline, { match_id: '10642225' }, [
      fx('match_detail', '10642225', 'https://smoothcomp.com/en/getBracketMatchData/10642225', real),
    ]);
    expect(out).toMatchObject({
      match_id: '10642225',
      event_id: '23399',
      bracket_id: '1346820',
      division: 'Masculino / Master 3 (41+) / Roxa / Pena',
      round_label: 'Final',
      state: 'finished',
      finished: true,
      is_bye: true,
      winner_side: 'left',
      won_by: 'bye',
      won_by_raw: 'Advanced via BYE',
      match_number: null,
      mat: null,
      time: '00:00',
    });
    expect(out.sides[0]).toEqual({
      side: 'left',
      kind: 'athlete',
      profile_id: '2047440',
      name: 'Anderson Rosa',
      first_name: 'Anderson',
      last_name: 'Rosa',
      club: 'EQUIPE A',
      club_id: '4427',
      affiliation: null,
      country: 'Brazil',
      country_code: 'BR',
      result: 'won',
      is_winner: true,
      score: null,
      penalty: null,
      advantage: null,
      won_by: 'bye',
      won_by_raw: 'Advanced via BYE',
      age: 41,
      weight_kg: 62.4,
    });
    expect(out.sides[1]).toMatchObject({ side: 'right', kind: 'bye', name: 'BYE', profile_id: null, is_winner: false });
    expect(entityKeys(pipeline, out)).toEqual(['match:10642225']);
  });
  it('refuses a challenge and a body without sides', () => {
    const bad =
      (body: string, status = 200) =>
      () =>
        run(pipeline, { match_id: '1' }, [fx('match_detail', '1', 'u', body, status)]);
    expect(bad(challenge, 403)).toThrow(expect.objectContaining({ code: 'PROVIDER_BLOCKED' }));
    expect(bad('{"message":"x"}')).toThrow(expect.objectContaining({ code: 'SMOOTHCOMP_MATCH_SHAPE' }));
  });
});

describe('smoothcomp.event_brackets with match detail', () => {
  const E = 'https://adcc.smoothcomp.com/en/event/39001';
  // bracket.json of a bracket whose finished semifinal lost its winner flag and method (what the detail fills)
  const silent = JSON.stringify({
    ...JSON.parse(b880001),
    matches: JSON.parse(b880001).matches.map((m: any) =>
      m.match_nr === 2 ? { ...m, wonBy: null, seats: m.seats.map((s: any) => ({ ...s, isWinner: false })) } : m,
    ),
  });
  const list = JSON.stringify({ brackets: JSON.parse(list39001).brackets.slice(0, 1) });
  const base = [
    fx('bracket_list', '39001', `${E}/schedule/brackets.json`, list),
    fx('bracket_matches', '880001', `${E}/schedule/new/bracket.json/880001`, silent),
    fx('bracket_placements', '880001', `${E}/bracket/880001/getPlacementTableData`, '{"placementTableState":{"placements":[]}}'),
  ];
  const params = (limit?: number) =>
    brackets.paramsSchema.parse({
      event_id: '39001',
      host: 'adcc.smoothcomp.com',
      ...(limit === undefined ? {} : { match_detail_limit: limit }),
    });
  it('asks getBracketMatchData only for finished matches left without winner or method, within the limit', () => {
    expect(brackets.plan(params(), base)).toEqual([
      expect.objectContaining({
        resourceType: 'match_detail',
        resourceKey: '9900002',
        url: 'https://adcc.smoothcomp.com/en/getBracketMatchData/9900002',
        optional: true,
      }),
    ]);
    expect(brackets.plan(params(0), base)).toEqual([]);
  });
  it('fills winner, method and profile ids from the detail, pairing sides with seats by name', () => {
    const fetched = [...base, fx('match_detail', '9900002', 'https://adcc.smoothcomp.com/en/getBracketMatchData/9900002', detail9900002)];
    expect(brackets.plan(params(), fetched)).toEqual([]);
    const out = run<EventBracketsOutput>(brackets, { event_id: '39001', host: 'adcc.smoothcomp.com' }, fetched);
    const m = out.brackets[0]!.matches.find((x) => x.number === 2)!;
    expect(m).toMatchObject({
      won_by: 'submission',
      won_by_raw: 'Won by Submission',
      detail_used: true,
      winner: { registration_id: '5001003', profile_id: '1603', name: 'Mateo Rossi' },
    });
    expect(m.seats.map((s) => [s.name, s.profile_id, s.is_winner])).toEqual([
      ['Erik Lund', '1602', false],
      ['Mateo Rossi', '1603', true],
    ]);
    expect(out.match_detail).toEqual({ used: 1, unresolved: 0 });
    const without = run<EventBracketsOutput>(brackets, { event_id: '39001', host: 'adcc.smoothcomp.com' }, base);
    expect(without.match_detail).toEqual({ used: 0, unresolved: 1 });
  });
});
