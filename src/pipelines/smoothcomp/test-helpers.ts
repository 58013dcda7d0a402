/** Test-only helpers: build FetchedResources from raw-imported fixtures and run a pipeline end to end. */
import type { AnyPipeline, FetchedResource } from '../../core/pipeline';
import { replayPages } from '../../tools/fixture-fetch';
import { AJPTOUR_PROVIDER, SMOOTHCOMP_PROVIDER } from './provider';

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

/**
 * Replays plan rounds against `pages` through the runtime's own fetch loop (src/tools/fixture-fetch.ts: round limit,
 * repeated requests skipped, statuses and blocks classified by the transport under the pipeline's provider profile).
 */
export function replay(p: AnyPipeline, params: unknown, pages: Record<string, string | [number, string]>) {
  const profile = [SMOOTHCOMP_PROVIDER, AJPTOUR_PROVIDER].find((x) => x.name === p.provider);
  if (!profile) throw new Error(`replay: ${p.name} is not a Smoothcomp-family pipeline`);
  return replayPages(p, profile, params, pages);
}

export function run<N = any>(p: AnyPipeline, params: unknown, fetched: readonly FetchedResource[]): N {
  const parsedParams = p.paramsSchema.parse(params);
  return p.outputSchema.parse(p.normalize(parsedParams, p.parse(parsedParams, fetched))) as N;
}

export function entityKeys(p: AnyPipeline, out: unknown): string[] {
  return [...p.entities(out)].map(([k]) => k);
}
