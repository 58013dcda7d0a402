/**
 * The extractor framework of seed 002: fetch (the provider transport: user agent, timeout, shared rate limit,
 * UPSTREAM_OVERRIDE; plus a bounded retry here), parse, normalize to the snapshot schema, then emit the file under
 * `incoming/` (or a given prefix) where the import trigger picks it up. Dry run does all of it but the write.
 * The emitted bytes must pass the importer's own validation (validate.ts): an extractor cannot write a file the
 * importer would refuse. Pure apart from the two injected ports, so it runs in the Worker and in tests alike.
 */
import type { z } from 'zod';
import { sha256Hex } from '../../../core/canonical-json';
import { AdapterError } from '../../../core/errors';
import type { ResourceRequest } from '../../../core/pipeline';
import type { SnapshotDoc } from '../schema';
import { formatProblem, validateSnapshotBytes } from '../validate';

export interface FetchedPage {
  url: string;
  status: number;
  contentType: string | null;
  body: string;
  bytes: Uint8Array;
}

export interface Extractor<P = Record<string, unknown>> {
  name: string;
  /** Provider profile whose transport settings and rate limit the requests use. */
  provider: string;
  description: string;
  paramsSchema: z.ZodType<P>;
  requests(params: P): ResourceRequest[];
  /** Pure: fetched pages to a snapshot document. `now` dates the snapshot when the source does not. */
  extract(params: P, pages: readonly FetchedPage[], ctx: { now: number }): SnapshotDoc;
  /** File name under the output prefix, e.g. `basketball_reference/NBA/2018-2019/2026-03-13.json`. */
  fileName(params: P, doc: SnapshotDoc): string;
}

export interface ExtractorPorts {
  fetch(req: ResourceRequest, provider: string): Promise<FetchedPage>;
  /** Writes the file into the FILES bucket; absent in a dry run. */
  put?(key: string, bytes: Uint8Array): Promise<void>;
  sleep?(ms: number): Promise<void>;
}

export interface ExtractorOptions {
  dryRun: boolean;
  outputPrefix: string;
  now: number;
  /** EXTRACTOR_HTTP_RETRIES and EXTRACTOR_RETRY_SLEEP_SECONDS of the seed. */
  retries: number;
  retrySleepMs: number;
}

export interface ExtractorReport {
  extractor: string;
  dry_run: boolean;
  key: string;
  bytes: number;
  sha256: string;
  source_name: string;
  snapshot_date: string;
  record_count: number;
  valid: boolean;
  problems: string[];
  written: boolean;
  requests: number;
}

export async function runExtractor<P>(
  ports: ExtractorPorts,
  ex: Extractor<P>,
  params: P,
  opts: ExtractorOptions,
): Promise<ExtractorReport> {
  const pages: FetchedPage[] = [];
  let requests = 0;
  for (const req of ex.requests(params)) {
    for (let attempt = 0; ; attempt++) {
      requests++;
      try {
        pages.push(await ports.fetch(req, ex.provider));
        break;
      } catch (err) {
        // Conservative: only what the transport calls retryable, a few times, waiting longer each time.
        if (!(err instanceof AdapterError) || !err.retryable || attempt >= opts.retries) throw err;
        const wait = Math.max(opts.retrySleepMs * (attempt + 1), Math.min(60, err.retryAfterSec ?? 0) * 1000);
        await (ports.sleep ?? ((ms) => new Promise((ok) => setTimeout(ok, ms))))(wait);
      }
    }
  }
  const doc = ex.extract(params, pages, { now: opts.now });
  const bytes = new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);
  const checked = validateSnapshotBytes(bytes);
  const key = `${opts.outputPrefix}${ex.fileName(params, doc)}`;
  const report: ExtractorReport = {
    extractor: ex.name,
    dry_run: opts.dryRun,
    key,
    bytes: bytes.byteLength,
    sha256: await sha256Hex(bytes),
    source_name: doc.source_name,
    snapshot_date: doc.snapshot_date,
    record_count: doc.records.length,
    valid: checked.ok,
    problems: checked.ok ? [] : checked.problems.map(formatProblem),
    written: false,
    requests,
  };
  if (checked.ok && !opts.dryRun && ports.put) {
    await ports.put(key, bytes);
    report.written = true;
  }
  return report;
}

/** `2026-03-13` of an epoch-ms instant, UTC. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A path segment from a free-text value: what a file name may safely hold. */
export function segment(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80) || '_';
}
