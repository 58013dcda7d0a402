/** `<prefix>.event_detail`: name, dates, venue, organizer, sports and the registration window as far as shown. */
import { z } from 'zod';
import { definePipeline } from '../../core/pipeline';
import { parseEventPage, type ParsedEventDetail } from './event-detail-parse';
import { XHR_GET_HEADERS } from './provider';
import { findResource, requireResource } from './shared/block';
import { hostSchema, numericId, resolveHost, siteUrl, type SiteVariant } from './shared/site';
import { byKey, countryCode, isoDate, obj, str } from './shared/values';

export const eventDetailOutput = z.object({
  event_id: z.string(),
  host: z.string(),
  name: z.string().nullable(),
  start_date: z.string().nullable(),
  end_date: z.string().nullable(),
  url: z.string().nullable(),
  image: z.string().nullable(),
  venue: z.object({
    name: z.string().nullable(),
    address: z.string().nullable(),
    city: z.string().nullable(),
    country_name: z.string().nullable(),
    country_code: z.string().nullable(),
  }),
  organizer: z.object({ name: z.string().nullable() }),
  sports: z.array(z.string()),
  registration: z.object({
    status: z.enum(['open', 'closed', 'unknown']),
    /** Timeline lines as printed (labels may be localized; dates carry no year). */
    periods: z.array(z.object({ label: z.string(), text: z.string() })),
  }),
  info_pages: z.array(z.object({ page_id: z.string(), slug: z.string().nullable(), title: z.string().nullable() })),
  sources: z.object({ json_ld: z.boolean(), info_panels: z.boolean() }),
});
export type EventDetailOutput = z.infer<typeof eventDetailOutput>;

export function makeEventDetail(site: SiteVariant) {
  const params = z.object({ event_id: numericId, host: hostSchema(site).optional() });
  type Params = z.infer<typeof params>;
  return definePipeline<Params, ParsedEventDetail, EventDetailOutput>({
    name: `${site.prefix}.event_detail`,
    provider: site.provider,
    description: 'One event: name, dates, venue and location, organizer, sports, registration window and status.',
    paramsSchema: params,
    scopeParams: ['event_id'],
    parserVersion: 'smoothcomp.event_detail.parse/1',
    normalizerVersion: 'smoothcomp.event_detail.norm/1',
    outputSchema: eventDetailOutput,
    drift: false,
    plan(p, fetched) {
      if (fetched.length > 0) return [];
      const host = resolveHost(site, p.host);
      const eid = String(p.event_id);
      return [
        { resourceType: 'event_page', resourceKey: eid, url: siteUrl(host, `/event/${eid}`) },
        {
          resourceType: 'event_info_panels',
          resourceKey: eid,
          url: siteUrl(host, `/event/${eid}/getInfoPanelsData`),
          headers: XHR_GET_HEADERS,
          optional: true,
        },
      ];
    },
    parse(p, fetched) {
      const eid = String(p.event_id);
      return parseEventPage(requireResource(fetched, 'event_page'), eid, findResource(fetched, 'event_info_panels'));
    },
    normalize(p, d) {
      const ld = d.jsonLd ?? {};
      const loc = obj(ld.location) ?? {};
      const addr = obj(loc.address) ?? {};
      const ldCountry = typeof addr.addressCountry === 'string' ? addr.addressCountry : str(obj(addr.addressCountry)?.name);
      const panels = d.infoPanels ?? {};
      const sport = ld.sport;
      const sports = (Array.isArray(sport) ? sport : sport ? [sport] : []).map(str).filter((s): s is string => !!s);
      const countryName = str(panels.location_country_human) ?? (countryCode(ldCountry) ? null : str(ldCountry));
      return {
        event_id: d.eventId,
        host: resolveHost(site, p.host),
        name: str(ld.name) ?? d.title,
        start_date: isoDate(ld.startDate),
        end_date: isoDate(ld.endDate),
        url: str(ld.url),
        image: str(ld.image),
        venue: {
          name: str(loc.name) ?? str(panels.location_name),
          address: str(addr.streetAddress) ?? str(panels.location_address),
          city: str(addr.addressLocality) ?? str(panels.location_city),
          country_name: countryName,
          country_code: countryCode(ldCountry),
        },
        organizer: { name: str(obj(ld.organizer)?.name) ?? str(obj(panels.organizer)?.name) },
        sports: [...new Set(sports)].sort(),
        registration: { status: d.registrationHint ?? 'unknown', periods: d.timeline },
        info_pages: [...d.infoPages].sort(byKey((x) => x.page_id)),
        sources: { json_ld: d.jsonLd !== null, info_panels: d.infoPanels !== null },
      };
    },
    entities: (out) => [[`event:${out.event_id}`, out] as const],
  });
}
