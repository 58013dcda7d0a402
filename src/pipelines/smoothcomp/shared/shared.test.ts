import { describe, expect, it } from 'vitest';
import { parseDivisionName, weightLimitKg } from './division';
import { decodeEntities, extractVar, titleSubject } from './extract';
import { coord, id, num } from './values';
import { winMethod } from './win-method';

describe('shared readers', () => {
  it('win methods from codes, display texts and export values', () => {
    expect(
      [
        'submission',
        'Won by Submission',
        'Won by points',
        'Won by Walkover',
        'Advanced via BYE',
        'Won by Disqualification (dq)',
        'DOUBLE-BYE',
        'NO-SHOW',
        'Gewonnen nach Punkten',
        'Decision',
      ].map(winMethod),
    ).toEqual(['submission', 'submission', 'points', 'walkover', 'bye', 'disqualification', 'double_bye', 'no_show', 'points', 'decision']);
    expect(winMethod('')).toBeNull();
    expect(winMethod(null)).toBeNull();
  });
  it('division name variants', () => {
    expect(parseDivisionName("Men's Absolute / Adult / Advanced")).toMatchObject({ absolute: true, age: 'Adult', level: 'Advanced' });
    expect(parseDivisionName("Men's Absolute / Adult / Advanced")).toMatchObject({
      gender: 'Men',
      weight: 'Absolute',
      weight_limit_kg: null,
    });
    expect(parseDivisionName('KIDS SUPER FIGHT').parts).toEqual(['KIDS SUPER FIGHT']);
    // ADCC's real list glues age to gender in the first part
    expect(parseDivisionName('Boys [15-17 years] / Advanced / -70,0 kg')).toMatchObject({
      parts: ['Boys [15-17 years]', 'Advanced', '-70,0 kg'],
      gender: 'Boys',
      age: '[15-17 years]',
      level: 'Advanced',
      weight_limit_kg: 70,
      unclassified: [],
    });
    expect(weightLimitKg('+100,0 kg')).toBe(100);
    expect(weightLimitKg('Under 225lbs')).toBe(102.06);
  });
  it('string numbers, ids, coordinates, entities, titles', () => {
    expect([num('69.50'), num('-91,0'), num('x'), id('0042'), id(7), id('a1'), coord('0.0000000'), coord('59.3293235')]).toEqual([
      69.5,
      -91,
      null,
      '42',
      '7',
      null,
      null,
      59.3293235,
    ]);
    expect(decodeEntities('S&atilde;o &amp; &#39;x&#x27;')).toBe("São & 'x'");
    expect(titleSubject('<title>Anna Berg - Smoothcomp</title>')).toBe('Anna Berg');
    expect(extractVar('<script>var events = [{"a":"]\\"x"}]\n</script>', 'events')).toEqual([{ a: ']"x' }]);
    expect(extractVar('<script>var other = 1;</script>', 'events')).toBeUndefined();
  });
});
