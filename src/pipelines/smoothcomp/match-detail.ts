/**
 * `<prefix>.match_detail`: one match from `getBracketMatchData/{match_id}` (no event in the path): both sides'
 * athlete, club, country, result, score, penalties, advantages and the win method. The event's host may be given (a
 * subdomain shares the id space); the base host answers too (the real capture came from smoothcomp.com).
 */
import { z } from 'zod';
import { definePipeline, type FetchedResource } from '../../core/pipeline';
import { matchDetailSchema, parseMatchDetail, type MatchDetail } from './match-detail-parse';
import { XHR_GET_HEADERS } from './provider';
import { jsonBody, requireResource } from './shared/block';
import { hostSchema, numericId, resolveHost, siteUrl, type SiteVariant } from './shared/site';

export const matchDetailOutput = matchDetailSchema.extend({ host: z.string() });
export type MatchDetailOutput = z.infer<typeof matchDetailOutput>;

export const matchDetailPath = (matchId: string) => `/getBracketMatchData/${matchId}`;

/** Reads a fetched match body (shared with event_brackets, which asks for it where bracket.json is silent). */
export function readMatchDetail(res: FetchedResource): MatchDetail {
  return parseMatchDetail(res.resourceKey, jsonBody(res));
}

export function makeMatchDetail(site: SiteVariant) {
  const params = z.object({ match_id: numericId, host: hostSchema(site).optional() });
  type Params = z.infer<typeof params>;
  return definePipeline<Params, MatchDetail, MatchDetailOutput>({
    name: `${site.prefix}.match_detail`,
    provider: site.provider,
    description: 'One match: each side with athlete, club, country, result, score, penalties, advantages; the win method.',
    paramsSchema: params,
    scopeParams: ['match_id'],
    parserVersion: 'smoothcomp.match_detail.parse/1',
    normalizerVersion: 'smoothcomp.match_detail.norm/1',
    outputSchema: matchDetailOutput,
    drift: false,
    plan(p, fetched) {
      if (fetched.length > 0) return [];
      const mid = String(p.match_id);
      return [
        {
          resourceType: 'match_detail',
          resourceKey: mid,
          url: siteUrl(resolveHost(site, p.host), matchDetailPath(mid)),
          headers: XHR_GET_HEADERS,
        },
      ];
    },
    parse: (_p, fetched) => readMatchDetail(requireResource(fetched, 'match_detail')),
    normalize: (p, d) => ({ ...d, host: resolveHost(site, p.host) }),
    entities: (out) => [[`match:${out.match_id}`, out] as const],
  });
}
