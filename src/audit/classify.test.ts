import { describe, expect, it } from 'vitest';
import { classifyAssertion, classifyFailure, exitStatus, suggestClassification, totals } from './classify';
import type { AuditCase } from './dataset';

const kase = (params: Record<string, unknown> = {}): AuditCase => ({ id: 'c1', pipeline: 'p', params, resources: [], assertions: [] });
const miss = { pass: false, actual: 'x', resolved: true };

describe('classification', () => {
  it('a known mismatch is explained with its recorded class and note', () => {
    const r = classifyAssertion(
      kase(),
      {
        id: 'a',
        path: 'x.name',
        op: 'equals',
        value: 'y',
        known: { classification: 'PARTIAL_SOURCE_DATA', note: 'page 1 has only the URL' },
      },
      miss,
    );
    expect(r).toMatchObject({ outcome: 'explained', classification: 'PARTIAL_SOURCE_DATA', note: 'page 1 has only the URL' });
  });
  it('an unknown mismatch is unexplained with a suggested class', () => {
    const r = classifyAssertion(kase(), { id: 'a', path: 'x.name', op: 'equals', value: 'y' }, miss);
    expect(r).toMatchObject({ outcome: 'unexplained', classification: 'NORMALIZATION_BUG' });
  });
  it('a known mismatch that now passes is reported, not failed', () => {
    const r = classifyAssertion(
      kase(),
      { id: 'a', path: 'x', op: 'equals', value: 1, known: { classification: 'PARSER_DRIFT', note: 'n' } },
      { pass: true, actual: 1, resolved: true },
    );
    expect(r.outcome).toBe('resolved_known');
    expect(
      classifyAssertion(kase(), { id: 'a', path: 'x', op: 'equals', value: 1 }, { pass: true, actual: 1, resolved: true }),
    ).toMatchObject({ outcome: 'pass', classification: null });
  });
  it('suggestions: missing path → drift, ids → id resolution, subdomain case → subdomain variant, bad path → expectation', () => {
    expect(
      suggestClassification(kase(), { path: 'a.b', op: 'equals' }, { pass: false, actual: undefined, resolved: false }).classification,
    ).toBe('PARSER_DRIFT');
    expect(suggestClassification(kase(), { path: 'm.winner.profile_id', op: 'equals' }, miss).classification).toBe('ID_RESOLUTION_BUG');
    expect(suggestClassification(kase({ host: 'adcc.smoothcomp.com' }), { path: 'm.name', op: 'equals' }, miss).classification).toBe(
      'SUBDOMAIN_VARIANT',
    );
    expect(suggestClassification(kase(), { path: 'a[', op: 'equals' }, { ...miss, error: 'unclosed [' }).classification).toBe(
      'EXPECTATION_WAS_WRONG',
    );
  });
  it('pipeline failures', () => {
    expect(classifyFailure({ code: 'PROVIDER_BLOCKED', category: 'provider' })).toBe('SOURCE_NOT_VISIBLE');
    expect(classifyFailure({ code: 'X', category: 'parse' })).toBe('PARSER_DRIFT');
    expect(classifyFailure({ schema: true })).toBe('NORMALIZATION_BUG');
  });
});

describe('totals and exit status', () => {
  const base = { caseId: 'c', path: 'p', op: 'equals', expected: 1, actual: 2, note: null };
  const results = [
    { ...base, assertionId: '1', outcome: 'pass' as const, classification: null },
    { ...base, assertionId: '2', outcome: 'explained' as const, classification: 'SOURCE_NOT_VISIBLE' as const },
    { ...base, assertionId: '3', outcome: 'resolved_known' as const, classification: 'PARSER_DRIFT' as const },
  ];
  it('explained and resolved mismatches exit 0', () => {
    const t = totals(results, 1);
    expect(t).toMatchObject({ assertions: 3, pass: 1, explained: 1, unexplained: 0, resolvedKnown: 1, byClass: { SOURCE_NOT_VISIBLE: 1 } });
    expect(exitStatus(t)).toBe(0);
  });
  it('one unexplained mismatch exits 1; an unusable dataset exits 2', () => {
    const t = totals([...results, { ...base, assertionId: '4', outcome: 'unexplained', classification: 'NORMALIZATION_BUG' }], 1);
    expect(t.unexplained).toBe(1);
    expect(t.byClass.NORMALIZATION_BUG).toBe(1);
    expect(exitStatus(t)).toBe(1);
    expect(exitStatus({ unexplained: 0 }, 1)).toBe(2);
  });
});
