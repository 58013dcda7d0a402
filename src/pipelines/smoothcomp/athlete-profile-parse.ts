/**
 * Profile page `/en/profile/{id}` and its events feed `/en/profile/{id}/events?page=N`.
 *  - Name from `<title>` ("Name - Smoothcomp"); a 200 page without one is a private profile [LIVE JH].
 *  - Belt `.well-skillevel strong.font-size-md`, wins/losses legends [CODE KM, low confidence]; club and
 *    affiliation from `/club/{id}` and `/affiliation/{id}` links (dossier §7 link shape [CAP]).
 *  - Feed: Laravel paginator `{data, last_page, next_page_url}`; items `info.event_start`, `upcomingEvent`,
 *    `registrations[{published, matches[{is_winner, opponents[{id,name}]}]}]` [LIVE JH]. The method key is NOT
 *    documented anywhere: `wonBy` (bracket vocabulary) is tried first, then `won_by`/`win_type`; else null.
 */
import { parseHTML } from 'linkedom';
import type { FetchedResource } from '../../core/pipeline';
import { parseError } from '../../core/errors';
import { jsonBody, refuseBlocked } from './shared/block';
import { titleSubject } from './shared/extract';
import { arr, bool, id, int, isoDate, obj, str } from './shared/values';
import { winMethod, type WinMethod } from './shared/win-method';

export interface ProfileHtml {
  visibility: 'public' | 'private';
  name: string | null;
  belt: string | null;
  club: { id: string | null; name: string | null } | null;
  affiliation: { id: string | null; name: string | null } | null;
  countryCode: string | null;
  legend: { wins: Record<string, number>; losses: Record<string, number> };
}

export function parseProfilePage(res: FetchedResource): ProfileHtml {
  refuseBlocked(res);
  if (res.status !== 200) throw parseError('SMOOTHCOMP_PROFILE_STATUS', `profile ${res.url} answered ${res.status}`);
  const name = titleSubject(res.body);
  const { document } = parseHTML(res.body);
  const privateText = /this profile is (private|hidden)|profile is not public/i.test(document.body?.textContent ?? '');
  if (!name || privateText) {
    return {
      visibility: 'private',
      name: null,
      belt: null,
      club: null,
      affiliation: null,
      countryCode: null,
      legend: { wins: {}, losses: {} },
    };
  }
  const link = (kind: string) => {
    const a = document.querySelector(`a[href*="/${kind}/"]`);
    if (!a) return null;
    const m = new RegExp(`/${kind}/(\\d+)`).exec(a.getAttribute('href') ?? '');
    return { id: m ? String(Number(m[1])) : null, name: str(a.textContent) };
  };
  const flag = document.querySelector('[class*="flag-icon-"]')?.getAttribute('class') ?? '';
  const legend = (cls: string) => {
    const out: Record<string, number> = {};
    for (const li of document.querySelectorAll(`.${cls} li`)) {
      const type = str(li.querySelector('.type')?.textContent);
      const total = int(str(li.querySelector('.total')?.textContent));
      if (type && total !== null) out[winMethod(type) ?? type.toLowerCase()] = total;
    }
    return out;
  };
  return {
    visibility: 'public',
    name,
    belt: str(document.querySelector('.well-skillevel strong.font-size-md')?.textContent),
    club: link('club'),
    affiliation: link('affiliation'),
    countryCode: /flag-icon-([a-z]{2})\b/.exec(flag)?.[1]?.toUpperCase() ?? null,
    legend: { wins: legend('fights_wins_legend'), losses: legend('fights_losses_legend') },
  };
}

export interface HistoryMatch {
  event_id: string | null;
  event_name: string | null;
  event_date: string | null;
  division: string | null;
  match_id: string | null;
  result: 'win' | 'loss' | 'unknown';
  method: WinMethod | null;
  method_raw: string | null;
  round_label: string | null;
  opponents: { profile_id: string | null; name: string | null }[];
}

export interface EventsPage {
  page: number;
  lastPage: number | null;
  matches: HistoryMatch[];
  hiddenRegistrations: number;
  upcomingEvents: number;
}

export function parseEventsPage(res: FetchedResource): EventsPage | null {
  if (res.status === 404 || res.status === 410) return null;
  const data = obj(jsonBody(res));
  if (!data || !Array.isArray(data.data)) throw parseError('SMOOTHCOMP_PROFILE_EVENTS_SHAPE', 'profile events feed has no "data" array');
  const out: EventsPage = {
    page: int(data.current_page) ?? Number(res.resourceKey.split(':')[1] ?? 1),
    lastPage: int(data.last_page),
    matches: [],
    hiddenRegistrations: 0,
    upcomingEvents: 0,
  };
  for (const raw of data.data) {
    const ev = obj(raw) ?? {};
    const info = obj(ev.info) ?? {};
    if (bool(ev.upcomingEvent) === true) out.upcomingEvents++;
    const eventId = id(info.event_id) ?? id(info.id);
    const eventName = str(info.event_name) ?? str(info.name) ?? str(info.title);
    for (const r of arr(ev.registrations)) {
      const reg = obj(r) ?? {};
      if (bool(reg.published) === false) {
        out.hiddenRegistrations++;
        continue;
      }
      const division = str(reg.group_name) ?? str(obj(reg.group)?.name) ?? str(reg.name);
      for (const mRaw of arr(reg.matches)) {
        const m = obj(mRaw) ?? {};
        const won = bool(m.is_winner);
        const methodRaw = str(m.wonBy) ?? str(m.won_by) ?? str(m.win_type);
        out.matches.push({
          event_id: eventId,
          event_name: eventName,
          event_date: isoDate(info.event_start),
          division,
          match_id: id(m.id) ?? id(m.match_id),
          result: won === true ? 'win' : won === false ? 'loss' : 'unknown',
          method: winMethod(methodRaw),
          method_raw: methodRaw,
          round_label: str(m.round_name) ?? str(m.name),
          opponents: arr(m.opponents).map((o) => ({ profile_id: id(obj(o)?.id), name: str(obj(o)?.name) })),
        });
      }
    }
  }
  return out;
}
