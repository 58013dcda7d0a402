#!/usr/bin/env tsx
/**
 * Exports the raw snapshots of a finished job into testdata/<provider>/captured/<job-id>/ with a PROVENANCE.json
 * (URL, fetched time, sha256), verifies every body against its sha256, and with --routes adds fixture-server routes
 * so the capture replays through UPSTREAM_OVERRIDE. Reads the adapter's internal API:
 *   npm run capture -- <job-id> [--url http://127.0.0.1:8787] [--token $INTERNAL_AUTH_TOKEN] [--routes]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planCapture, provenance, type SnapshotInfo } from '../src/tools/capture-plan';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const jobId = args.find((a) => /^[0-9a-f-]{36}$/.test(a));
if (!jobId) {
  console.error('usage: npm run capture -- <job-id> [--url URL] [--token TOKEN] [--routes]');
  process.exit(2);
}
const base = (flag('url') ?? process.env.ADAPTER_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
const token = flag('token') ?? process.env.INTERNAL_AUTH_TOKEN ?? '';
const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};

const res = await fetch(`${base}/internal/v1/jobs/${jobId}`, { headers });
if (!res.ok) {
  console.error(`GET job ${jobId}: ${res.status} ${await res.text()}`);
  process.exit(1);
}
const detail = (await res.json()) as {
  job: { id: string; pipeline: string; params: unknown; scope_key: string; state: string };
  snapshots: SnapshotInfo[];
};
if (!['succeeded', 'failed', 'exhausted'].includes(detail.job.state)) {
  console.error(`job ${jobId} is ${detail.job.state}; capture a finished job`);
  process.exit(1);
}
const provider = detail.job.pipeline.split('.')[0]!;
const relDir = `captured/${jobId}`;
const outDir = join(ROOT, 'testdata', provider, relDir);
const files = planCapture(detail.snapshots, relDir);
if (files.length === 0) {
  console.error(`job ${jobId} stored no snapshots`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
for (const f of files) {
  const r = await fetch(`${base}/internal/v1/snapshots/${f.snapshot.sha256}`, { headers });
  if (!r.ok) throw new Error(`snapshot ${f.snapshot.sha256}: ${r.status}`);
  const bytes = Buffer.from(await r.arrayBuffer());
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== f.snapshot.sha256) throw new Error(`snapshot ${f.file}: sha256 mismatch (${sha})`);
  writeFileSync(join(ROOT, 'testdata', provider, f.file), bytes);
  console.log(`wrote testdata/${provider}/${f.file} (${bytes.length} bytes) <- ${f.snapshot.url}`);
}
writeFileSync(join(outDir, 'PROVENANCE.json'), `${JSON.stringify(provenance(detail.job, files, new Date().toISOString()), null, 2)}\n`);
if (args.includes('--routes')) {
  const manifest = join(ROOT, 'testdata', provider, 'routes.json');
  const routes = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>) : {};
  for (const f of files) routes[f.routeKey] = f.snapshot.status === 200 ? f.file : { file: f.file, status: f.snapshot.status };
  writeFileSync(manifest, `${JSON.stringify(routes, null, 2)}\n`);
  console.log(`added ${files.length} routes to ${relative(ROOT, manifest)}`);
}
console.log(`provenance: ${relative(ROOT, join(outDir, 'PROVENANCE.json'))}`);
