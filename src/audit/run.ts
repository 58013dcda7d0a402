/**
 * Runs one audit case: replays the case's fixtures through the pipeline's plan (optional check), parse, normalize
 * and outputSchema, then evaluates the truth assertions. Pure apart from `readFile`, so it runs in Node and workerd.
 */
import type { AnyPipeline, FetchedResource } from '../core/pipeline';
import { sha256Hex } from '../core/canonical-json';
import type { AuditCase } from './dataset';
import { type AssertionResult, classifyAssertion, classifyFailure } from './classify';
import { evaluate } from './evaluate';

export interface CaseResult {
  caseId: string;
  pipeline: string;
  results: AssertionResult[];
  output: unknown;
  error: { code: string; category: string; message: string } | null;
}

export type ReadFile = (relativePath: string) => string | Promise<string>;

const contentTypeFor = (file: string) => (file.endsWith('.json') ? 'application/json' : file.endsWith('.txt') ? 'text/plain' : 'text/html; charset=utf-8');

export async function loadResources(c: AuditCase, readFile: ReadFile): Promise<FetchedResource[]> {
  return Promise.all(
    c.resources.map(async (r) => {
      const body = await readFile(r.file);
      return { resourceType: r.resourceType, resourceKey: r.resourceKey, url: r.url, status: r.status ?? 200, contentType: r.contentType ?? contentTypeFor(r.file), body, bytes: new TextEncoder().encode(body), sha256: await sha256Hex(body) };
    }),
  );
}

const synthetic = (c: AuditCase, id: string, pass: boolean, actual: unknown, expected: unknown, cls: AssertionResult['classification'], note: string | null, known?: { classification: AssertionResult['classification']; note: string }): AssertionResult => ({
  caseId: c.id,
  assertionId: id,
  path: `<${id}>`,
  op: 'equals',
  expected,
  actual,
  outcome: pass ? (known ? 'resolved_known' : 'pass') : known ? 'explained' : 'unexplained',
  classification: pass && !known ? null : (known?.classification ?? cls),
  note: known?.note ?? (pass ? null : note),
});

/** Replays `plan` over the fixtures; returns the requests it made that the case lacks, and fixtures it never asked for. */
export function checkPlan(p: AnyPipeline, params: unknown, fetched: readonly FetchedResource[]): { missing: string[]; unused: string[] } {
  const got: FetchedResource[] = [];
  const missing: string[] = [];
  const rounds = p.maxRounds ?? 10;
  for (let round = 0; round < rounds; round++) {
    const reqs = p.plan(params, got);
    if (reqs.length === 0) break;
    let progressed = false;
    for (const req of reqs) {
      const hit = fetched.find((f) => f.resourceType === req.resourceType && f.resourceKey === req.resourceKey && f.url === req.url);
      if (!hit) missing.push(`${req.resourceType}:${req.resourceKey} ${req.url}`);
      else if (!got.includes(hit)) {
        got.push(hit);
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  const unused = fetched.filter((f) => !got.includes(f)).map((f) => `${f.resourceType}:${f.resourceKey} ${f.url}`);
  return { missing, unused };
}

export async function runCase(p: AnyPipeline, c: AuditCase, readFile: ReadFile): Promise<CaseResult> {
  const results: AssertionResult[] = [];
  const parsedParams = p.paramsSchema.safeParse(c.params);
  if (!parsedParams.success) {
    results.push(synthetic(c, 'params', false, c.params, 'valid params', 'EXPECTATION_WAS_WRONG', `params rejected: ${parsedParams.error.message}`));
    return { caseId: c.id, pipeline: p.name, results, output: null, error: null };
  }
  const params = parsedParams.data;
  const fetched = await loadResources(c, readFile);
  if (c.check_plan !== false) {
    const { missing, unused } = checkPlan(p, params, fetched);
    const ok = missing.length === 0 && unused.length === 0;
    results.push(synthetic(c, 'plan', ok, { missing, unused }, { missing: [], unused: [] }, 'EXPECTATION_WAS_WRONG', 'the case fixtures differ from what plan requests'));
  }
  let output: unknown = null;
  let error: CaseResult['error'] = null;
  try {
    const parsed = p.parse(params, fetched);
    const normalized = p.normalize(params, parsed);
    const checked = p.outputSchema.safeParse(normalized);
    if (!checked.success) {
      error = { code: 'OUTPUT_SCHEMA', category: 'schema', message: checked.error.message };
    } else {
      output = checked.data;
      const keys = [...p.entities(checked.data)].map(([k]) => k);
      const dup = keys.find((k, i) => keys.indexOf(k) !== i);
      if (dup) error = { code: 'DUPLICATE_ENTITY_KEY', category: 'internal', message: `entity key ${dup} repeats` };
    }
  } catch (err) {
    const e = err as { code?: string; category?: string; message?: string };
    error = { code: e.code ?? 'UNKNOWN', category: e.category ?? 'internal', message: e.message ?? String(err) };
  }
  const exp = c.expect_error;
  if (exp) {
    const ok = !!error && (!exp.code || exp.code === error.code) && (!exp.category || exp.category === error.category);
    results.push(synthetic(c, 'expect_error', ok, error ? `${error.category}/${error.code}` : 'no error', `${exp.category ?? '*'}/${exp.code ?? '*'}`, 'PARSER_DRIFT', error ? `wrong error: ${error.message}` : 'a page that should be refused was accepted as data', exp.known));
    return { caseId: c.id, pipeline: p.name, results, output, error };
  }
  if (error) {
    results.push(synthetic(c, 'pipeline', false, `${error.category}/${error.code}: ${error.message.slice(0, 200)}`, 'a valid output', classifyFailure({ code: error.code, category: error.category, schema: error.category === 'schema' }), 'the pipeline failed on this case'));
    return { caseId: c.id, pipeline: p.name, results, output, error };
  }
  for (const a of c.assertions) results.push(classifyAssertion(c, a, evaluate(output, a)));
  return { caseId: c.id, pipeline: p.name, results, output, error };
}
