/**
 * Runs one audit case the way a job runs: the case's fixtures answer the runtime's own fetch rounds
 * (src/tools/fixture-fetch.ts over src/runtime/fetch-resources.ts: round limit, repeated requests skipped, the
 * transport's status and block classification), then the runtime's normalize step (parse, normalize, outputSchema,
 * entity keys: src/runtime/normalize-step.ts), then the truth assertions. Pure apart from `readFile`.
 */
import { sha256Hex } from '../core/canonical-json';
import type { AnyPipeline, FetchedResource } from '../core/pipeline';
import type { ProviderProfile } from '../core/provider';
import { getProvider } from '../pipelines/registry';
import { runNormalizeStep } from '../runtime/normalize-step';
import { contentTypeOf, type Fixture, type FixtureFetch, fetchFromFixtures } from '../tools/fixture-fetch';
import { type AssertionResult, classifyAssertion, classifyFailure } from './classify';
import type { AuditCase } from './dataset';
import { evaluate } from './evaluate';

export interface CaseResult {
  caseId: string;
  pipeline: string;
  results: AssertionResult[];
  output: unknown;
  error: { code: string; category: string; message: string } | null;
}

export type ReadFile = (relativePath: string) => string | Promise<string>;

export async function loadResources(c: AuditCase, readFile: ReadFile): Promise<FetchedResource[]> {
  return Promise.all(
    c.resources.map(async (r) => {
      const body = await readFile(r.file);
      return {
        resourceType: r.resourceType,
        resourceKey: r.resourceKey,
        url: r.url,
        status: r.status ?? 200,
        contentType: r.contentType ?? contentTypeOf(r.file),
        body,
        bytes: new TextEncoder().encode(body),
        sha256: await sha256Hex(body),
      };
    }),
  );
}

const synthetic = (
  c: AuditCase,
  id: string,
  pass: boolean,
  actual: unknown,
  expected: unknown,
  cls: AssertionResult['classification'],
  note: string | null,
  known?: { classification: AssertionResult['classification']; note: string },
): AssertionResult => ({
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

/** The profile a case is fetched under: the registry's, or an open one for a pipeline outside it (unit tests). */
function profileFor(p: AnyPipeline): ProviderProfile {
  return getProvider(p.provider) ?? { name: p.provider, hostPattern: /./, ratePerSec: 1, burst: 1 };
}

const key = (f: { resourceType: string; resourceKey: string; url: string }) => `${f.resourceType}:${f.resourceKey} ${f.url}`;

/**
 * The plan check through the runtime's fetch rounds: requests no fixture answers (`missing`) and fixtures never asked
 * for (`unused`). A fetch the transport refuses (a block page, an error status) ends the rounds as it ends a job;
 * fixtures after it are then not judged unused. `fetched` is what the normalize step reads: the plan's own set when
 * the fixtures cover it, otherwise the case's fixtures as given so the assertions still say something.
 */
export async function planCheck(
  p: AnyPipeline,
  params: Record<string, unknown>,
  fixtures: readonly FetchedResource[],
  profile: ProviderProfile = profileFor(p),
): Promise<{ missing: string[]; unused: string[]; fetched: readonly FetchedResource[]; error: unknown }> {
  const served: Fixture[] = fixtures.map((f) => ({ url: f.url, body: f.bytes, status: f.status, contentType: f.contentType }));
  let run: Omit<FixtureFetch, 'fetched'> & { fetched?: FetchedResource[] };
  let error: unknown = null;
  try {
    run = await fetchFromFixtures(p, profile, params, served);
  } catch (err) {
    const partial = (err as { fixtureFetch?: Omit<FixtureFetch, 'fetched'> })?.fixtureFetch;
    if (!partial) throw err;
    run = partial;
    error = err;
  }
  const asked = run.rounds.flat();
  const missing = asked.filter((r) => !fixtures.some((f) => key(f) === key(r))).map(key);
  if (missing.length)
    return { missing, unused: fixtures.filter((f) => !asked.some((r) => key(r) === key(f))).map(key), fetched: fixtures, error: null };
  const unused = error ? [] : fixtures.filter((f) => !asked.some((r) => key(r) === key(f))).map(key);
  return { missing, unused, fetched: run.fetched ?? fixtures, error };
}

function caseError(err: unknown): NonNullable<CaseResult['error']> {
  const e = err as { code?: string; category?: string; message?: string };
  return { code: e.code ?? 'UNKNOWN', category: e.category ?? 'internal', message: e.message ?? String(err) };
}

export async function runCase(
  p: AnyPipeline,
  c: AuditCase,
  readFile: ReadFile,
  profile: ProviderProfile = profileFor(p),
): Promise<CaseResult> {
  const results: AssertionResult[] = [];
  const parsedParams = p.paramsSchema.safeParse(c.params);
  if (!parsedParams.success) {
    results.push(
      synthetic(c, 'params', false, c.params, 'valid params', 'EXPECTATION_WAS_WRONG', `params rejected: ${parsedParams.error.message}`),
    );
    return { caseId: c.id, pipeline: p.name, results, output: null, error: null };
  }
  const params = parsedParams.data as Record<string, unknown>;
  const fixtures = await loadResources(c, readFile);
  let fetched: readonly FetchedResource[] = fixtures;
  let error: CaseResult['error'] = null;
  if (c.check_plan !== false) {
    const check = await planCheck(p, params, fixtures, profile);
    const ok = check.missing.length === 0 && check.unused.length === 0;
    results.push(
      synthetic(
        c,
        'plan',
        ok,
        { missing: check.missing, unused: check.unused },
        { missing: [], unused: [] },
        'EXPECTATION_WAS_WRONG',
        'the case fixtures differ from what plan requests',
      ),
    );
    fetched = check.fetched;
    if (check.error) error = caseError(check.error);
  }
  let output: unknown = null;
  if (!error) {
    try {
      output = (await runNormalizeStep(p, params, fetched)).normalized;
    } catch (err) {
      error = caseError(err);
    }
  }
  const exp = c.expect_error;
  if (exp) {
    const ok = !!error && (!exp.code || exp.code === error.code) && (!exp.category || exp.category === error.category);
    results.push(
      synthetic(
        c,
        'expect_error',
        ok,
        error ? `${error.category}/${error.code}` : 'no error',
        `${exp.category ?? '*'}/${exp.code ?? '*'}`,
        'PARSER_DRIFT',
        error ? `wrong error: ${error.message}` : 'a page that should be refused was accepted as data',
        exp.known,
      ),
    );
    return { caseId: c.id, pipeline: p.name, results, output, error };
  }
  if (error) {
    results.push(
      synthetic(
        c,
        'pipeline',
        false,
        `${error.category}/${error.code}: ${error.message.slice(0, 200)}`,
        'a valid output',
        classifyFailure(error),
        'the pipeline failed on this case',
      ),
    );
    return { caseId: c.id, pipeline: p.name, results, output, error };
  }
  for (const a of c.assertions) results.push(classifyAssertion(c, a, evaluate(output, a)));
  return { caseId: c.id, pipeline: p.name, results, output, error };
}
