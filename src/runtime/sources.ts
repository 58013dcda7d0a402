/**
 * The source port: what sits between the fetch rounds and a transport. A request names its source (`http` when
 * absent) and a locator; the fetch loop asks the named source for the bytes and records them the same way for
 * every source (raw/<sha256>, one raw_snapshots row). `http` is the provider client (rate limiter, block
 * detection, sessions, UPSTREAM_OVERRIDE); `r2` reads objects of the FILES bucket and needs no provider profile.
 */
import { lazyText } from '../core/body-text';
import { NonRetryableError } from '../core/errors';
import type { ResourceRequest } from '../core/pipeline';
import type { BlobStore } from '../core/ports';
import type { ProviderProfile } from '../core/provider';
import { R2_LOCATOR_PREFIX, type SourceName } from '../core/source';
import type { ProviderClient, ProviderResponse } from './provider-client';

export interface ResourceSource {
  /** Reads one resource. `profile` is the pipeline's provider profile, null when none is registered. */
  fetch(req: ResourceRequest, profile: ProviderProfile | null): Promise<ProviderResponse>;
}

export type Sources = Partial<Record<SourceName, ResourceSource>>;

/** The HTTP source: today's provider transport. A pipeline that reaches it needs a registered provider profile. */
export function httpSource(client: Pick<ProviderClient, 'fetch'>, providerName = 'unknown'): ResourceSource {
  return {
    fetch(req, profile) {
      if (!profile)
        throw new NonRetryableError('UNKNOWN_PROVIDER', 'internal', `provider ${providerName} is not registered (needed for ${req.url})`);
      return client.fetch(profile, req);
    },
  };
}

/** Content types by file extension, for objects stored without one (an upload tool that sets none). */
const TYPES: Array<[RegExp, string]> = [
  [/\.(json|jsonl|ndjson)$/i, 'application/json'],
  [/\.csv$/i, 'text/csv'],
  [/\.gz$/i, 'application/gzip'],
  [/\.bz2$/i, 'application/x-bzip2'],
  [/\.(txt|log)$/i, 'text/plain'],
];

export function contentTypeOfKey(key: string): string | null {
  return TYPES.find(([re]) => re.test(key))?.[1] ?? null;
}

/**
 * The R2 source: `req.url` is the object key in the FILES bucket. A missing object is FILE_NOT_FOUND
 * (non-retryable), or a 404 handed to parse when the request is optional.
 */
export function r2Source(files: BlobStore): ResourceSource {
  return {
    async fetch(req) {
      const key = req.url;
      const locator = `${R2_LOCATOR_PREFIX}${key}`;
      const obj = files.getObject ? await files.getObject(key) : await bytesOnly(files, key);
      if (!obj) {
        if (req.optional) return { url: locator, status: 404, contentType: null, bytes: new Uint8Array(), body: '' };
        throw new NonRetryableError('FILE_NOT_FOUND', 'validation', `object ${key} is not in the FILES bucket`, { details: { key } });
      }
      const contentType = obj.contentType ?? contentTypeOfKey(key);
      const text = lazyText(obj.bytes, contentType);
      return {
        url: locator,
        status: 200,
        contentType,
        bytes: obj.bytes,
        get body() {
          return text();
        },
      };
    },
  };
}

async function bytesOnly(files: BlobStore, key: string): Promise<{ bytes: Uint8Array; contentType: string | null } | null> {
  const bytes = await files.getBytes(key);
  return bytes ? { bytes, contentType: null } : null;
}

/** What `raw_snapshots.url` records for a request: the URL itself, or `r2:<key>`. */
export function locatorOf(req: Pick<ResourceRequest, 'source' | 'url'>): string {
  return req.source === 'r2' ? `${R2_LOCATOR_PREFIX}${req.url}` : req.url;
}

/** The source that reads `req`: an injected one (tests, benchmarks), else the default for its name. */
export function sourceFor(
  deps: { sources?: Sources; client?: Pick<ProviderClient, 'fetch'>; files?: BlobStore },
  req: ResourceRequest,
  providerName: string,
): ResourceSource {
  const name: SourceName = req.source ?? 'http';
  const injected = deps.sources?.[name];
  if (injected) return injected;
  if (name === 'http' && deps.client) return httpSource(deps.client, providerName);
  if (name === 'r2' && deps.files) return r2Source(deps.files);
  throw new NonRetryableError('SOURCE_UNAVAILABLE', 'internal', `no ${name} source is wired in this deployment`);
}
