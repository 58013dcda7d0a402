import { describe, expect, it } from 'vitest';
import body from '../../../testdata/smoothcomp/participants/event-30665.handmade.json?raw';
import challenge from '../../../testdata/smoothcomp/challenge/just-a-moment.handmade.html?raw';
import { SMOOTHCOMP_PIPELINES } from './index';
import { entityKeys, fx, run } from './test-helpers';
import type { EventParticipantsOutput } from './event-participants';

const pipeline = SMOOTHCOMP_PIPELINES.find((p) => p.name === 'smoothcomp.event_participants')!;
const URL = 'https://adcc.smoothcomp.com/en/event/30665/participants';
const params = { event_id: '30665', host: 'adcc.smoothcomp.com' };

describe('smoothcomp.event_participants', () => {
  const out = run<EventParticipantsOutput>(pipeline, params, [fx('participants', '30665', URL, body)]);
  const div = (id: string) => out.divisions.find((d) => d.division_id === id)!;

  it('reads divisions and registrations with ids, club, affiliation, country and belt', () => {
    expect(out).toMatchObject({ event_id: '30665', host: 'adcc.smoothcomp.com', division_count: 4, registration_count: 8 });
    expect(div('1262639').registrations[0]).toEqual({
      registration_id: '5001001',
      profile_id: '1001',
      name: 'João Silva',
      first_name: 'João',
      last_name: 'Silva',
      club: { id: '20763', name: 'Alliance Stockholm' },
      affiliation: { id: '12', name: 'Alliance' },
      team: null,
      country_name: 'Sweden',
      country_code: 'SE',
      belt: 'Black',
      birth_year: 1994,
      age: 32,
      gender: 'male',
      weight_measured_kg: 90.4,
      approved: true,
    });
    expect(div('1262639').registrations[1]).toMatchObject({
      first_name: 'Erik',
      affiliation: { id: null, name: null },
      weight_measured_kg: null,
    });
    expect(div('1262650').registrations[1]).toMatchObject({
      club: { id: null, name: null },
      country_name: 'Brazil',
      country_code: null,
      approved: false,
    });
  });
  it('splits division names into parts, localized and with >> separators', () => {
    expect(div('1262639').parts).toMatchObject({ gender: 'Men', age: 'Adult', level: 'Advanced', weight: '-91,0 kg', weight_limit_kg: 91 });
    expect(div('1262650').parts).toMatchObject({
      gender: 'Masculino',
      age: 'Master 3 (41+)',
      level: 'Roxa',
      weight: 'Pena',
      weight_limit_kg: null,
    });
    expect(div('1262700').parts).toMatchObject({ gender: 'Women', level: 'Purple', weight: 'Under 135lbs', weight_limit_kg: 61.23 });
    expect(div('1262710')).toMatchObject({ bracket_id: null, registrations: [] });
  });
  it('gives unique entity keys for divisions and registrations', () => {
    const keys = entityKeys(pipeline, out);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.startsWith('registration:'))).toHaveLength(8);
    expect(keys).toContain('division:1262700');
  });
  it('refuses a challenge page and a JSON answer without participants', () => {
    expect(() => run(pipeline, params, [fx('participants', '30665', URL, challenge, 403)])).toThrow(
      expect.objectContaining({ code: 'PROVIDER_BLOCKED' }),
    );
    expect(() => run(pipeline, params, [fx('participants', '30665', URL, '{"error":"Unauthenticated."}', 401)])).toThrow(
      expect.objectContaining({ code: 'PROVIDER_BLOCKED' }),
    );
    expect(() => run(pipeline, params, [fx('participants', '30665', URL, '{"data":[]}')])).toThrow(
      expect.objectContaining({ category: 'parse' }),
    );
  });
});
