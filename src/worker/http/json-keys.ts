/**
 * `__proto__` in a JSON body is an own key after JSON.parse, but zod records and object spreads drop or
 * reinterpret it (prototype pollution in any consumer that merges it): a request carrying one is refused, naming
 * where, instead of being silently altered.
 */
import { HttpError } from './errors';

const FORBIDDEN = '__proto__';

function find(value: unknown, path: string, depth: number): string | null {
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = find(value[i], `${path}.${i}`, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (key === FORBIDDEN) return here;
    const hit = find((value as Record<string, unknown>)[key], here, depth + 1);
    if (hit) return hit;
  }
  return null;
}

export function rejectForbiddenKeys(value: unknown): void {
  const at = find(value, '', 0);
  if (at)
    throw new HttpError(400, 'FORBIDDEN_KEY', `"${FORBIDDEN}" is not allowed as a key (at ${at})`, { fields: { [at]: ['forbidden key'] } });
}
