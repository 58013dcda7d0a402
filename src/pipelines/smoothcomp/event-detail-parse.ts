/**
 * Event page `/en/event/{id}`: JSON-LD `SportsEvent` ([LIVE VR, SF]; no capture), the "X - Smoothcomp" title, the
 * registration timeline text ([PAGE] /pl/event/14445, /no/event/2472) and `getInfoPanelsData` ([LIVE JF] organizer.name,
 * [CODE KM] location_*). Everything past the JSON-LD is weakly sourced and read defensively.
 */
import type { FetchedResource } from '../../core/pipeline';
import { parseError } from '../../core/errors';
import { jsonBody, refuseBlocked } from './shared/block';
import { jsonLdBlocks, blockText, titleSubject } from './shared/extract';
import { obj, str } from './shared/values';

export interface ParsedEventDetail {
  eventId: string;
  jsonLd: Record<string, unknown> | null;
  title: string | null;
  timeline: { label: string; text: string }[];
  registrationHint: 'open' | 'closed' | null;
  infoPages: { page_id: string; slug: string | null; title: string | null }[];
  infoPanels: Record<string, unknown> | null;
}

/** Registration words in the interface languages Smoothcomp ships (the page may ignore the `/en/` prefix). */
const REG_WORDS = /(registration|rejestracj|registrering|inscri[cç]|anmeldung|inschrijving|iscrizion|registrace|регистрац)/i;
const DATE_HINT = /\d{1,2}\s*[A-Za-zÀ-ž.]{3,}|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}/;

export function parseEventPage(res: FetchedResource, eventId: string, panels: FetchedResource | undefined): ParsedEventDetail {
  refuseBlocked(res);
  if (res.status !== 200) throw parseError('SMOOTHCOMP_EVENT_STATUS', `event page ${res.url} answered ${res.status}`);
  const jsonLd = sportsEvent(res.body);
  const title = titleSubject(res.body);
  if (!jsonLd && !title) throw parseError('SMOOTHCOMP_EVENT_NO_DATA', `event page ${res.url} has no SportsEvent JSON-LD and no title`);
  const text = blockText(res.body);
  const timeline: { label: string; text: string }[] = [];
  for (const line of text.split('\n')) {
    if (line.length > 160 || !REG_WORDS.test(line) || !DATE_HINT.test(line)) continue;
    const m =
      /^(.*?(?:registration|rejestracj\S*|registrering|inscri\S*|anmeldung|inschrijving|iscrizion\S*|registrace|регистрац\S*))\s*:?\s*(.*)$/i.exec(
        line,
      );
    timeline.push({ label: (m?.[1] ?? line).trim(), text: (m?.[2] ?? '').trim() });
  }
  let registrationHint: 'open' | 'closed' | null = null;
  if (/registration (is )?closed|registrations? closed/i.test(text)) registrationHint = 'closed';
  else if (new RegExp(`href=["'][^"']*/event/${eventId}/register`, 'i').test(res.body)) registrationHint = 'open';
  const infoPages = new Map<string, { page_id: string; slug: string | null; title: string | null }>();
  const linkRe = new RegExp(`<a[^>]*href=["'][^"']*/event/${eventId}/page/(\\d+)(?:/([^"'?#]*))?["'][^>]*>([\\s\\S]*?)</a>`, 'gi');
  for (let m = linkRe.exec(res.body); m; m = linkRe.exec(res.body)) {
    const pid = String(Number(m[1]));
    if (!infoPages.has(pid)) infoPages.set(pid, { page_id: pid, slug: m[2] || null, title: str(blockText(m[3] ?? '')) });
  }
  let infoPanels: Record<string, unknown> | null = null;
  if (panels && panels.status === 200) infoPanels = obj(jsonBody(panels));
  return { eventId, jsonLd, title, timeline, registrationHint, infoPages: [...infoPages.values()], infoPanels };
}

function sportsEvent(html: string): Record<string, unknown> | null {
  for (const block of jsonLdBlocks(html)) {
    const nodes = Array.isArray(block) ? block : ((obj(block)?.['@graph'] as unknown[] | undefined) ?? [block]);
    for (const n of nodes) {
      const o = obj(n);
      const t = o?.['@type'];
      if (o && (t === 'SportsEvent' || t === 'Event' || (Array.isArray(t) && t.includes('SportsEvent')))) return o;
    }
  }
  return null;
}
