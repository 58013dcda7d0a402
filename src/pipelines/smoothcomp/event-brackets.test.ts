import { describe, expect, it } from 'vitest';
import list from '../../../testdata/smoothcomp/brackets/event-39001-brackets.handmade.json?raw';
import b880001 from '../../../testdata/smoothcomp/brackets/bracket-880001.handmade.json?raw';
import b880003 from '../../../testdata/smoothcomp/brackets/bracket-880003.handmade.json?raw';
import render880003 from '../../../testdata/smoothcomp/brackets/render-880003.handmade.json?raw';
import placements880001 from '../../../testdata/smoothcomp/brackets/placements-880001.handmade.json?raw';
import notPublished from '../../../testdata/smoothcomp/brackets/not-published.handmade.txt?raw';
import notFound from '../../../testdata/smoothcomp/challenge/not-found.handmade.html?raw';
import challenge from '../../../testdata/smoothcomp/challenge/just-a-moment.handmade.html?raw';
import real30665 from '../../../testdata/smoothcomp/real/event_30665_brackets.json?raw';
import { SMOOTHCOMP_PIPELINES } from './index';
import { entityKeys, fx, replay, run } from './test-helpers';
import type { EventBracketsOutput } from './event-brackets';

const pipeline = SMOOTHCOMP_PIPELINES.find((p) => p.name === 'smoothcomp.event_brackets')!;
const E = 'https://adcc.smoothcomp.com/en/event/39001';
const PAGES: Record<string, string | [number, string]> = {
  [`${E}/schedule/brackets.json`]: list,
  [`${E}/schedule/new/bracket.json/880001`]: b880001,
  [`${E}/schedule/new/bracket.json/880003`]: b880003,
  [`${E}/bracket/880001/getPlacementTableData`]: placements880001,
  [`${E}/bracket/880003/getPlacementTableData`]: [404, notFound],
  [`${E}/bracket/880003/getRenderData`]: render880003,
};
const params = { event_id: '39001', host: 'adcc.smoothcomp.com' };

const { rounds, fetched } = await replay(pipeline, params, PAGES);

describe('smoothcomp.event_brackets', () => {
  const out = run<EventBracketsOutput>(pipeline, params, fetched);
  const bracket = (id: string) => out.brackets.find((b) => b.bracket_id === id)!;
  const match = (b: string, n: number) => bracket(b).matches.find((m) => m.number === n)!;

  it('plans list → matches + placements → render data only for the round-robin bracket', () => {
    expect(rounds.map((r) => r.map((q) => `${q.resourceType}:${q.resourceKey}`))).toEqual([
      ['bracket_list:39001'],
      ['bracket_matches:880001', 'bracket_placements:880001', 'bracket_matches:880003', 'bracket_placements:880003'],
      ['bracket_render:880003'],
    ]);
    expect(rounds[1]!.filter((q) => q.optional).map((q) => q.resourceType)).toEqual(['bracket_placements', 'bracket_placements']);
  });
  it('reads elimination matches with BYE and placeholder seats kept', () => {
    expect(out).toMatchObject({ published: true, bracket_count: 2, match_count: 7 });
    expect(bracket('880001')).toMatchObject({
      group_id: '1262639',
      bundle_id: '45001',
      type: 'elimination',
      mats: ['Mat 12', 'Mat 5'],
      registrations_count: 3,
    });
    expect(match('880001', 1)).toMatchObject({ is_bye: true, won_by: 'bye', winner: { registration_id: '5001001' } });
    expect(match('880001', 1).seats.map((s) => s.kind)).toEqual(['athlete', 'bye']);
    expect(match('880001', 2)).toMatchObject({
      round: 1,
      round_label: 'Semifinals',
      mat: '12',
      mat_match_nr: '12-4',
      won_by: 'submission',
      time: '01:12',
      time_sec: 72,
      winner: { registration_id: '5001003', profile_id: null, name: 'Mateo Rossi' },
    });
    expect(match('880001', 3)).toMatchObject({ round_label: 'Final', won_by: 'points', winner: { registration_id: '5001001' } });
    expect(match('880001', 4).winner).toBeNull();
    expect(match('880001', 4).seats[1]).toMatchObject({ kind: 'placeholder', name: 'Loser from 12-4', registration_id: null });
    expect(bracket('880001').placements.map((p) => [p.placement, p.name, p.registration_id])).toEqual([
      [1, 'João Silva', '5001001'],
      [2, 'Mateo Rossi', '5001003'],
      [3, 'Erik Lund', '5001002'],
    ]);
  });
  it('reads round-robin rounds from render data, with profile ids from profile links', () => {
    const rr = bracket('880003');
    expect(rr.type).toBe('round_robin');
    expect(rr.matches.map((m) => [m.round, m.won_by, m.winner?.profile_id])).toEqual([
      [1, 'submission', '1601'],
      [2, 'points', '1603'],
      [3, 'walkover', '1601'],
    ]);
    expect(rr.placements).toEqual([]);
    expect(rr.parts).toMatchObject({ gender: 'Women', weight: 'Under 135lbs' });
  });
  it('has unique entity keys match:<bracket>:<n>', () => {
    const keys = entityKeys(pipeline, out);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([
      'bracket:880001',
      'match:880001:1',
      'match:880001:2',
      'match:880001:3',
      'match:880001:4',
      'bracket:880003',
      'match:880003:1',
      'match:880003:2',
      'match:880003:3',
    ]);
  });
  it('reports unpublished brackets as published=false, and refuses a challenge', () => {
    const p = { event_id: '31120', host: 'naga.smoothcomp.com' };
    const unpublished = [
      fx('bracket_list', '31120', 'https://naga.smoothcomp.com/en/event/31120/schedule/brackets.json', notPublished, 403, 'text/html'),
    ];
    expect(pipeline.plan(pipeline.paramsSchema.parse(p), unpublished)).toEqual([]);
    expect(run<EventBracketsOutput>(pipeline, p, unpublished)).toMatchObject({ published: false, bracket_count: 0, brackets: [] });
    expect(() => run(pipeline, p, [fx('bracket_list', '31120', 'u', challenge, 403)])).toThrow(
      expect.objectContaining({ code: 'PROVIDER_BLOCKED' }),
    );
  });
  it('reads the real ADCC list (event 30665, 187 brackets) as served and plans one bracket.json + placements each', () => {
    const p = { event_id: '30665', host: 'adcc.smoothcomp.com' };
    const list = [fx('bracket_list', '30665', 'https://adcc.smoothcomp.com/en/event/30665/schedule/brackets.json', real30665)];
    const next = pipeline.plan(pipeline.paramsSchema.parse(p), list);
    expect(next).toHaveLength(374);
    expect(next[0]).toMatchObject({
      resourceType: 'bracket_matches',
      url: expect.stringMatching(/\/event\/30665\/schedule\/new\/bracket\.json\/\d+$/),
    });
    const real = run<EventBracketsOutput>(pipeline, p, list);
    expect(real).toMatchObject({ published: true, bracket_count: 187, match_count: 0 });
    expect(real.brackets.reduce((n, b) => n + (b.registrations_count ?? 0), 0)).toBe(965);
    expect(real.brackets.find((b) => b.bracket_id === '2091884')).toMatchObject({
      group_id: '3515366',
      bundle_id: '1905153',
      mats: ['Mat 1'],
      registrations_count: 7,
      estimated_start: '2026-08-08T15:56:37-05:00',
      parts: { gender: 'Men', age: 'Adult (age 15+)', level: 'Beginner', weight_limit_kg: 60 },
    });
    expect(real.brackets.filter((b) => b.parts.unclassified.length > 0)).toEqual([]);
  });
});
