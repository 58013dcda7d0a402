/**
 * The assertion path language. A path is a chain of steps from the normalized output:
 *   name            object member                          `events`
 *   [3]             array index (0-based; -1 = last)       `events[0]`
 *   [*]             every element                          `brackets[*].matches`
 *   [field=value]   elements whose field equals value      `brackets[bracket_id=880001]`
 *                   (field may be dotted: `[winner.registration_id=5001001]`; value is a JSON literal or a bare word,
 *                   compared as text, so `[id=123]` matches 123 and "123")
 *   [f=a][g=b]      chained filters narrow the same elements    `laps[driver_key=346997][lap_number=10]`
 *   .count          (only as the last step of `count` paths: none; `count` counts what the path selects)
 * Resolution returns every value reached; a missing member yields nothing.
 */
export type Step =
  | { kind: 'member'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; field: string[]; value: string };

export function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      const end = findClose(path, i);
      const inner = path.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else {
        const eq = inner.indexOf('=');
        if (eq <= 0) throw new Error(`bad filter [${inner}] in path ${path}`);
        steps.push({ kind: 'filter', field: inner.slice(0, eq).trim().split('.'), value: literal(inner.slice(eq + 1).trim()) });
      }
      continue;
    }
    const m = /^[A-Za-z_$][\w$-]*/.exec(path.slice(i));
    if (!m) throw new Error(`bad path ${path} at ${i}`);
    steps.push({ kind: 'member', name: m[0] });
    i += m[0].length;
  }
  return steps;
}

function findClose(s: string, open: number): number {
  let inStr = false;
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === '"' && s[i - 1] !== '\\') inStr = !inStr;
    else if (s[i] === ']' && !inStr) return i;
  }
  throw new Error(`unclosed [ in path ${s}`);
}

function literal(v: string): string {
  if (v.startsWith('"')) return String(JSON.parse(v));
  return v;
}

const text = (v: unknown) => (v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function get(v: unknown, field: string[]): unknown {
  let cur = v;
  for (const f of field) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[f];
  }
  return cur;
}

export function resolvePath(root: unknown, path: string): unknown[] {
  let cur: unknown[] = [root];
  for (const step of parsePath(path)) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (step.kind === 'member') {
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && step.name in (v as object)) {
          next.push((v as Record<string, unknown>)[step.name]);
        }
      } else if (Array.isArray(v)) {
        if (step.kind === 'index') {
          const x = v[step.index < 0 ? v.length + step.index : step.index];
          if (x !== undefined) next.push(x);
        } else if (step.kind === 'all') next.push(...v);
        else next.push(...v.filter((x) => text(get(x, step.field)) === step.value));
      } else if (step.kind === 'filter' && v !== null && typeof v === 'object') {
        // A filter after a filter narrows the selected elements: `laps[driver_key=346997][lap_number=10]`.
        if (text(get(v, step.field)) === step.value) next.push(v);
      }
    }
    cur = next;
  }
  return cur;
}
