/** Assertion ops over resolved path values. */
import type { Assertion } from './dataset';
import { resolvePath } from './path';

export interface Evaluation {
  pass: boolean;
  /** What the output showed, for the report. */
  actual: unknown;
  /** Whether the path selected anything at all (a missing path is evidence of drift). */
  resolved: boolean;
  error?: string;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * equals   one selected value deep-equals `value` (several selected values are compared as a list)
 * count    the number of elements of a single selected array, else the number of selected values, equals `value`
 * exists   something non-null is selected (`value: false` asserts absence)
 * contains a selected string includes `value`, or a selected array has an element deep-equal to `value`
 */
export function evaluate(output: unknown, a: Assertion): Evaluation {
  let values: unknown[];
  try {
    values = resolvePath(output, a.path);
  } catch (err) {
    return { pass: false, actual: undefined, resolved: false, error: (err as Error).message };
  }
  const resolved = values.length > 0;
  const single = values.length === 1 ? values[0] : values;
  switch (a.op) {
    case 'equals':
      return { pass: resolved && deepEqual(single, a.value), actual: resolved ? single : undefined, resolved };
    case 'count': {
      const n = values.length === 1 && Array.isArray(values[0]) ? values[0].length : values.length;
      return { pass: n === a.value, actual: n, resolved };
    }
    case 'exists': {
      const present = values.some((v) => v !== null && v !== undefined);
      return { pass: present === (a.value ?? true), actual: present, resolved: true };
    }
    case 'has': {
      const want = a.value as Record<string, unknown>;
      const obj = single !== null && typeof single === 'object' && !Array.isArray(single) ? (single as Record<string, unknown>) : null;
      const pass = resolved && obj !== null && Object.keys(want).every((k) => deepEqual(obj[k], want[k]));
      return { pass, actual: resolved ? single : undefined, resolved };
    }
    case 'contains': {
      const hit = values.some((v) =>
        typeof v === 'string' && typeof a.value === 'string'
          ? v.includes(a.value)
          : Array.isArray(v) && v.some((x) => deepEqual(x, a.value)),
      );
      return { pass: hit, actual: resolved ? single : undefined, resolved };
    }
  }
}
