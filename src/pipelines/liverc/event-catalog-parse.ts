/** Parser for a track's event list, https://{slug}.liverc.com/events/ (`table#events`). */
import { parseError } from '../../core/errors';
import { attr, rows, sliceElement, lineText } from './html';
import { toInt, parseSqlDateTime, parseUsDate } from './values';
import { idFromHref } from './urls';

export interface ParsedEventSummary {
  id: string;
  name: string;
  date: string | null;
  startLocal: string | null;
  entries: number | null;
  drivers: number | null;
}

export interface ParsedEventCatalog {
  trackName: string | null;
  events: ParsedEventSummary[];
  skippedRows: number;
}

export function parseEventCatalog(html: string): ParsedEventCatalog {
  const table = sliceElement(html, /<table\b[^>]*\bid="events"[^>]*>/i, 'table');
  if (!table) throw parseError('EVENTS_TABLE_MISSING', 'events page: no table#events');
  const tbody = sliceElement(table.inner, /<tbody\b[^>]*>/i, 'tbody');
  if (!tbody) throw parseError('EVENTS_TABLE_MISSING', 'events page: table#events has no tbody');

  const h1 = /<h1\b[^>]*class="[^"]*page-header[^"]*"[^>]*>([\s\S]*?)<\/h1>/i.exec(html);
  const heading = h1 ? lineText(h1[1] ?? '') : '';
  const trackName = heading.replace(/'s Events$/i, '').trim() || null;

  const byId = new Map<string, ParsedEventSummary>();
  let skippedRows = 0;
  for (const row of rows(tbody.inner)) {
    if (row.header) continue;
    const [nameCell = '', dateCell = '', entriesCell = '', driversCell = ''] = row.cells;
    const link = /<a\b([^>]*)>([\s\S]*?)<\/a>/i.exec(nameCell);
    const id = link ? idFromHref(attr(link[1] ?? '', 'href') ?? '', 'view_event') : null;
    if (!link || !id) {
      skippedRows++;
      continue;
    }
    const hidden = /<span\s+class="hidden">([\s\S]*?)<\/span>/i.exec(dateCell);
    let { date, local } = parseSqlDateTime(hidden ? lineText(hidden[1] ?? '') : '');
    // LiveRC stores `00:00:00` when no start time was entered (75 of canberraoffroad's 100 events): date only.
    if (local?.endsWith('T00:00:00')) local = null;
    if (!date) {
      date = parseUsDate(lineText(dateCell));
      local = null;
    }
    byId.set(id, {
      id,
      name: lineText(link[2] ?? ''),
      date,
      startLocal: local,
      entries: toInt(lineText(entriesCell)),
      drivers: toInt(lineText(driversCell)),
    });
  }
  return { trackName, events: [...byId.values()], skippedRows };
}
