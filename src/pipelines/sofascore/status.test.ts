import { describe, expect, it } from 'vitest';
import { CANONICAL_STATUSES, FINAL_STATUSES, mapStatus, STATUS_TABLE } from './status';

describe('SofaScore status table', () => {
  it('maps every code in the table to its canonical status, period and ending, keeping the raw values', () => {
    const expected: Record<number, [string, string | null, string | null]> = {
      0: ['scheduled', null, null],
      6: ['inprogress', 'first_half', null],
      7: ['inprogress', 'second_half', null],
      8: ['inprogress', 'set_1', null],
      9: ['inprogress', 'set_2', null],
      10: ['inprogress', 'set_3', null],
      11: ['inprogress', 'set_4', null],
      12: ['inprogress', 'set_5', null],
      13: ['inprogress', 'period_1', null],
      14: ['inprogress', 'period_2', null],
      15: ['inprogress', 'period_3', null],
      16: ['inprogress', 'period_4', null],
      31: ['inprogress', 'halftime', null],
      32: ['inprogress', 'awaiting_extra_time', null],
      33: ['inprogress', 'extra_time_halftime', null],
      34: ['inprogress', 'awaiting_penalties', null],
      40: ['inprogress', 'overtime', null],
      41: ['inprogress', 'extra_time_1', null],
      42: ['inprogress', 'extra_time_2', null],
      50: ['inprogress', 'penalties', null],
      60: ['postponed', null, null],
      61: ['delayed', null, null],
      70: ['canceled', null, null],
      80: ['interrupted', null, null],
      90: ['abandoned', null, null],
      91: ['walkover', null, 'walkover'],
      92: ['retired', null, 'retirement'],
      100: ['finished', null, 'regular_time'],
      110: ['finished', null, 'extra_time'],
      120: ['finished', null, 'penalties'],
      130: ['finished', null, 'overtime'],
    };
    expect(
      Object.keys(STATUS_TABLE)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(
      Object.keys(expected)
        .map(Number)
        .sort((a, b) => a - b),
    );
    for (const [code, [status, period, endedBy]] of Object.entries(expected)) {
      const row = STATUS_TABLE[Number(code)]!;
      const m = mapStatus({ code: Number(code), type: row.type, description: row.description });
      expect(m, `code ${code}`).toEqual({
        status,
        period,
        ended_by: endedBy,
        final: FINAL_STATUSES.has(m.status),
        code: Number(code),
        type: row.type,
        description: row.description,
        type_mismatch: false,
      });
    }
  });

  it('keeps an unknown code as unknown with its raw code, type and description, never guessing from the type', () => {
    expect(mapStatus({ code: 777, type: 'finished', description: 'Something new' })).toEqual({
      status: 'unknown',
      period: null,
      ended_by: null,
      final: false,
      code: 777,
      type: 'finished',
      description: 'Something new',
      type_mismatch: false,
    });
    expect(mapStatus(undefined)).toMatchObject({ status: 'unknown', code: null });
  });

  it('reports a wire type that disagrees with the table instead of hiding it', () => {
    expect(mapStatus({ code: 60, type: 'canceled', description: 'canceled' })).toMatchObject({
      status: 'postponed',
      type: 'canceled',
      type_mismatch: true,
    });
  });

  it('final statuses are the settled ones; every canonical status is documented', () => {
    expect([...FINAL_STATUSES].sort()).toEqual(['abandoned', 'awarded', 'canceled', 'finished', 'retired', 'walkover']);
    expect(CANONICAL_STATUSES).toContain('unknown');
    for (const r of Object.values(STATUS_TABLE)) expect(CANONICAL_STATUSES).toContain(r.status);
  });
});
