/**
 * Turning a finished job's raw snapshots into fixtures: file names, fixture-server route keys and the provenance
 * record. Pure, so the `npm run capture` script only does the I/O.
 */
export interface SnapshotInfo {
  attempt_number: number;
  resource_type: string;
  resource_key: string;
  url: string;
  status: number;
  content_type: string | null;
  size_bytes: number;
  sha256: string;
  fetched_at: string;
}

export interface CaptureFile {
  file: string;
  routeKey: string;
  snapshot: SnapshotInfo;
}

const safe = (s: string) =>
  s
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '')
    .replace(/^[_.]+|[_.]+$/g, '')
    .slice(0, 80) || 'x';

function extension(contentType: string | null): string {
  if (!contentType) return 'bin';
  if (/json/i.test(contentType)) return 'json';
  if (/html/i.test(contentType)) return 'html';
  if (/text\/plain/i.test(contentType)) return 'txt';
  if (/csv/i.test(contentType)) return 'csv';
  return 'bin';
}

/** The fixture-server route key of a provider URL: host/path with sorted query parameters. */
export function routeKeyOf(url: string): string {
  const u = new URL(url);
  const q = new URLSearchParams(u.search);
  q.sort();
  const query = q.toString();
  return `${u.host}${u.pathname}${query ? `?${query}` : ''}`;
}

/** The snapshots of the job's last attempt that fetched anything, one file each. */
export function planCapture(snapshots: SnapshotInfo[], dir: string): CaptureFile[] {
  if (snapshots.length === 0) return [];
  const last = Math.max(...snapshots.map((s) => s.attempt_number));
  const used = new Set<string>();
  return snapshots
    .filter((s) => s.attempt_number === last)
    .map((s) => {
      let name = `${safe(s.resource_type)}-${safe(s.resource_key)}.${extension(s.content_type)}`;
      if (used.has(name)) name = `${safe(s.resource_type)}-${safe(s.resource_key)}-${s.sha256.slice(0, 8)}.${extension(s.content_type)}`;
      used.add(name);
      return { file: `${dir}/${name}`, routeKey: routeKeyOf(s.url), snapshot: s };
    });
}

export function provenance(
  job: { id: string; pipeline: string; params: unknown; scope_key: string },
  files: CaptureFile[],
  capturedAt: string,
) {
  return {
    source: 'captured from a production job by `npm run capture`',
    job_id: job.id,
    pipeline: job.pipeline,
    params: job.params,
    scope_key: job.scope_key,
    captured_at: capturedAt,
    files: files.map((f) => ({
      file: f.file.split('/').pop(),
      url: f.snapshot.url,
      status: f.snapshot.status,
      content_type: f.snapshot.content_type,
      fetched_at: f.snapshot.fetched_at,
      sha256: f.snapshot.sha256,
      size_bytes: f.snapshot.size_bytes,
    })),
  };
}
