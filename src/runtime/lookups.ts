/**
 * Publication lookups for downstream, shared by the HTTP API and the RPC entrypoint. Scope filters are the
 * pipeline's own scope params; the scope key is derived exactly as jobs derive it, so a filter set names one scope.
 */
import { NonRetryableError } from '../core/errors';
import type { BlobStore, JobStore } from '../core/ports';
import { deriveScopeKey } from '../core/scope-key';
import type { Publication } from '../core/types';
import { getPipeline } from '../pipelines/registry';

export class LookupError extends NonRetryableError {}

/** Resolves filters to a scope key; `undefined` means "no filters: the pipeline's latest of any scope". */
export function resolveScope(pipelineName: string, filters: Record<string, string>): string | undefined {
  const pipeline = getPipeline(pipelineName);
  if (!pipeline) throw new LookupError('UNKNOWN_PIPELINE', 'validation', `pipeline "${pipelineName}" is not registered`);
  const names = Object.keys(filters);
  const unknown = names.filter((n) => !pipeline.scopeParams.includes(n));
  if (unknown.length) {
    throw new LookupError('UNKNOWN_SCOPE_FILTER', 'validation', `${pipelineName} has no scope param ${unknown.join(', ')}; scope params: ${pipeline.scopeParams.join(', ') || '(none)'}`, {
      details: { unknown, scope_params: pipeline.scopeParams },
    });
  }
  if (names.length === 0) return pipeline.scopeParams.length === 0 ? 'all' : undefined;
  return deriveScopeKey(pipeline.scopeParams, filters);
}

/**
 * Envelopes are immutable (content-addressed by envelope_hash), so an isolate keeps the most recently read ones in
 * memory: repeated lookups of a scope's latest publication cost one database query and no R2 read.
 */
const ENVELOPE_CACHE_CHARS = 16 * 1024 * 1024;
const envelopeCache = new Map<string, string>();
let cachedChars = 0;

function remember(key: string, text: string): void {
  if (text.length > ENVELOPE_CACHE_CHARS / 4) return;
  envelopeCache.set(key, text);
  cachedChars += text.length;
  for (const [k, v] of envelopeCache) {
    if (cachedChars <= ENVELOPE_CACHE_CHARS) break;
    envelopeCache.delete(k);
    cachedChars -= v.length;
  }
}

/** The envelope's JSON text, as stored. */
export async function loadEnvelopeText(blobs: BlobStore, pub: Publication): Promise<string> {
  const cached = envelopeCache.get(pub.envelopeKey);
  if (cached !== undefined) {
    envelopeCache.delete(pub.envelopeKey); // refresh its place in the LRU order
    envelopeCache.set(pub.envelopeKey, cached);
    return cached;
  }
  const text = await blobs.getText(pub.envelopeKey);
  if (text === null) throw new NonRetryableError('ENVELOPE_MISSING', 'storage', `envelope of publication ${pub.id} is missing from R2`);
  remember(pub.envelopeKey, text);
  return text;
}

export async function loadEnvelope(blobs: BlobStore, pub: Publication): Promise<Record<string, unknown>> {
  return JSON.parse(await loadEnvelopeText(blobs, pub)) as Record<string, unknown>;
}

/** The latest effective publication of the scope named by the filters (or of the pipeline without filters). */
export async function latestPublication(store: JobStore, pipeline: string, filters: Record<string, string>): Promise<Publication | null> {
  return store.latestPublication(pipeline, resolveScope(pipeline, filters));
}

export async function latestPublicationEnvelope(
  store: JobStore,
  blobs: BlobStore,
  pipeline: string,
  filters: Record<string, string>,
): Promise<{ publication: Publication; envelope: Record<string, unknown> } | null> {
  const pub = await latestPublication(store, pipeline, filters);
  return pub ? { publication: pub, envelope: await loadEnvelope(blobs, pub) } : null;
}
