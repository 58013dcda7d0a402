/**
 * `<prefix>.academy_catalog`: academies/clubs from the club finder `/en/club/finder` (nav link [CAP]). No club or
 * finder page has ever been captured (dossier §7: "treat as unknown"), so the parser accepts three shapes in order
 * and says which one it used: an inline `var clubs = [...]`, a Vue `:clubs="..."` prop (the shape the event listing
 * uses), or `/club/{id}` links with nearby affiliation/location text. The `countries=` filter mirrors the event
 * listing's parameter and is a guess. Every output carries its `uncertainty` notes.
 */
import { parseHTML } from 'linkedom';
import { z } from 'zod';
import { definePipeline, type FetchedResource, type ResourceRequest } from '../../core/pipeline';
import { parseError } from '../../core/errors';
import { refuseBlocked } from './shared/block';
import { extractVar, hasNextPage, vueProp } from './shared/extract';
import { siteUrl, type SiteVariant } from './shared/site';
import { byKey, countryCode, id, obj, str } from './shared/values';

const clubSchema = z.object({
  club_id: z.string(),
  name: z.string().nullable(),
  url: z.string().nullable(),
  affiliation: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
  city: z.string().nullable(),
  country_code: z.string().nullable(),
  country_name: z.string().nullable(),
});
type Club = z.infer<typeof clubSchema>;
export const academyCatalogOutput = z.object({
  country: z.string().nullable(),
  extraction: z.enum(['inline_json', 'vue_prop', 'anchors', 'none']),
  uncertainty: z.array(z.string()),
  pages_fetched: z.number(),
  has_more: z.boolean(),
  clubs: z.array(clubSchema),
});
export type AcademyCatalogOutput = z.infer<typeof academyCatalogOutput>;
interface ClubPage {
  page: number;
  hasNext: boolean;
  extraction: AcademyCatalogOutput['extraction'];
  clubs: Club[];
}

export const DEFAULT_CLUB_PAGES = 5;

export function makeAcademyCatalog(site: SiteVariant) {
  const params = z.object({
    country: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z]{2,3})?$/)
      .optional(),
    max_pages: z.number().int().min(1).max(50).optional(),
  });
  type Params = z.infer<typeof params>;
  const req = (p: Params, page: number): ResourceRequest => ({
    resourceType: 'club_finder',
    resourceKey: String(page),
    url: siteUrl(site.baseHost, '/club/finder', { countries: p.country?.toUpperCase(), page: page > 1 ? page : undefined }),
  });
  return definePipeline<Params, ClubPage[], AcademyCatalogOutput>({
    name: `${site.prefix}.academy_catalog`,
    provider: site.provider,
    description: 'Academies/clubs with ids, names, affiliation and location from the club finder (low confidence: no capture exists).',
    paramsSchema: params,
    scopeParams: ['country'],
    parserVersion: 'smoothcomp.academy_catalog.parse/1',
    normalizerVersion: 'smoothcomp.academy_catalog.norm/1',
    outputSchema: academyCatalogOutput,
    maxRounds: 51,
    plan(p, fetched) {
      if (fetched.length === 0) return [req(p, 1)];
      const last = [...fetched].sort((a, b) => Number(b.resourceKey) - Number(a.resourceKey))[0];
      if (last?.status !== 200 || Number(last.resourceKey) >= (p.max_pages ?? DEFAULT_CLUB_PAGES)) return [];
      return hasNextPage(last.body) ? [req(p, Number(last.resourceKey) + 1)] : [];
    },
    parse: (_p, fetched) =>
      fetched
        .filter((r) => r.resourceType === 'club_finder')
        .map(parseClubPage)
        .sort((a, b) => a.page - b.page),
    normalize(p, pages) {
      const clubs = new Map<string, Club>();
      for (const pg of pages) for (const c of pg.clubs) if (!clubs.has(c.club_id)) clubs.set(c.club_id, c);
      const extraction = pages.find((pg) => pg.extraction !== 'none')?.extraction ?? 'none';
      const uncertainty = ['club finder markup never captured; parser shape is a guess (dossier §7)'];
      if (p.country) uncertainty.push('country filter parameter `countries=` is assumed from the event listing');
      if (extraction === 'anchors') uncertainty.push('affiliation/location read from text near /club/{id} links');
      const last = pages[pages.length - 1];
      return {
        country: p.country?.toUpperCase() ?? null,
        extraction,
        uncertainty,
        pages_fetched: pages.length,
        has_more: !!last?.hasNext,
        clubs: [...clubs.values()].sort(byKey((c) => c.club_id)),
      };
    },
    entities: (out) => out.clubs.map((c) => [`club:${c.club_id}`, c] as const),
  });
}

export function parseClubPage(res: FetchedResource): ClubPage {
  refuseBlocked(res);
  if (res.status !== 200) throw parseError('SMOOTHCOMP_CLUBS_STATUS', `club finder answered ${res.status}`);
  const page = Number(res.resourceKey);
  const hasNext = hasNextPage(res.body);
  const inline = extractVar(res.body, 'clubs');
  if (Array.isArray(inline)) return { page, hasNext, extraction: 'inline_json', clubs: inline.map(fromJson).filter((c): c is Club => !!c) };
  const prop = vueProp(res.body, 'clubs');
  if (Array.isArray(prop)) return { page, hasNext, extraction: 'vue_prop', clubs: prop.map(fromJson).filter((c): c is Club => !!c) };
  const { document } = parseHTML(res.body);
  const clubs: Club[] = [];
  for (const a of document.querySelectorAll('a[href*="/club/"]')) {
    const href = a.getAttribute('href') ?? '';
    const m = /\/club\/(\d+)(?:[/?#]|$)/.exec(href);
    if (!m) continue;
    const box = a.parentElement?.closest('li, tr, article, [class*="club-item"], [class*="club-card"]') ?? a;
    const text = (sel: string) => str(box.querySelector(sel)?.textContent);
    const affA = box.querySelector('a[href*="/affiliation/"]');
    const flag = box.querySelector('[class*="flag-icon-"]')?.getAttribute('class') ?? '';
    clubs.push({
      club_id: String(Number(m[1])),
      name: str(a.textContent) ?? text('h3, h4, .name'),
      url: href.startsWith('http') ? href : `https://${new URL(res.url).host}${href}`,
      affiliation: {
        id: id(/\/affiliation\/(\d+)/.exec(affA?.getAttribute('href') ?? '')?.[1]),
        name: str(affA?.textContent) ?? text('[class*="affiliation"]'),
      },
      city: text('[class*="city"]'),
      country_code: /flag-icon-([a-z]{2})\b/.exec(flag)?.[1]?.toUpperCase() ?? null,
      country_name: text('[class*="country"]'),
    });
  }
  if (clubs.length === 0 && !/club-finder|club\/finder/i.test(res.body)) {
    throw parseError('SMOOTHCOMP_CLUBS_NO_DATA', `club finder ${res.url} has no club data and does not look like the finder`);
  }
  return { page, hasNext, extraction: clubs.length > 0 ? 'anchors' : 'none', clubs };
}

function fromJson(raw: unknown): Club | null {
  const o = obj(raw);
  const cid = id(o?.id) ?? id(o?.club_id);
  if (!o || !cid) return null;
  const aff = obj(o.affiliation);
  return {
    club_id: cid,
    name: str(o.name),
    url: str(o.url),
    affiliation: { id: id(o.affiliation_id) ?? id(aff?.id), name: str(o.affiliationName) ?? str(o.affiliation_name) ?? str(aff?.name) },
    city: str(o.city) ?? str(o.location_city),
    country_code: countryCode(o.country) ?? countryCode(o.location_country) ?? countryCode(o.cn),
    country_name: str(o.country_human) ?? str(o.location_country_human),
  };
}
