/**
 * Typed RPC for Workers downstream (a service binding with `entrypoint = "AdapterRpc"`): the same lookups as the
 * HTTP API, without HTTP. Errors are returned as values so the caller sees codes, not opaque exceptions.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import { AdapterError, type WireError, type WireResult } from '../core/errors';
import { latestPublicationEnvelope, loadEnvelope, resolveScope } from '../runtime/lookups';
import { blobsOf, closeStore, makeStore, type ClosableStore } from '../wiring/env-ports';
import { MAX_LIMIT } from './http/query';
import { jobJson, publicationJson } from './http/serialize';

/** The wire result shape, exposing code and message only to downstream Workers. */
export type RpcResult<T> = WireResult<T, Pick<WireError, 'code' | 'message'>>;

async function wrap<T>(f: () => Promise<T | null>, notFound: string): Promise<RpcResult<T>> {
  try {
    const value = await f();
    return value === null ? { ok: false, error: { code: notFound, message: 'not found' } } : { ok: true, value };
  } catch (err) {
    if (err instanceof AdapterError) return { ok: false, error: { code: err.code, message: err.message } };
    return { ok: false, error: { code: 'INTERNAL_ERROR', message: String((err as Error)?.message ?? err) } };
  }
}

export class AdapterRpc extends WorkerEntrypoint<Env> {
  /** One store per call; a Postgres store's sockets are closed when the call is done. */
  private async withStore<T>(f: (store: ClosableStore) => Promise<T>): Promise<T> {
    const store = makeStore(this.env);
    try {
      return await f(store);
    } finally {
      closeStore(store, (p) => this.ctx.waitUntil(p));
    }
  }

  /** `anyScope`: the pipeline's latest of any scope; otherwise the filters name one scope (none: the global scope). */
  latestPublication(pipeline: string, filters: Record<string, string> = {}, opts: { anyScope?: boolean } = {}) {
    return wrap(
      () =>
        this.withStore(
          async (store) => (await latestPublicationEnvelope(store, blobsOf(this.env), pipeline, filters, opts))?.envelope ?? null,
        ),
      'PUBLICATION_NOT_FOUND',
    );
  }

  publication(id: string) {
    return wrap(
      () =>
        this.withStore(async (store) => {
          const pub = await store.getPublication(id);
          return pub ? loadEnvelope(blobsOf(this.env), pub) : null;
        }),
      'PUBLICATION_NOT_FOUND',
    );
  }

  publicationHistory(pipeline: string, filters: Record<string, string>, beforeSequence: number | null = null, limit = 20) {
    return wrap(
      () =>
        this.withStore(async (store) => {
          const scopeKey = resolveScope(pipeline, filters);
          if (scopeKey === undefined) throw new AdapterError('SCOPE_REQUIRED', 'validation', 'history needs the filters of one scope');
          const pubs = await store.listPublications(pipeline, scopeKey, beforeSequence, Math.min(MAX_LIMIT, Math.max(1, limit)));
          return pubs.map(publicationJson);
        }),
      'PUBLICATION_NOT_FOUND',
    );
  }

  jobStatus(id: string) {
    return wrap(
      () =>
        this.withStore(async (store) => {
          const job = await store.getJob(id);
          return job ? jobJson(job) : null;
        }),
      'JOB_NOT_FOUND',
    );
  }
}
