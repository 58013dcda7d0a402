/** Parser for an event detail page, `?p=view_event&id=N`: header, registrations and the race list. */
import { parseError } from '../../core/errors';
import { attr, rows, lineText } from './html';
import { parseCompletedAt, parseUsDate, toInt } from './values';
import { idFromHref } from './urls';

export interface ListedRace {
  /** LiveRC race id from the result link; null for a listed race without one (not run yet, link missing). */
  id: string | null;
  /** `id`, or for a race without one a synthetic key stable across fetches: round heading + race title. */
  key: string;
  /** Group heading of the race list, e.g. "Main Events", "Qualifier Round 3". */
  round: string | null;
  raceNumber: number | null;
  className: string | null;
  /** The bracketed label, e.g. "1/8 Nitro Buggy A-Main", "1/8 Electric Buggy (Heat 1/3)". */
  label: string;
  completedAt: string | null;
}

export interface ParsedEventPage {
  trackName: string | null;
  name: string;
  date: string | null;
  entries: number | null;
  drivers: number | null;
  totalRaceLaps: number | null;
  hasEntryListLink: boolean;
  races: ListedRace[];
}

const headerText = (html: string, tag: string) => {
  const m = new RegExp(`<${tag}\\b[^>]*class="[^"]*page-header[^"]*"[^>]*>([\\s\\S]*?)</${tag}>`, 'i').exec(html);
  return m ? lineText(m[1] ?? '') : null;
};

/** "Race 14: 1/8 Nitro Buggy (1/8 Nitro Buggy A-Main)" → number, class, label. */
export function splitRaceTitle(title: string): { raceNumber: number | null; className: string | null; label: string } {
  const m = /^Race\s+(\d+)\s*:\s*(.*?)\s*\((.*)\)\s*$/i.exec(title);
  if (!m) return { raceNumber: null, className: null, label: title };
  return { raceNumber: Number(m[1]), className: m[2] || null, label: (m[3] ?? '').replace(/\s+/g, ' ').trim() };
}

function statsValue(html: string, label: string): string | null {
  const m = new RegExp(`<th>\\s*${label}\\s*</th>\\s*<td>([\\s\\S]*?)</td>`, 'i').exec(html);
  return m ? lineText(m[1] ?? '') : null;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** "syn-main-events-race-14-1-8-nitro-buggy-1-8-nitro-buggy-a-main": never collides with LiveRC's numeric ids. */
export function syntheticRaceKey(round: string | null, title: string): string {
  return `syn-${slug(round ?? 'none')}-${slug(title)}`;
}

export function parseEventPage(html: string): ParsedEventPage {
  const name = headerText(html, 'h3');
  if (!name) throw parseError('EVENT_PAGE_UNRECOGNIZED', 'event page: no event name header (h3.page-header)');
  const registrations = statsValue(html, 'Registrations') ?? '';
  const races: ListedRace[] = [];
  const seen = new Set<string>();
  const marker = html.search(/class_header">\s*Race Results\s*</i);
  if (marker >= 0) {
    const end = html.indexOf('</table>', marker);
    let round: string | null = null;
    for (const row of rows(html.slice(marker, end < 0 ? html.length : end))) {
      const first = row.cells[0] ?? '';
      if (row.header) {
        const t = lineText(first);
        if (t && !/^Race Results$/i.test(t)) round = t;
        continue;
      }
      const link = /<a\b([^>]*)>([\s\S]*?)<\/a>/i.exec(first);
      const id = link ? idFromHref(attr(link[1] ?? '', 'href') ?? '', 'view_race_result') : null;
      const title = lineText(link ? (link[2] ?? '') : first);
      // A row without a result id is kept when it reads as a race ("Race 3: ..."), under a synthetic key.
      if (!id && !/^Race\s+\d+\s*:/i.test(title)) continue;
      const key = id ?? syntheticRaceKey(round, title);
      if (seen.has(key)) continue;
      seen.add(key);
      races.push({ id, key, round, ...splitRaceTitle(title), completedAt: parseCompletedAt(lineText(row.cells[1] ?? '')) });
    }
  }
  if (marker < 0 && /[?&](?:amp;)?p=view_race_result\b/.test(html)) {
    throw parseError('RACE_LIST_UNRECOGNIZED', 'event page links race results but has no "Race Results" table');
  }
  return {
    trackName: headerText(html, 'h1'),
    name,
    date: parseUsDate(headerText(html, 'h5') ?? ''),
    entries: toInt(/Entries:\s*([\d,]+)/i.exec(registrations)?.[1]),
    drivers: toInt(/Drivers:\s*([\d,]+)/i.exec(registrations)?.[1]),
    totalRaceLaps: toInt(statsValue(html, 'Total Race Laps')),
    hasEntryListLink: /[?&](?:amp;)?p=view_entry_list\b/.test(html),
    races,
  };
}
