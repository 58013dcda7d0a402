/**
 * `snapshots.import {key}`: one dropped snapshot file (seed 002 `import_snapshots`, per file). Triggered by the
 * FILES object-created notification, the cron/on-demand scan of `incoming/`, or the upload route. It reads the
 * file's bytes (sha256 by the runtime), validates strictly and publishes the file's receipt: source, date, sha256
 * and the (competition, season) groups it holds. The players themselves are published per group by
 * `snapshots.season` follow-up jobs, whose scope is (source, competition, season): see README "Snapshot import".
 * Settle moves the file to archive/ (imported or duplicate) or failed/ with a `.problems.json` sidecar.
 */
import { z } from 'zod';
import { definePipeline } from '../../core/pipeline';
import type { SettleAction } from '../../core/source';
import { DEFAULT_INCOMING_PREFIX, fileParams, settledKey, sidecarKey, type FileParams } from './prefixes';
import { readSnapshot, SNAPSHOT_RESOURCE, type ReadSnapshot } from './read-file';
import { formatProblem, type Problem } from './validate';

export const IMPORT_PIPELINE = 'snapshots.import';
export const SEASON_PIPELINE = 'snapshots.season';

const prefix = z.string().min(1).max(200).regex(/\/$/, 'a prefix ends with /');
const params = z.strictObject({
  key: z.string().min(1).max(1024),
  incoming_prefix: prefix.default(DEFAULT_INCOMING_PREFIX),
  archive_prefix: prefix.default('archive/'),
  failed_prefix: prefix.default('failed/'),
  etag: z.string().max(64).optional(),
});

const groupSchema = z.object({ competition_external_id: z.string(), season: z.string(), record_count: z.number().int() });
export const importOutput = z.object({
  key: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  source_name: z.string(),
  snapshot_date: z.string(),
  record_count: z.number().int(),
  groups: z.array(groupSchema),
  archive_key: z.string(),
});
export type ImportOutput = z.infer<typeof importOutput>;

export function groupsOf(doc: ReadSnapshot['doc']): Array<z.infer<typeof groupSchema>> {
  const counts = new Map<string, { competition_external_id: string; season: string; record_count: number }>();
  for (const r of doc.records) {
    const k = `${r.competition_external_id}\u0000${r.season}`;
    const g = counts.get(k) ?? { competition_external_id: r.competition_external_id, season: r.season, record_count: 0 };
    g.record_count++;
    counts.set(k, g);
  }
  return [...counts.values()].sort((a, b) => (a.competition_external_id + a.season < b.competition_external_id + b.season ? -1 : 1));
}

export const importFilePipeline = definePipeline<FileParams, ReadSnapshot, ImportOutput>({
  name: IMPORT_PIPELINE,
  provider: 'snapshots',
  description:
    'One strict JSON snapshot file from the FILES bucket (incoming/): validated, its receipt published, its players ' +
    'published per (source, competition, season) by snapshots.season; archived or failed with a sidecar.',
  paramsSchema: params as unknown as z.ZodType<FileParams>,
  scopeParams: ['key'],
  parserVersion: 'snapshots.import.parse/1',
  normalizerVersion: 'snapshots.import.norm/1',
  outputSchema: importOutput,
  drift: false,
  plan(p, fetched) {
    if (fetched.length > 0) return [];
    return [{ source: 'r2', resourceType: SNAPSHOT_RESOURCE, resourceKey: p.key, url: p.key, optional: true }];
  },
  // The file's bytes were imported before under another key (same bytes, same key meet on one job already).
  contentSha(_p, fetched) {
    const f = fetched[0];
    return f && f.status < 300 && f.bytes.byteLength > 0 ? f.sha256 : null;
  },
  parse(_p, fetched) {
    return readSnapshot(fetched[0]!);
  },
  normalize(p, read) {
    return {
      key: p.key,
      sha256: read.sha256,
      bytes: read.bytes,
      source_name: read.doc.source_name,
      snapshot_date: read.doc.snapshot_date,
      record_count: read.doc.records.length,
      groups: groupsOf(read.doc),
      archive_key: settledKey(p, 'archive'),
    };
  },
  entities(n) {
    return n.groups.map((g) => [`group:${g.competition_external_id}/${g.season}`, g] as const);
  },
  followUps(p, n) {
    return n.groups.map((g) => ({
      pipeline: SEASON_PIPELINE,
      params: {
        source_name: n.source_name,
        competition: g.competition_external_id,
        season: g.season,
        snapshot_date: n.snapshot_date,
        sha256: n.sha256,
        key: p.key,
        archive_key: n.archive_key,
      },
    }));
  },
  acceptance(_p, read) {
    // Strict files: a file with any problem fails as a whole (parse throws), so an accepted file rejected nothing.
    return { seen: read.doc.records.length, rejected: [] };
  },
  acceptancePolicy: { maxRejectedRatio: 0 },
  fileTrigger: {
    prefix: DEFAULT_INCOMING_PREFIX,
    params: (object, incoming) => fileParams(object, incoming),
  },
  settle(p, outcome) {
    if (outcome.state === 'succeeded') return [{ kind: 'move', from: p.key, to: settledKey(p, 'archive') }];
    const failedKey = settledKey(p, 'failed');
    const actions: SettleAction[] = [
      { kind: 'move', from: p.key, to: failedKey },
      {
        kind: 'put',
        key: sidecarKey(failedKey),
        body: JSON.stringify(sidecar(p, failedKey, outcome), null, 2),
        contentType: 'application/json',
      },
    ];
    return actions;
  },
});

/** The failed/ sidecar: every problem by JSON pointer, plus the job's error when the file failed for another reason. */
export function sidecar(p: FileParams, failedKey: string, outcome: Parameters<NonNullable<typeof importFilePipeline.settle>>[1]) {
  const details = (outcome.error?.details ?? null) as { problems?: Problem[]; sha256?: string; bytes?: number } | null;
  const problems = Array.isArray(details?.problems) ? details.problems : [];
  return {
    file: p.key,
    failed_key: failedKey,
    state: outcome.state,
    error_code: outcome.error?.code ?? (outcome.state === 'cancelled' ? 'CANCELLED' : null),
    error_message: outcome.error?.message ?? null,
    sha256: details?.sha256 ?? null,
    bytes: details?.bytes ?? null,
    problem_count: problems.length,
    problems: problems.map((x) => ({ ...x, text: formatProblem(x) })),
  };
}
