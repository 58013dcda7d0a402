/**
 * Publication lookups for downstream, shared by the HTTP API and the RPC entrypoint. Scope filters are the
 * pipeline's own scope params; the scope key is derived exactly as jobs derive it, so a filter set names one scope.
 */
import { NonRetryableError } from '../core/errors';
import type { BlobStore, Store } from '../core/ports';
import { deriveScopeKey } from '../core/scope-key';
import type { Publication } from '../core/types';
import type { AnyPipeline } from '../core/pipeline';
import { getPipeline } from '../pipelines/registry';

/**
 * UNKNOWN_PIPELINE, the one place that error is made (API, console, RPC and a job whose pipeline was removed).
 * `status` and `details` let an edge keep its own answer (404 for a schema path segment, 400 naming a body field).
 */
export function unknownPipeline(name: string, opts: { status?: 400 | 404; details?: unknown } = {}): NonRetryableError {
  return new NonRetryableError('UNKNOWN_PIPELINE', 'validation', `pipeline "${name}" is not registered`, opts);
}

/** The registered pipeline of that name, or UNKNOWN_PIPELINE (see unknownPipeline). */
export function requirePipeline(name: string, opts: { status?: 400 | 404; details?: unknown } = {}): AnyPipeline {
  const pipeline = getPipeline(name);
  if (!pipeline) throw unknownPipeline(name, opts);
  return pipeline;
}

/**
 * Resolves scope filters to one scope key, validated and canonicalized by the pipeline's own params schema (the
 * same bounds and case rules as enqueue). No filters names the global scope (every scope param absent), which only
 * pipelines whose scope params are all optional have; a filter set missing a required scope param is a 400 naming
 * it. "The pipeline's latest of any scope" is a different, explicit request: `anyScope` (returns `undefined`).
 */
export function resolveScope(pipelineName: string, filters: Record<string, string>, opts: { anyScope?: boolean } = {}): string | undefined {
  const pipeline = requirePipeline(pipelineName);
  const names = Object.keys(filters);
  const scopeParams = pipeline.scopeParams;
  const unknown = names.filter((n) => !scopeParams.includes(n));
  if (unknown.length) {
    throw new NonRetryableError(
      'UNKNOWN_SCOPE_FILTER',
      'validation',
      `${pipelineName} has no scope param ${unknown.join(', ')}; scope params: ${scopeParams.join(', ') || '(none)'}`,
      {
        details: { unknown, scope_params: scopeParams, fields: Object.fromEntries(unknown.map((k) => [k, ['unknown scope param']])) },
      },
    );
  }
  if (opts.anyScope) {
    if (names.length)
      throw new NonRetryableError(
        'SCOPE_CONFLICT',
        'validation',
        "scope=any reads the pipeline's latest of any scope and takes no scope filters",
        { details: { fields: Object.fromEntries(names.map((k) => [k, ['not allowed with scope=any']])) } },
      );
    return undefined;
  }
  const parsed = pipeline.paramsSchema.safeParse(filters);
  const invalid: Record<string, string[]> = {};
  const missing: string[] = [];
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!scopeParams.includes(field)) continue; // a required non-scope param (a depth, a page cap) is not a lookup's concern
    if (field in filters) (invalid[field] ??= []).push(issue.message);
    else if (!missing.includes(field)) missing.push(field);
  }
  if (Object.keys(invalid).length) {
    throw new NonRetryableError('INVALID_SCOPE_FILTER', 'validation', `invalid scope filter ${Object.keys(invalid).join(', ')}`, {
      details: { fields: invalid },
    });
  }
  if (missing.length) {
    const code = names.length ? 'MISSING_SCOPE_PARAMS' : 'SCOPE_REQUIRED';
    const hint = names.length ? '' : "; to read the pipeline's latest publication of any scope, pass scope=any";
    throw new NonRetryableError(code, 'validation', `${pipelineName} needs scope param ${missing.join(', ')} to name one scope${hint}`, {
      details: { missing, scope_params: scopeParams, fields: Object.fromEntries(missing.map((k) => [k, ['required scope param']])) },
    });
  }
  // Parsed, the filters name the scope as enqueue derived it: schema defaults (a `plan`) and canonical forms included.
  if (parsed.success) return deriveScopeKey(scopeParams, parsed.data as Record<string, unknown>);
  return deriveScopeKey(scopeParams, Object.fromEntries(names.map((n) => [n, filters[n]])));
}

/**
 * Envelopes are immutable (written once under envelopes/<publication_id>, see blob-keys.ts), so an isolate keeps
 * the most recently read ones in memory: repeated lookups of a scope's latest publication cost one database query and no R2 read.
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

/** The latest effective publication of the scope named by the filters (or of any scope with `anyScope`). */
export async function latestPublication(
  store: Store,
  pipeline: string,
  filters: Record<string, string>,
  opts: { anyScope?: boolean } = {},
): Promise<Publication | null> {
  return store.latestPublication(pipeline, resolveScope(pipeline, filters, opts));
}

export async function latestPublicationEnvelope(
  store: Store,
  blobs: BlobStore,
  pipeline: string,
  filters: Record<string, string>,
  opts: { anyScope?: boolean } = {},
): Promise<{ publication: Publication; envelope: Record<string, unknown> } | null> {
  const pub = await latestPublication(store, pipeline, filters, opts);
  return pub ? { publication: pub, envelope: await loadEnvelope(blobs, pub) } : null;
}
