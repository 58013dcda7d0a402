/** Parser for the global track list, https://live.liverc.com/ (`table.track_list`, about 1,100 rows, 630 KB). */
import { parseError } from '../../core/errors';
import { attr, rows, sliceElement, lineText } from './html';
import { slugFromHref } from './urls';

export type TrackActivity = 'racing' | 'practicing' | 'idle' | 'unknown';

export interface ParsedTrack {
  slug: string;
  name: string;
  /** Row link target: `/live/` while a track is active, `/results/` otherwise. */
  rowHref: string | null;
  activity: TrackActivity;
  liveVideo: boolean;
  featured: boolean;
  /** Relative text as shown ("5 hours ago"), relative to when the page was fetched. */
  lastUpdatedText: string | null;
  /** The title of the track's latest or current event as the list shows it. */
  currentEvent: string | null;
}

export interface ParsedTrackCatalog {
  tracks: ParsedTrack[];
  /** Rows that could not be read (no track link); kept for logging, never silently dropped. */
  skippedRows: number;
  duplicateSlugs: string[];
}

const TABLE_OPEN = /<table\b[^>]*class="[^"]*\btrack_list\b[^"]*"[^>]*>/i;

export function parseTrackCatalog(html: string): ParsedTrackCatalog {
  const table = sliceElement(html, TABLE_OPEN, 'table');
  if (!table) throw parseError('TRACK_LIST_MISSING', 'live.liverc.com: no table.track_list on the page');
  const tbody = sliceElement(table.inner, /<tbody\b[^>]*>/i, 'tbody');
  if (!tbody) throw parseError('TRACK_LIST_MISSING', 'live.liverc.com: table.track_list has no tbody');

  const tracks: ParsedTrack[] = [];
  const seen = new Set<string>();
  const duplicateSlugs: string[] = [];
  let skippedRows = 0;
  for (const row of rows(tbody.inner)) {
    if (row.header) continue;
    const [statusCell = '', nameCell = ''] = row.cells;
    const link = /<a\b([^>]*)>([\s\S]*?)<\/a>/i.exec(nameCell);
    const slug = link ? slugFromHref(attr(link[1] ?? '', 'href') ?? '') : null;
    if (!link || !slug) {
      skippedRows++;
      continue;
    }
    if (seen.has(slug)) {
      duplicateSlugs.push(slug);
      continue;
    }
    seen.add(slug);
    const eventDiv = /<div\s+class="indent">([\s\S]*?)<\/div>/i.exec(nameCell);
    const when = /<small><small>([\s\S]*?)<\/small><\/small>/i.exec(statusCell);
    tracks.push({
      slug,
      name: lineText(link[2] ?? ''),
      rowHref: attr(row.attrs, 'data-href'),
      activity: /\bstatus_2\b/.test(statusCell)
        ? 'racing'
        : /\bstatus_1\b/.test(statusCell)
          ? 'practicing'
          : /\bstatus_0\b/.test(statusCell)
            ? 'idle'
            : 'unknown',
      liveVideo: /\bstatus_video_1\b/.test(statusCell),
      featured: /\bstatus_featured\b/.test(statusCell),
      lastUpdatedText: when ? lineText(when[1] ?? '') || null : null,
      currentEvent: eventDiv ? lineText(eventDiv[1] ?? '') || null : null,
    });
  }
  if (tracks.length === 0) throw parseError('TRACK_LIST_EMPTY', 'live.liverc.com: table.track_list has no readable track rows');
  return { tracks, skippedRows, duplicateSlugs };
}
