/**
 * Where snapshot files live in the FILES bucket. Like the seed's STATIC_DATASET_{INCOMING,ARCHIVE,FAILED}_DIR, the
 * three prefixes are configurable: the incoming prefix is the file trigger's (FILE_PREFIX_SNAPSHOTS_IMPORT, default
 * `incoming/`), and archive/failed are its siblings unless a job's params name them (`hoopscout/incoming/` gives
 * `hoopscout/archive/` and `hoopscout/failed/`). Deriving them keeps a notification-made job (which knows only the
 * object and the prefix) and an API-made one in agreement without reading configuration in a pure pipeline.
 */
import type { FileObject } from '../../core/source';

export const DEFAULT_INCOMING_PREFIX = 'incoming/';

export type FileParams = {
  key: string;
  incoming_prefix: string;
  archive_prefix: string;
  failed_prefix: string;
  /** The object's eTag when the trigger knew it: part of the archived name, so two different files never collide. */
  etag?: string;
};

export function siblingPrefix(incoming: string, name: 'archive' | 'failed'): string {
  const trimmed = incoming.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return `${cut < 0 ? '' : trimmed.slice(0, cut + 1)}${name}/`;
}

/** Snapshot files end in `.json`; sidecars (`.problems.json`) and anything else under the prefix are not files to import. */
export function isSnapshotKey(key: string): boolean {
  return key.endsWith('.json') && !key.endsWith('.problems.json') && !key.endsWith('/');
}

export function fileParams(
  object: FileObject,
  incomingPrefix: string,
  overrides: { archive?: string; failed?: string } = {},
): FileParams | null {
  if (!object.key.startsWith(incomingPrefix) || !isSnapshotKey(object.key)) return null;
  const etag = object.eTag?.replace(/"/g, '').slice(0, 32);
  return {
    key: object.key,
    incoming_prefix: incomingPrefix,
    archive_prefix: overrides.archive ?? siblingPrefix(incomingPrefix, 'archive'),
    failed_prefix: overrides.failed ?? siblingPrefix(incomingPrefix, 'failed'),
    ...(etag ? { etag } : {}),
  };
}

/**
 * The key a file settles at: same relative path under archive/ or failed/, with the eTag's first 12 characters
 * before `.json`. The same bytes dropped twice land on the same key (a no-op copy); different bytes under one name
 * never overwrite an archived file.
 */
export function settledKey(p: FileParams, to: 'archive' | 'failed'): string {
  const rel = p.key.startsWith(p.incoming_prefix) ? p.key.slice(p.incoming_prefix.length) : p.key;
  const base = rel.replace(/\.json$/, '');
  const tag = p.etag ? `.${p.etag.slice(0, 12)}` : '';
  return `${to === 'archive' ? p.archive_prefix : p.failed_prefix}${base}${tag}.json`;
}

export function sidecarKey(failedKey: string): string {
  return failedKey.replace(/\.json$/, '.problems.json');
}
