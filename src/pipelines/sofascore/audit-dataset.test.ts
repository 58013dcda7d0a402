/** Runs the SofaScore audit dataset inside workerd, so `npm test` catches what `npm run audit` would. */
import { describe, expect, it } from 'vitest';
import dataset from '../../../testdata/sofascore/audit/dataset.json';
import routes from '../../../testdata/sofascore/routes.json';
import { datasetSchema } from '../../audit/dataset';
import { loadResources, planCheck, runCase } from '../../audit/run';
import { SOFASCORE_BENCH_CASES, SOFASCORE_PIPELINES } from './index';

declare global {
  interface ImportMeta {
    glob(pattern: string, options: { query: string; import: string; eager: true }): Record<string, string>;
  }
}
const FILES = import.meta.glob('../../../testdata/sofascore/**/*.json', { query: '?raw', import: 'default', eager: true });
const read = (f: string) => {
  const body = FILES[`../../../testdata/sofascore/${f}`];
  if (body === undefined) throw new Error(`fixture ${f} not found`);
  return body;
};
const pipelines = new Map(SOFASCORE_PIPELINES.map((p) => [p.name, p]));

describe('sofascore audit dataset', () => {
  const ds = datasetSchema.parse(dataset);
  it('has no unexplained mismatch', async () => {
    const unexplained = [];
    for (const c of ds.cases) {
      const r = await runCase(pipelines.get(c.pipeline)!, c, read);
      unexplained.push(...r.results.filter((x) => x.outcome !== 'pass' && x.outcome !== 'explained'));
    }
    expect(unexplained).toEqual([]);
  });
  it('every dataset resource and bench case is served by routes.json with the same file and status', () => {
    const table = routes as Record<string, string | { file: string; status?: number }>;
    const spec = (url: string) => {
      const hit = table[url.replace(/^https:\/\//, '')];
      return hit === undefined
        ? undefined
        : typeof hit === 'string'
          ? { file: hit, status: 200 }
          : { file: hit.file, status: hit.status ?? 200 };
    };
    // The round's other states are switched in by tests through the fixture server's control API.
    const variant = (f: string) => /\.r2\.(inprogress|finished-volatile|corrected)\./.test(f);
    for (const c of ds.cases)
      for (const r of c.resources)
        if (!variant(r.file)) expect([r.url, spec(r.url)]).toEqual([r.url, { file: r.file, status: r.status ?? 200 }]);
    for (const b of SOFASCORE_BENCH_CASES) for (const r of b.resources) expect(`sofascore/${spec(r.url)?.file}`).toBe(r.file);
  });
  it('bench cases answer every request their pipeline plans, and nothing else', async () => {
    for (const b of SOFASCORE_BENCH_CASES) {
      const p = pipelines.get(b.pipeline)!;
      const fetched = await loadResources({ resources: b.resources } as never, (f) => read(f.replace(/^sofascore\//, '')));
      const { missing, unused, error } = await planCheck(p, p.paramsSchema.parse(b.params), fetched);
      expect([b.name, { missing, unused, error }]).toEqual([b.name, { missing: [], unused: [], error: null }]);
    }
  });
});
