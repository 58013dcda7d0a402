/** Runs the Smoothcomp audit dataset inside workerd, so `npm test` catches what `npm run audit` would. */
import { describe, expect, it } from 'vitest';
import dataset from '../../../testdata/smoothcomp/audit/dataset.json';
import routes from '../../../testdata/smoothcomp/routes.json';
import { datasetSchema } from '../../audit/dataset';
import { loadResources, planCheck, runCase } from '../../audit/run';
import { AJPTOUR_PIPELINES, SMOOTHCOMP_BENCH_CASES, SMOOTHCOMP_PIPELINES } from './index';

declare global {
  interface ImportMeta {
    glob(pattern: string, options: { query: string; import: string; eager: true }): Record<string, string>;
  }
}
const FILES = import.meta.glob('../../../testdata/smoothcomp/**/*.{html,json,txt}', { query: '?raw', import: 'default', eager: true });
const read = (f: string) => {
  const body = FILES[`../../../testdata/smoothcomp/${f}`];
  if (body === undefined) throw new Error(`fixture ${f} not found`);
  return body;
};

describe('smoothcomp audit dataset', () => {
  const ds = datasetSchema.parse(dataset);
  const pipelines = new Map([...SMOOTHCOMP_PIPELINES, ...AJPTOUR_PIPELINES].map((p) => [p.name, p]));
  it('has no unexplained mismatch', async () => {
    const unexplained = [];
    for (const c of ds.cases) {
      const r = await runCase(pipelines.get(c.pipeline)!, c, read);
      unexplained.push(...r.results.filter((x) => x.outcome !== 'pass' && x.outcome !== 'explained'));
    }
    expect(unexplained).toEqual([]);
  });
  it('every dataset resource and bench case is served by routes.json with the same file', () => {
    const table = routes as Record<string, string | { file: string }>;
    const fileFor = (url: string) => {
      const u = new URL(url);
      const q = new URLSearchParams(u.search);
      q.sort();
      const key = `${u.host}${u.pathname}${q.toString() ? `?${q}` : ''}`;
      const hit = Object.entries(table).find(([k]) => {
        const [hp, qs = ''] = k.split('?');
        const kq = new URLSearchParams(qs);
        kq.sort();
        return `${hp}${kq.toString() ? `?${kq}` : ''}` === key;
      });
      return hit ? (typeof hit[1] === 'string' ? hit[1] : hit[1].file) : undefined;
    };
    for (const c of ds.cases)
      for (const r of c.resources) if (!r.file.includes('reformatted')) expect([r.url, fileFor(r.url)]).toEqual([r.url, r.file]);
    for (const b of SMOOTHCOMP_BENCH_CASES) for (const r of b.resources) expect(`smoothcomp/${fileFor(r.url)}`).toBe(r.file);
  });
  it('bench cases answer every request their pipeline plans, and nothing else', async () => {
    for (const b of SMOOTHCOMP_BENCH_CASES) {
      const p = pipelines.get(b.pipeline)!;
      const fetched = await loadResources({ resources: b.resources } as never, (f) => read(f.replace(/^smoothcomp\//, '')));
      const { missing, unused, error } = await planCheck(p, p.paramsSchema.parse(b.params), fetched);
      expect([b.name, { missing, unused, error }]).toEqual([b.name, { missing: [], unused: [], error: null }]);
    }
  });
});
