/**
 * `<prefix>.athlete_profile_enrichment`: identity, academy, belt, match history from the profile's events feed and a
 * derived win/loss summary by method. Walkovers (and no-shows) are counted apart; byes are not matches.
 */
import { z } from 'zod';
import { definePipeline, type FetchedResource } from '../../core/pipeline';
import { parseEventsPage, parseProfilePage, type EventsPage, type HistoryMatch, type ProfileHtml } from './athlete-profile-parse';
import { XHR_GET_HEADERS } from './provider';
import { requireResource } from './shared/block';
import { numericId, siteUrl, type SiteVariant } from './shared/site';
import { WIN_METHODS, isNonContest } from './shared/win-method';

const FOUGHT = ['submission', 'points', 'decision', 'disqualification', 'referee_decision', 'other', 'unknown'] as const;
const methodCounts = z.object(Object.fromEntries(FOUGHT.map((k) => [k, z.number()])) as Record<(typeof FOUGHT)[number], z.ZodNumber>);
const ref = z.object({ id: z.string().nullable(), name: z.string().nullable() }).nullable();

export const athleteProfileOutput = z.object({
  profile_id: z.string(),
  visibility: z.enum(['public', 'private']),
  name: z.string().nullable(),
  belt: z.string().nullable(),
  club: ref,
  affiliation: ref,
  country_code: z.string().nullable(),
  history: z.array(
    z.object({
      event_id: z.string().nullable(),
      event_name: z.string().nullable(),
      event_date: z.string().nullable(),
      division: z.string().nullable(),
      match_id: z.string().nullable(),
      result: z.enum(['win', 'loss', 'unknown']),
      method: z.enum(WIN_METHODS).nullable(),
      method_raw: z.string().nullable(),
      round_label: z.string().nullable(),
      opponents: z.array(z.object({ profile_id: z.string().nullable(), name: z.string().nullable() })),
    }),
  ),
  summary: z.object({
    matches: z.number(),
    wins: z.number(),
    losses: z.number(),
    wins_by: methodCounts,
    losses_by: methodCounts,
    walkovers: z.object({ won: z.number(), lost: z.number() }),
    byes: z.number(),
    unknown_result: z.number(),
    hidden_registrations: z.number(),
  }),
  /** The profile page's own legend (Smoothcomp's counts include walkovers [MW]); empty when not shown. */
  site_legend: z.object({ wins: z.record(z.string(), z.number()), losses: z.record(z.string(), z.number()) }),
  history_complete: z.boolean(),
});
export type AthleteProfileOutput = z.infer<typeof athleteProfileOutput>;

export const DEFAULT_PROFILE_PAGES = 5;

export function makeAthleteProfile(site: SiteVariant) {
  const params = z.object({ profile_id: numericId, max_pages: z.number().int().min(1).max(50).optional() });
  type Params = z.infer<typeof params>;
  const eventsUrl = (p: Params, page: number) => siteUrl(site.baseHost, `/profile/${String(p.profile_id)}/events`, { page });
  const eventsReq = (p: Params, page: number) => ({
    resourceType: 'profile_events',
    resourceKey: `${String(p.profile_id)}:${page}`,
    url: eventsUrl(p, page),
    headers: XHR_GET_HEADERS,
    optional: true,
  });
  return definePipeline<Params, { profile: ProfileHtml; pages: EventsPage[] }, AthleteProfileOutput>({
    name: `${site.prefix}.athlete_profile_enrichment`,
    provider: site.provider,
    description: 'Athlete identity, academy, belt, match history and derived win/loss summary by method.',
    paramsSchema: params,
    scopeParams: ['profile_id'],
    parserVersion: 'smoothcomp.athlete_profile.parse/1',
    normalizerVersion: 'smoothcomp.athlete_profile.norm/1',
    outputSchema: athleteProfileOutput,
    drift: { minPreviousEntities: 5, minRetainedRatio: 0.8 },
    maxRounds: 51,
    plan(p, fetched) {
      const pid = String(p.profile_id);
      if (fetched.length === 0)
        return [{ resourceType: 'profile_page', resourceKey: pid, url: siteUrl(site.baseHost, `/profile/${pid}`) }, eventsReq(p, 1)];
      const pages = fetched.filter((r) => r.resourceType === 'profile_events').sort((a, b) => pageOf(b) - pageOf(a));
      const last = pages[0];
      if (last?.status !== 200) return [];
      let parsed: EventsPage | null = null;
      try {
        parsed = parseEventsPage(last);
      } catch {
        return [];
      }
      const n = pageOf(last);
      return parsed && parsed.lastPage !== null && n < parsed.lastPage && n < (p.max_pages ?? DEFAULT_PROFILE_PAGES)
        ? [eventsReq(p, n + 1)]
        : [];
    },
    parse(_p, fetched) {
      const profile = parseProfilePage(requireResource(fetched, 'profile_page'));
      const pages = fetched
        .filter((r) => r.resourceType === 'profile_events')
        .sort((a, b) => pageOf(a) - pageOf(b))
        .map(parseEventsPage)
        .filter((x): x is EventsPage => x !== null);
      return { profile, pages };
    },
    normalize(p, { profile, pages }) {
      const history = pages.flatMap((pg) => pg.matches).sort(historyOrder);
      const last = pages[pages.length - 1];
      return {
        profile_id: String(p.profile_id),
        visibility: profile.visibility,
        name: profile.name,
        belt: profile.belt,
        club: profile.club,
        affiliation: profile.affiliation,
        country_code: profile.countryCode,
        history,
        summary: summarize(
          history,
          pages.reduce((n, pg) => n + pg.hiddenRegistrations, 0),
        ),
        site_legend: profile.legend,
        history_complete: !last || last.lastPage === null || last.page >= last.lastPage,
      };
    },
    entities(out) {
      const list: (readonly [string, unknown])[] = [[`profile:${out.profile_id}`, { ...out, history: undefined }]];
      const seen = new Set<string>();
      out.history.forEach((m, i) => {
        let key = `profile_match:${out.profile_id}:${m.event_id ?? 'e'}:${m.match_id ?? `n${i}`}`;
        if (seen.has(key)) key = `${key}:${i}`;
        seen.add(key);
        list.push([key, m]);
      });
      return list;
    },
  });
}

const pageOf = (r: FetchedResource) => Number(r.resourceKey.split(':')[1] ?? 1);

function historyOrder(a: HistoryMatch, b: HistoryMatch): number {
  const k = (m: HistoryMatch) =>
    `${m.event_date ?? ''}|${(m.event_id ?? '').padStart(12, '0')}|${(m.match_id ?? '').padStart(12, '0')}|${m.opponents.map((o) => o.name).join(',')}`;
  return k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0;
}

export function summarize(history: readonly HistoryMatch[], hidden: number): AthleteProfileOutput['summary'] {
  const zero = () => Object.fromEntries(FOUGHT.map((k) => [k, 0])) as Record<(typeof FOUGHT)[number], number>;
  const s = {
    matches: 0,
    wins: 0,
    losses: 0,
    wins_by: zero(),
    losses_by: zero(),
    walkovers: { won: 0, lost: 0 },
    byes: 0,
    unknown_result: 0,
    hidden_registrations: hidden,
  };
  for (const m of history) {
    if (m.method === 'bye' || m.method === 'double_bye') {
      s.byes++;
      continue;
    }
    if (isNonContest(m.method)) {
      if (m.result === 'win') s.walkovers.won++;
      else if (m.result === 'loss') s.walkovers.lost++;
      continue;
    }
    if (m.result === 'unknown') {
      s.unknown_result++;
      continue;
    }
    s.matches++;
    const bucket = (m.method ?? 'unknown') as (typeof FOUGHT)[number];
    if (m.result === 'win') {
      s.wins++;
      s.wins_by[bucket]++;
    } else {
      s.losses++;
      s.losses_by[bucket]++;
    }
  }
  return s;
}
