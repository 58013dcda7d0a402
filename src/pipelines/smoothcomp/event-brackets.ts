/**
 * `<prefix>.event_brackets`: the bracket list (`schedule/brackets.json` [CAP JF, VR]), each bracket's matches
 * (`schedule/new/bracket.json/{bracketId}` [CAP VR]) and placements (`getPlacementTableData` [CODE SUP], optional).
 * Round 3 asks `getRenderData` for brackets that look round-robin (no elimination matches although seeded, or a
 * round-robin label): there the rounds come from `state.rounds` [LIVE JF].
 */
import { z } from 'zod';
import { definePipeline, type FetchedResource, type ResourceRequest } from '../../core/pipeline';
import { parseError } from '../../core/errors';
import {
  matchSchema,
  matchesFromBracketJson,
  matchesFromRenderData,
  placementSchema,
  placementsFrom,
  type Match,
  type Placement,
} from './bracket-matches';
import { applyMatchDetail, needsMatchDetail } from './bracket-match-detail';
import { matchDetailPath, readMatchDetail } from './match-detail';
import type { MatchDetail } from './match-detail-parse';
import { XHR_GET_HEADERS } from './provider';
import { jsonBody, refuseBlocked } from './shared/block';
import { divisionPartsSchema, parseDivisionName } from './shared/division';
import { hostSchema, numericId, resolveHost, siteUrl, type SiteVariant } from './shared/site';
import { byKey, id, int, obj, str } from './shared/values';

const bracketSchema = z.object({
  bracket_id: z.string(),
  group_id: z.string().nullable(),
  bundle_id: z.string().nullable(),
  name: z.string(),
  parts: divisionPartsSchema,
  mats: z.array(z.string()),
  estimated_start: z.string().nullable(),
  registrations_count: z.number().nullable(),
  type: z.enum(['elimination', 'round_robin', 'unknown']),
  matches: z.array(matchSchema),
  placements: z.array(placementSchema),
});
export const eventBracketsOutput = z.object({
  event_id: z.string(),
  host: z.string(),
  published: z.boolean(),
  bracket_count: z.number(),
  match_count: z.number(),
  /** Finished matches whose winner or method bracket.json left unknown: filled from getBracketMatchData, or not. */
  match_detail: z.object({ used: z.number(), unresolved: z.number() }),
  brackets: z.array(bracketSchema),
});
export type EventBracketsOutput = z.infer<typeof eventBracketsOutput>;

interface ListItem {
  bracket_id: string;
  group_id: string | null;
  bundle_id: string | null;
  name: string;
  mats: string[];
  estimated_start: string | null;
  registrations_count: number | null;
}
interface Parsed {
  published: boolean;
  list: ListItem[];
  matches: Map<string, Match[]>;
  render: Map<string, { roundRobin: boolean; matches: Match[] }>;
  placements: Map<string, Placement[]>;
  details: Map<string, MatchDetail>;
}

/** null = not published (403 "Brackets is not published" [CODE SUP]). */
function readList(res: FetchedResource): ListItem[] | null {
  refuseBlocked(res);
  if (res.status === 403 && /not published/i.test(res.body)) return null;
  if (res.status !== 200) throw parseError('SMOOTHCOMP_BRACKETS_STATUS', `brackets.json answered ${res.status}`);
  const data = obj(jsonBody(res));
  if (!data || !Array.isArray(data.brackets)) throw parseError('SMOOTHCOMP_BRACKETS_SHAPE', 'brackets.json has no "brackets" array');
  return data.brackets
    .map((b) => obj(b) ?? {})
    .map((b) => ({
      bracket_id: id(b.bracket_id) ?? '',
      group_id: id(b.id),
      bundle_id: id(b.bracket_bundle_id),
      name: str(b.name) ?? '',
      mats: (str(b.mats) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .sort(),
      estimated_start: str(b.estimated_start),
      registrations_count: int(b.registrations_count),
    }))
    .filter((b) => b.bracket_id !== '');
}

/** The matches normalize will use for a bracket: render data for round robin, else bracket.json. */
function plannedMatches(fetched: readonly FetchedResource[], b: ListItem): Match[] {
  const body = (type: string) => fetched.find((r) => r.resourceType === type && r.resourceKey === b.bracket_id && r.status === 200)?.body;
  try {
    const json = body('bracket_matches');
    const render = body('bracket_render');
    const fromJson = json ? matchesFromBracketJson(JSON.parse(json)) : [];
    const rd = render ? matchesFromRenderData(JSON.parse(render)) : null;
    return rd && rd.matches.length > 0 && (rd.roundRobin || fromJson.length === 0) ? rd.matches : fromJson;
  } catch {
    return []; // parse reports it
  }
}

const looksRoundRobin = (matches: Match[], regs: number | null) =>
  (matches.length === 0 && (regs ?? 0) >= 2) || matches.some((m) => /round.?robin|pool/i.test(m.round_label ?? ''));

export function makeEventBrackets(site: SiteVariant) {
  const params = z.object({
    event_id: numericId,
    host: hostSchema(site).optional(),
    /** Cap on getBracketMatchData requests per job: each is one request at the crawl delay. */
    match_detail_limit: z.number().int().min(0).max(500).default(50),
  });
  type Params = z.infer<typeof params>;
  const base = (p: Params) => `/event/${String(p.event_id)}`;
  return definePipeline<Params, Parsed, EventBracketsOutput>({
    name: `${site.prefix}.event_brackets`,
    provider: site.provider,
    description: 'Brackets of an event with matches (round, number, mat, seats, winner, method, time) and placements.',
    paramsSchema: params,
    scopeParams: ['event_id'],
    parserVersion: 'smoothcomp.event_brackets.parse/1',
    normalizerVersion: 'smoothcomp.event_brackets.norm/2',
    outputSchema: eventBracketsOutput,
    drift: { minPreviousEntities: 10, minRetainedRatio: 0.5 },
    maxRounds: 4,
    plan(p, fetched) {
      const host = resolveHost(site, p.host);
      const get = (resourceType: string, key: string, path: string, optional = false): ResourceRequest => ({
        resourceType,
        resourceKey: key,
        url: siteUrl(host, path),
        headers: XHR_GET_HEADERS,
        ...(optional ? { optional } : {}),
      });
      const listRes = fetched.find((r) => r.resourceType === 'bracket_list');
      // 403 "Brackets is not published" is an answer, not a failure: parse turns it into `published: false`.
      if (!listRes)
        return [{ ...get('bracket_list', String(p.event_id), `${base(p)}/schedule/brackets.json`, true), acceptStatuses: [403] }];
      let list: ListItem[] | null;
      try {
        list = readList(listRes);
      } catch {
        return []; // parse reports it
      }
      if (!list) return [];
      const has = (type: string, key: string) => fetched.some((r) => r.resourceType === type && r.resourceKey === key);
      const round2 = list.flatMap((b) => [
        ...(has('bracket_matches', b.bracket_id)
          ? []
          : [get('bracket_matches', b.bracket_id, `${base(p)}/schedule/new/bracket.json/${b.bracket_id}`)]),
        ...(has('bracket_placements', b.bracket_id)
          ? []
          : [get('bracket_placements', b.bracket_id, `${base(p)}/bracket/${b.bracket_id}/getPlacementTableData`, true)]),
      ]);
      if (round2.length > 0) return round2;
      const round3 = list.flatMap((b) => {
        const res = fetched.find((r) => r.resourceType === 'bracket_matches' && r.resourceKey === b.bracket_id);
        if (!res || has('bracket_render', b.bracket_id)) return [];
        let matches: Match[] = [];
        try {
          matches = matchesFromBracketJson(JSON.parse(res.body));
        } catch {
          return [];
        }
        return looksRoundRobin(matches, b.registrations_count)
          ? [get('bracket_render', b.bracket_id, `${base(p)}/bracket/${b.bracket_id}/getRenderData`, true)]
          : [];
      });
      if (round3.length > 0) return round3;
      // Last round: match details where the bracket feeds left a finished match's winner or method unknown.
      const asked = fetched.filter((r) => r.resourceType === 'match_detail').length;
      const want = list
        .flatMap((b) => plannedMatches(fetched, b))
        .filter(needsMatchDetail)
        .map((m) => m.match_id!)
        .filter((mid, i, all) => all.indexOf(mid) === i && !has('match_detail', mid));
      return want.slice(0, Math.max(0, p.match_detail_limit - asked)).map((mid) => get('match_detail', mid, matchDetailPath(mid), true));
    },
    progressUnit: 'bracket',
    // "bracket n of N": a bracket is done once its matches and placements are in (render data and match details,
    // when asked, come after every bracket). Null until the list says how many there are.
    progress(_p, fetched) {
      const listRes = fetched.find((r) => r.resourceType === 'bracket_list');
      let list: ListItem[] | null = null;
      try {
        list = listRes ? readList(listRes) : null;
      } catch {
        return null;
      }
      if (!list) return null;
      const got = (type: string) => new Set(fetched.filter((r) => r.resourceType === type).map((r) => r.resourceKey));
      const matches = got('bracket_matches');
      const placements = got('bracket_placements');
      return { done: list.filter((b) => matches.has(b.bracket_id) && placements.has(b.bracket_id)).length, total: list.length };
    },
    parse(_p, fetched) {
      const listRes = fetched.find((r) => r.resourceType === 'bracket_list');
      if (!listRes) throw parseError('SMOOTHCOMP_BRACKETS_MISSING', 'no bracket list fetched');
      const list = readList(listRes);
      const out: Parsed = {
        published: list !== null,
        list: list ?? [],
        matches: new Map(),
        render: new Map(),
        placements: new Map(),
        details: new Map(),
      };
      for (const r of fetched) {
        if (r.resourceType === 'bracket_list' || (r.status !== 200 && (r.status === 404 || r.status === 410))) continue;
        if (r.resourceType === 'bracket_matches') out.matches.set(r.resourceKey, matchesFromBracketJson(jsonBody(r)));
        else if (r.resourceType === 'bracket_render') out.render.set(r.resourceKey, matchesFromRenderData(jsonBody(r)));
        else if (r.resourceType === 'bracket_placements') out.placements.set(r.resourceKey, placementsFrom(jsonBody(r)));
        else if (r.resourceType === 'match_detail') out.details.set(r.resourceKey, readMatchDetail(r));
      }
      return out;
    },
    normalize(p, d) {
      const brackets = d.list
        .map((b) => {
          const json = d.matches.get(b.bracket_id) ?? [];
          const render = d.render.get(b.bracket_id);
          const useRender = !!render && render.matches.length > 0 && (render.roundRobin || json.length === 0);
          const matches = (useRender ? render.matches : json).map((m) => {
            const detail = m.match_id && needsMatchDetail(m) ? d.details.get(m.match_id) : undefined;
            return detail ? applyMatchDetail(m, detail) : m;
          });
          const type: 'elimination' | 'round_robin' | 'unknown' = render?.roundRobin
            ? 'round_robin'
            : json.length > 0
              ? 'elimination'
              : 'unknown';
          return { ...b, parts: parseDivisionName(b.name), type, matches, placements: d.placements.get(b.bracket_id) ?? [] };
        })
        .sort(byKey((b) => b.bracket_id));
      return {
        event_id: String(p.event_id),
        host: resolveHost(site, p.host),
        published: d.published,
        bracket_count: brackets.length,
        match_count: brackets.reduce((n, b) => n + b.matches.length, 0),
        match_detail: {
          used: brackets.reduce((n, b) => n + b.matches.filter((m) => m.detail_used).length, 0),
          unresolved: brackets.reduce((n, b) => n + b.matches.filter(needsMatchDetail).length, 0),
        },
        brackets,
      };
    },
    entities(out) {
      const list: (readonly [string, unknown])[] = [];
      const seen = new Set<string>();
      for (const b of out.brackets) {
        const { matches, ...rest } = b;
        list.push([`bracket:${b.bracket_id}`, rest]);
        matches.forEach((m, i) => {
          let key = `match:${b.bracket_id}:${m.number ?? `id${m.match_id ?? i}`}`;
          if (seen.has(key)) key = `${key}:${m.match_id ?? i}`;
          seen.add(key);
          list.push([key, m]);
        });
      }
      return list;
    },
  });
}
