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

export async function loadEnvelope(blobs: BlobStore, pub: Publication): Promise<Record<string, unknown>> {
  const text = await blobs.getText(pub.envelopeKey);
  if (text === null) throw new NonRetryableError('ENVELOPE_MISSING', 'storage', `envelope of publication ${pub.id} is missing from R2`);
  return JSON.parse(text) as Record<string, unknown>;
}

export async function latestPublicationEnvelope(
  store: JobStore,
  blobs: BlobStore,
  pipeline: string,
  filters: Record<string, string>,
): Promise<{ publication: Publication; envelope: Record<string, unknown> } | null> {
  const scopeKey = resolveScope(pipeline, filters);
  const pub = await store.latestPublication(pipeline, scopeKey);
  return pub ? { publication: pub, envelope: await loadEnvelope(blobs, pub) } : null;
}
