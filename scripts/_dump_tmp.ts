import { readFileSync } from 'node:fs';
import { SMOOTHCOMP_BENCH_CASES, SMOOTHCOMP_PIPELINES } from '/work/main/src/pipelines/smoothcomp/index';
import { loadResources, checkPlan } from '/work/main/src/audit/run';
const which = process.argv[2];
for (const bc of SMOOTHCOMP_BENCH_CASES) {
  if (which && !bc.name.includes(which)) continue;
  const p = SMOOTHCOMP_PIPELINES.find((x) => x.name === bc.pipeline)!;
  const params = p.paramsSchema.parse(bc.params);
  const fetched = await loadResources({ resources: bc.resources } as any, (f) => readFileSync('/work/main/testdata/' + f, 'utf8'));
  console.log('==', bc.name, JSON.stringify(checkPlan(p, params, fetched)));
  const out = p.outputSchema.parse(p.normalize(params, p.parse(params, fetched)));
  console.log(JSON.stringify(out, null, 1).slice(0, Number(process.argv[3] ?? 3000)));
  console.log([...p.entities(out)].map(([k]) => k).join(' '));
}
