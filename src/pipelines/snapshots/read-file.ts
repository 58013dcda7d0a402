/** The fetched snapshot file to a validated document, or the job's validation error listing every problem. */
import { NonRetryableError, RetryableError } from '../../core/errors';
import type { FetchedResource } from '../../core/pipeline';
import type { SnapshotDoc } from './schema';
import { formatProblem, validateSnapshotBytes, type Problem } from './validate';

export const SNAPSHOT_RESOURCE = 'snapshot_file';

export interface ReadSnapshot {
  doc: SnapshotDoc;
  sha256: string;
  bytes: number;
  key: string;
}

/** Error details of a refused file: what settle writes into the failed/ sidecar. */
export interface InvalidFileDetails {
  key: string;
  sha256: string;
  bytes: number;
  problems: Problem[];
}

export function invalidFileError(key: string, res: FetchedResource, problems: Problem[]): NonRetryableError {
  const head = problems.slice(0, 5).map(formatProblem).join('; ');
  const more = problems.length > 5 ? ` (+${problems.length - 5} more)` : '';
  const details: InvalidFileDetails = { key, sha256: res.sha256, bytes: res.bytes.byteLength, problems };
  return new NonRetryableError('SNAPSHOT_INVALID', 'validation', `snapshot ${key} failed strict validation: ${head}${more}`, { details });
}

export function readSnapshot(res: FetchedResource, maxBytes?: number): ReadSnapshot {
  if (res.status === 404 || res.status === 410) {
    // Moved or deleted before the job read it (an operator, or a settle that already ran): nothing to import.
    throw new NonRetryableError('SNAPSHOT_FILE_MISSING', 'validation', `snapshot ${res.resourceKey} is not in the bucket`);
  }
  if (res.status >= 400)
    throw new RetryableError('SNAPSHOT_FILE_UNREADABLE', 'storage', `reading ${res.resourceKey} answered ${res.status}`);
  const v = validateSnapshotBytes(res.bytes, { maxBytes });
  if (!v.ok) throw invalidFileError(res.resourceKey, res, v.problems);
  return { doc: v.doc, sha256: res.sha256, bytes: res.bytes.byteLength, key: res.resourceKey };
}

/**
 * The bytes of a file the import job already validated, identified by their sha256 (the season job checks it
 * before calling this): validation is a pure function of the bytes, so checking them again could only repeat
 * the same verdict. Parsed without the strict walk, which is most of an import's CPU (see the bench's import section).
 */
export function readValidatedSnapshot(res: FetchedResource): ReadSnapshot {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(res.bytes);
  return { doc: JSON.parse(text) as SnapshotDoc, sha256: res.sha256, bytes: res.bytes.byteLength, key: res.resourceKey };
}
