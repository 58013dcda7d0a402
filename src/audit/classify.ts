/** Mismatch classification and exit status: pure, unit-tested. */
import type { Assertion, AuditCase, MismatchClass } from './dataset';
import type { Evaluation } from './evaluate';

export type Outcome = 'pass' | 'explained' | 'unexplained' | 'resolved_known';

export interface AssertionResult {
  caseId: string;
  assertionId: string;
  path: string;
  op: string;
  expected: unknown;
  actual: unknown;
  outcome: Outcome;
  classification: MismatchClass | null;
  /** The dataset's note for a known mismatch, or the runner's reason for its suggestion. */
  note: string | null;
}

/**
 * The runner's suggestion for a mismatch nobody has explained yet. It is a starting point for the curator,
 * never a verdict: only a `known` entry in the dataset makes a mismatch explained.
 */
export function suggestClassification(
  c: Pick<AuditCase, 'params'>,
  a: Pick<Assertion, 'path' | 'op'>,
  ev: Evaluation,
): { classification: MismatchClass; reason: string } {
  if (ev.error) return { classification: 'EXPECTATION_WAS_WRONG', reason: `assertion cannot be evaluated: ${ev.error}` };
  if (!ev.resolved && a.op !== 'exists')
    return { classification: 'PARSER_DRIFT', reason: 'path selects nothing: a field or record the parser should produce is missing' };
  const last =
    a.path
      .split(/[.[\]]/)
      .filter(Boolean)
      .pop() ?? '';
  if (/(^|_)id$|_ids?$/.test(last) || /profile_link|registration_id/.test(a.path)) {
    return { classification: 'ID_RESOLUTION_BUG', reason: 'an id differs or is missing' };
  }
  const host = typeof c.params.host === 'string' ? c.params.host : '';
  if (/^[^.]+\.[^.]+\.[^.]+$/.test(host) || /host|url/.test(last)) {
    return { classification: 'SUBDOMAIN_VARIANT', reason: 'mismatch on a host/URL value or on an organizer-subdomain case' };
  }
  return { classification: 'NORMALIZATION_BUG', reason: 'the value is present but differs from the truth' };
}

export function classifyAssertion(c: AuditCase, a: Assertion, ev: Evaluation): AssertionResult {
  const base = { caseId: c.id, assertionId: a.id, path: a.path, op: a.op, expected: a.value, actual: ev.actual };
  if (ev.pass) {
    return a.known
      ? {
          ...base,
          outcome: 'resolved_known',
          classification: a.known.classification,
          note: `known mismatch no longer reproduces: ${a.known.note}`,
        }
      : { ...base, outcome: 'pass', classification: null, note: null };
  }
  if (a.known) return { ...base, outcome: 'explained', classification: a.known.classification, note: a.known.note };
  const s = suggestClassification(c, a, ev);
  return { ...base, outcome: 'unexplained', classification: s.classification, note: s.reason };
}

/** The normalize step's own codes for output that is wrong although the page was understood (normalize-step.ts). */
const NORMALIZER_FAULTS = new Set(['NORMALIZED_SCHEMA_MISMATCH', 'DUPLICATE_ENTITY_KEY']);

/** Classification of a pipeline failure (error thrown by fetch, parse or normalize, or an output schema violation). */
export function classifyFailure(err: { code?: string; category?: string; schema?: boolean }): MismatchClass {
  if (err.schema || (err.code !== undefined && NORMALIZER_FAULTS.has(err.code))) return 'NORMALIZATION_BUG';
  if (err.code === 'PROVIDER_BLOCKED' || err.category === 'provider') return 'SOURCE_NOT_VISIBLE';
  if (err.category === 'parse') return 'PARSER_DRIFT';
  if (err.category === 'validation') return 'EXPECTATION_WAS_WRONG';
  return 'NORMALIZATION_BUG';
}

export interface Totals {
  cases: number;
  assertions: number;
  pass: number;
  explained: number;
  unexplained: number;
  resolvedKnown: number;
  byClass: Partial<Record<MismatchClass, number>>;
}

export function totals(results: readonly AssertionResult[], cases: number): Totals {
  const t: Totals = { cases, assertions: results.length, pass: 0, explained: 0, unexplained: 0, resolvedKnown: 0, byClass: {} };
  for (const r of results) {
    if (r.outcome === 'pass') t.pass++;
    else if (r.outcome === 'explained') t.explained++;
    else if (r.outcome === 'unexplained') t.unexplained++;
    else t.resolvedKnown++;
    if (r.classification && (r.outcome === 'explained' || r.outcome === 'unexplained'))
      t.byClass[r.classification] = (t.byClass[r.classification] ?? 0) + 1;
  }
  return t;
}

/** 0 = every mismatch explained; 1 = unexplained mismatches; 2 = the dataset itself could not be used. */
export function exitStatus(t: Pick<Totals, 'unexplained'>, datasetErrors = 0): 0 | 1 | 2 {
  if (datasetErrors > 0) return 2;
  return t.unexplained > 0 ? 1 : 0;
}
