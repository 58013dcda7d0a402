import { describe, expect, it } from 'vitest';
import { CronError, nextCronTime } from './cron';

const at = (iso: string) => Date.parse(iso);
const next = (expr: string, iso: string) => new Date(nextCronTime(expr, at(iso))).toISOString();

describe('nextCronTime', () => {
  it('finds the next slot strictly after the given time', () => {
    expect(next('* * * * *', '2026-11-23T10:15:30Z')).toBe('2026-11-23T10:16:00.000Z');
    expect(next('* * * * *', '2026-11-23T10:15:00Z')).toBe('2026-11-23T10:16:00.000Z');
    expect(next('17 4 * * *', '2026-11-23T04:17:00Z')).toBe('2026-11-24T04:17:00.000Z');
    expect(next('*/15 * * * *', '2026-11-23T10:16:00Z')).toBe('2026-11-23T10:30:00.000Z');
    expect(next('0 9 * * 1-5', '2026-11-28T12:00:00Z')).toBe('2026-11-30T09:00:00.000Z'); // Saturday -> Monday
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(next('0 12 1 * 0', '2026-11-23T13:00:00Z')).toBe('2026-11-29T12:00:00.000Z'); // dom OR dow
  });

  it('rejects malformed expressions', () => {
    expect(() => nextCronTime('* * * *', 0)).toThrow(CronError);
    expect(() => nextCronTime('61 * * * *', 0)).toThrow(/minute/);
    expect(() => nextCronTime('a b c d e', 0)).toThrow(CronError);
    expect(() => nextCronTime('0 0 31 2 *', 0)).toThrow(/never fires/);
  });
});
