/** Test-only helpers: build FetchedResources from raw-imported fixtures and run a pipeline end to end. */
import type { AnyPipeline, FetchedResource, ResourceRequest } from '../../core/pipeline';

export function fx(
  resourceType: string,
  resourceKey: string,
  url: string,
  body: string,
  status = 200,
  contentType: string | null = null,
): FetchedResource {
  return {
    resourceType,
    resourceKey,
    url,
    status,
    contentType: contentType ?? (/^\s*[{[]/.test(body) ? 'application/json' : 'text/html'),
    body,
    bytes: new TextEncoder().encode(body),
    sha256: '',
  };
}

/** Answers a request from a map of URL → body (or [status, body]). */
export function fromRequest(req: ResourceRequest, pages: Record<string, string | [number, string]>): FetchedResource {
  const page = pages[req.url];
  if (page === undefined) throw new Error(`no fixture for ${req.url}`);
  const [status, body] = typeof page === 'string' ? [200, page] : page;
  return fx(req.resourceType, req.resourceKey, req.url, body, status);
}

/** Replays plan rounds against `pages` the way the runtime would; returns every request and the fetched set. */
export function replay(p: AnyPipeline, params: unknown, pages: Record<string, string | [number, string]>) {
  const fetched: FetchedResource[] = [];
  const rounds: ResourceRequest[][] = [];
  for (let i = 0; i < (p.maxRounds ?? 10); i++) {
    const reqs = p.plan(params, fetched);
    if (reqs.length === 0) break;
    rounds.push(reqs);
    for (const r of reqs) fetched.push(fromRequest(r, pages));
  }
  return { rounds, fetched };
}

export function run<N = any>(p: AnyPipeline, params: unknown, fetched: readonly FetchedResource[]): N {
  const parsedParams = p.paramsSchema.parse(params);
  return p.outputSchema.parse(p.normalize(parsedParams, p.parse(parsedParams, fetched))) as N;
}

export function entityKeys(p: AnyPipeline, out: unknown): string[] {
  return [...p.entities(out)].map(([k]) => k);
}
