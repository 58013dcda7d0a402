/**
 * `<prefix>.event_participants`: divisions and their registrations from `POST /en/event/{id}/participants`
 * (body `{}`, CSRF session; dossier §4 [LIVE MW results.js, JF]). Field names used by live code are trusted;
 * the KM-only ones (club/affiliation ids, `cn`, gender, weight) are read when present and null otherwise.
 */
import { z } from 'zod';
import { definePipeline } from '../../core/pipeline';
import { parseError } from '../../core/errors';
import { XHR_JSON_HEADERS } from './provider';
import { jsonBody, requireResource } from './shared/block';
import { divisionPartsSchema, parseDivisionName } from './shared/division';
import { hostSchema, numericId, resolveHost, siteUrl, type SiteVariant } from './shared/site';
import { arr, bool, byKey, countryCode, id, int, num, obj, str } from './shared/values';

const ref = z.object({ id: z.string().nullable(), name: z.string().nullable() });
const registrationSchema = z.object({
  registration_id: z.string(),
  profile_id: z.string().nullable(),
  name: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  club: ref,
  affiliation: ref,
  team: z.string().nullable(),
  /** The roster carries the country NAME ([LIVE MW]); `cn` (ISO code) only per [CODE KM]. */
  country_name: z.string().nullable(),
  country_code: z.string().nullable(),
  belt: z.string().nullable(),
  birth_year: z.number().nullable(),
  age: z.number().nullable(),
  gender: z.string().nullable(),
  weight_measured_kg: z.number().nullable(),
  approved: z.boolean().nullable(),
});
export const eventParticipantsOutput = z.object({
  event_id: z.string(),
  host: z.string(),
  division_count: z.number(),
  registration_count: z.number(),
  divisions: z.array(
    z.object({
      division_id: z.string(),
      bracket_id: z.string().nullable(),
      name: z.string(),
      parts: divisionPartsSchema,
      registrations: z.array(registrationSchema),
    }),
  ),
});
export type EventParticipantsOutput = z.infer<typeof eventParticipantsOutput>;
type Registration = z.infer<typeof registrationSchema>;

export function makeEventParticipants(site: SiteVariant) {
  const params = z.object({ event_id: numericId, host: hostSchema(site).optional() });
  type Params = z.infer<typeof params>;
  return definePipeline<Params, { groups: Record<string, unknown>[]; beltByValueId: Map<string, string> }, EventParticipantsOutput>({
    name: `${site.prefix}.event_participants`,
    provider: site.provider,
    description: 'Divisions with their registrations: athlete, club, affiliation, country, division parts.',
    paramsSchema: params,
    scopeParams: ['event_id'],
    parserVersion: 'smoothcomp.event_participants.parse/1',
    normalizerVersion: 'smoothcomp.event_participants.norm/2',
    outputSchema: eventParticipantsOutput,
    drift: { minPreviousEntities: 20, minRetainedRatio: 0.6 },
    plan(p, fetched) {
      if (fetched.length > 0) return [];
      const eid = String(p.event_id);
      return [
        {
          resourceType: 'participants',
          resourceKey: eid,
          url: siteUrl(resolveHost(site, p.host), `/event/${eid}/participants`),
          method: 'POST',
          headers: XHR_JSON_HEADERS,
          body: '{}',
          session: true,
        },
      ];
    },
    parse(_p, fetched) {
      const data = obj(jsonBody(requireResource(fetched, 'participants')));
      if (!data || !Array.isArray(data.participants)) {
        throw parseError('SMOOTHCOMP_PARTICIPANTS_SHAPE', 'participants answer has no "participants" array');
      }
      const beltByValueId = new Map<string, string>();
      for (const c of arr(data.categories)) {
        const o = obj(c);
        const vid = id(o?.id);
        const name = str(o?.name);
        if (vid && name && /^(belt|level|rank|faixa|graduação)$/i.test(str(o?.category_name) ?? '')) beltByValueId.set(vid, name);
      }
      return { groups: data.participants.map(obj).filter((g): g is Record<string, unknown> => g !== null), beltByValueId };
    },
    normalize(p, { groups, beltByValueId }) {
      const divisions = groups
        .map((g) => {
          const name = str(g.name) ?? '';
          const registrations = arr(g.registrations)
            .map((r) => registration(obj(r) ?? {}, beltByValueId))
            .filter((r): r is Registration => r !== null)
            .sort(byKey((r) => r.registration_id));
          return {
            division_id: id(g.id) ?? `entry-${id(g.entry_id) ?? name}`,
            bracket_id: id(g.bracket_id),
            name,
            parts: parseDivisionName(name),
            registrations,
          };
        })
        .sort(byKey((d) => d.division_id));
      return {
        event_id: String(p.event_id),
        host: resolveHost(site, p.host),
        division_count: divisions.length,
        registration_count: divisions.reduce((n, d) => n + d.registrations.length, 0),
        divisions,
      };
    },
    entities(out) {
      const list: (readonly [string, unknown])[] = [];
      const seen = new Set<string>();
      for (const d of out.divisions) {
        const { registrations, ...division } = d;
        list.push([`division:${d.division_id}`, { ...division, registration_ids: registrations.map((r) => r.registration_id) }]);
        for (const r of registrations) {
          let key = `registration:${r.registration_id}`;
          if (seen.has(key)) key = `${key}:${d.division_id}`;
          seen.add(key);
          list.push([key, { ...r, division_id: d.division_id }]);
        }
      }
      return list;
    },
  });
}

function registration(r: Record<string, unknown>, belts: Map<string, string>): Registration | null {
  const rid = id(r.id);
  if (!rid) return null;
  const first = str(r.firstname) ?? str(r.first_name);
  const last = str(r.lastname) ?? str(r.last_name);
  const clubObj = obj(r.club);
  let belt: string | null = null;
  for (const c of arr(r.categories)) {
    const b = belts.get(id(obj(c)?.category_value_id) ?? '');
    if (b) belt = b;
  }
  const weight =
    arr(r.categories)
      .map((c) => num(obj(c)?.weight_measured))
      .find((w) => w !== null) ?? null;
  const clubName = str(r.clubName) ?? str(r.club_name) ?? (typeof r.club === 'string' ? str(r.club) : str(clubObj?.name));
  const birth = int(r.birth);
  return {
    registration_id: rid,
    profile_id: id(r.user_id),
    name: [first, str(r.middle_name), last].filter(Boolean).join(' ') || str(r.name),
    first_name: first,
    last_name: last,
    club: { id: id(r.club_id) ?? id(clubObj?.id), name: clubName },
    affiliation: { id: id(r.affiliation_id), name: str(r.affiliationName) ?? str(r.affiliation_name) },
    team: str(r.teamName) ?? str(r.team),
    country_name: str(r.country),
    country_code: countryCode(r.cn) ?? countryCode(r.country_code),
    belt,
    birth_year: birth !== null && birth > 1900 ? birth : null,
    age: int(r.age),
    gender: str(r.gender),
    weight_measured_kg: weight,
    approved: bool(r.approved),
  };
}
