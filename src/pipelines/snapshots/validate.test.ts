import { describe, expect, it } from 'vitest';
import valid from '../../../testdata/snapshots/handmade/valid.handmade.json?raw';
import unknownField from '../../../testdata/snapshots/handmade/unknown-field.handmade.json?raw';
import missingField from '../../../testdata/snapshots/handmade/missing-field.handmade.json?raw';
import badDate from '../../../testdata/snapshots/handmade/bad-date.handmade.json?raw';
import feb30 from '../../../testdata/snapshots/handmade/feb-30.handmade.json?raw';
import numericString from '../../../testdata/snapshots/handmade/numeric-string.handmade.json?raw';
import nanLike from '../../../testdata/snapshots/handmade/nan-like.handmade.json?raw';
import topLevelArray from '../../../testdata/snapshots/handmade/top-level-array.handmade.json?raw';
import emptyRecords from '../../../testdata/snapshots/handmade/empty-records.handmade.json?raw';
import invalidJson from '../../../testdata/snapshots/handmade/invalid-json.handmade.json?raw';
import emptyFile from '../../../testdata/snapshots/handmade/empty.handmade.json?raw';
import outOfBounds from '../../../testdata/snapshots/handmade/out-of-bounds.handmade.json?raw';
import { DEFAULT_MAX_SNAPSHOT_BYTES } from './schema';
import { formatProblem, isRealDate, MAX_LISTED_PROBLEMS, validateSnapshotBytes, validateSnapshotValue } from './validate';

const enc = (s: string) => new TextEncoder().encode(s);
const problemsOf = (text: string | Uint8Array, maxBytes?: number) => {
  const v = validateSnapshotBytes(typeof text === 'string' ? enc(text) : text, { maxBytes });
  if (v.ok) throw new Error('expected the file to fail');
  return v.problems.map(formatProblem);
};

describe('strict snapshot validation, one failing file per rule', () => {
  it('accepts the seed example', () => {
    const v = validateSnapshotBytes(enc(valid));
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.recordCount).toBe(2);
  });

  it('rejects unknown fields at file and record level', () => {
    expect(problemsOf(unknownField)).toEqual(['/extra: unknown field', '/records/1/shoe_size: unknown field']);
  });

  it('rejects missing required fields, every one of them', () => {
    expect(problemsOf(missingField)).toEqual(['/snapshot_date: required field missing', '/records/0/full_name: required field missing']);
  });

  it('rejects dates that are not YYYY-MM-DD', () => {
    expect(problemsOf(badDate)).toEqual([
      '/snapshot_date: expected a real date YYYY-MM-DD, got "13/03/2026"',
      '/records/0/birth_date: expected a real date YYYY-MM-DD, got "1984-12-30T00:00:00Z"',
    ]);
  });

  it('rejects Feb 30 (well-formed but not a real date)', () => {
    expect(problemsOf(feb30)).toEqual(['/records/1/birth_date: expected a real date YYYY-MM-DD, got "1993-02-30"']);
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
  });

  it('rejects numeric strings', () => {
    expect(problemsOf(numericString)).toEqual([
      '/records/0/games_played: expected number, got "60"',
      '/records/1/fg_pct: expected number, got "51.1"',
    ]);
  });

  it('rejects NaN-like values: "NaN", "-", "", and 1e999 (Infinity after parsing)', () => {
    expect(problemsOf(nanLike)).toEqual([
      '/records/0/minutes_per_game: expected a finite number, got Infinity',
      '/records/0/fg_pct: expected number, got "NaN"',
      '/records/0/ft_pct: expected number, got "-"',
      '/records/1/points_per_game: expected number, got ""',
    ]);
  });

  it('rejects a top level that is not an object', () => {
    expect(problemsOf(topLevelArray)).toEqual(['(file): expected a JSON object at the top level, got array']);
    expect(problemsOf('"snapshot"')).toEqual(['(file): expected a JSON object at the top level, got "snapshot"']);
  });

  it('rejects empty records', () => {
    expect(problemsOf(emptyRecords)).toEqual(['/records: records is empty: a snapshot has at least one record']);
  });

  it('rejects invalid JSON', () => {
    const [p] = problemsOf(invalidJson);
    expect(p).toMatch(/^\(file\): invalid JSON: /);
  });

  it('rejects a 0-byte file', () => {
    expect(emptyFile).toBe('');
    expect(problemsOf(emptyFile)).toEqual(['(file): the file is empty (0 bytes)']);
  });

  it('rejects a file over the size limit without parsing it', () => {
    const huge = new Uint8Array(DEFAULT_MAX_SNAPSHOT_BYTES + 1).fill(0x20);
    expect(problemsOf(huge)).toEqual([
      `(file): the file is ${DEFAULT_MAX_SNAPSHOT_BYTES + 1} bytes, over the ${DEFAULT_MAX_SNAPSHOT_BYTES}-byte limit`,
    ]);
    expect(problemsOf(valid, 100)[0]).toMatch(/over the 100-byte limit/);
  });

  it("rejects values outside a scout's bounds: percentages over 100, negative counts, metres as centimetres", () => {
    expect(problemsOf(outOfBounds)).toEqual([
      '/records/0/fg_pct: must be between 0 and 100 (percent, 0-100: 51.1 not 0.511), got 151.1',
      '/records/1/height_cm: must be between 100 and 260, got 2.08',
      '/records/1/games_played: must be between 0 and 200, got -1',
    ]);
  });

  it('rejects bytes that are not UTF-8, and null where a value is required', () => {
    expect(problemsOf(new Uint8Array([0x7b, 0xff, 0x7d]))).toEqual(['(file): the file is not valid UTF-8']);
    const doc = JSON.parse(valid);
    doc.records[0].player_external_id = null;
    doc.records[0].games_played = 60.5;
    const v = validateSnapshotValue(doc);
    expect(v.ok ? [] : v.problems.map(formatProblem)).toEqual([
      '/records/0/player_external_id: expected string, got null',
      '/records/0/games_played: expected an integer, got 60.5',
    ]);
  });

  it('rejects records that repeat a stat line or disagree about a name, and a birth after the snapshot', () => {
    const doc = JSON.parse(valid);
    doc.records.push({ ...doc.records[0] });
    doc.records[1].team_name = 'LA Lakers';
    doc.records[0].birth_date = '2027-01-01';
    doc.records[2].birth_date = '2027-01-01';
    const v = validateSnapshotValue(doc);
    expect(v.ok ? [] : v.problems.map(formatProblem)).toEqual([
      '/records/0/birth_date: birth date 2027-01-01 is not before snapshot_date 2026-03-13',
      '/records/1/team_name: team "team-lal" has "Los Angeles Lakers" at /records/0, "LA Lakers" here',
      '/records/2: same competition, season, team and player as /records/0',
      '/records/2/birth_date: birth date 2027-01-01 is not before snapshot_date 2026-03-13',
    ]);
  });

  it('lists every problem up to a cap, then counts the rest', () => {
    const doc = JSON.parse(valid);
    const r = doc.records[0];
    doc.records = Array.from({ length: 600 }, (_, i) => ({ ...r, player_external_id: `p${i}`, fg_pct: '1', ft_pct: '2' }));
    const v = validateSnapshotValue(doc);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.problems).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(v.problems.at(-1)!.message).toBe('200 more problems not listed (1200 in all)');
  });
});
