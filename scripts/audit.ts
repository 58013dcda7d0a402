/**
 * Extraction audit CLI: `tsx scripts/audit.ts [--format text|json] [--provider NAME] [--no-write]`.
 * For every testdata/<provider>/audit/dataset.json, replays each case's fixtures through its pipeline, evaluates the
 * truth assertions, writes docs/<provider>-extraction-audit.md and exits 1 on unexplained mismatches (2 when a
 * dataset cannot be read). Format: src/audit/README.md.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { totals, exitStatus } from '../src/audit/classify';
import { datasetSchema } from '../src/audit/dataset';
import { jsonSummary, markdownReport, textSummary, type ProviderAudit } from '../src/audit/report';
import { runCase, type CaseResult } from '../src/audit/run';
import { listPipelines } from '../src/pipelines/registry';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const format = flag('--format') ?? 'text';
const only = flag('--provider');
const write = !args.includes('--no-write');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

async function main(): Promise<number> {
  const testdata = join(ROOT, 'testdata');
  const pipelines = new Map(listPipelines().map((p) => [p.name, p]));
  const audits: ProviderAudit[] = [];
  let datasetErrors = 0;
  for (const provider of readdirSync(testdata).sort()) {
    const datasetPath = join(testdata, provider, 'audit', 'dataset.json');
    if ((only && provider !== only) || !existsSync(datasetPath)) continue;
    const parsed = datasetSchema.safeParse(JSON.parse(readFileSync(datasetPath, 'utf8')));
    if (!parsed.success) {
      console.error(`${relative(ROOT, datasetPath)}: ${parsed.error.message}`);
      datasetErrors++;
      continue;
    }
    const base = join(testdata, provider);
    const cases: CaseResult[] = [];
    for (const c of parsed.data.cases) {
      const p = pipelines.get(c.pipeline);
      if (!p) {
        console.error(`${provider}/${c.id}: unknown pipeline ${c.pipeline}`);
        datasetErrors++;
        continue;
      }
      cases.push(await runCase(p, c, (f) => readFileSync(join(base, f), 'utf8')));
    }
    const used = new Set([
      ...parsed.data.cases.flatMap((c) => c.resources.map((r) => r.file)),
      ...parsed.data.support_files.map((f) => f.file),
    ]);
    const uncovered = walk(base)
      .map((f) => relative(base, f).split('\\').join('/'))
      .filter((f) => !f.startsWith('audit/') && f !== 'routes.json' && !f.endsWith('.md') && !used.has(f))
      .sort();
    const audit: ProviderAudit = {
      provider,
      datasetPath: relative(ROOT, datasetPath),
      cases,
      totals: totals(
        cases.flatMap((c) => c.results),
        cases.length,
      ),
      uncoveredFixtures: uncovered,
    };
    audits.push(audit);
    if (write) writeFileSync(join(ROOT, 'docs', `${provider}-extraction-audit.md`), markdownReport(audit));
  }
  const unexplained = audits.reduce((n, a) => n + a.totals.unexplained, 0);
  const exit = exitStatus({ unexplained }, datasetErrors);
  if (format === 'json') console.log(JSON.stringify(jsonSummary(audits, exit), null, 2));
  else console.log(audits.length === 0 ? 'no audit datasets found' : textSummary(audits));
  return exit;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
