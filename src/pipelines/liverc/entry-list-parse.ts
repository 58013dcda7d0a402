/** Parser for an entry list, `?p=view_entry_list&id=N`: one table per class (#, driver, transponder). */
import { parseError } from '../../core/errors';
import { rows, sliceElement, lineText } from './html';
import { toInt } from './values';

export interface ParsedEntry {
  className: string;
  /** LiveRC's class id from the table id (`..._table_14341`), when present. */
  sourceClassId: string | null;
  /** The entry list's "#" column. */
  entryNumber: number | null;
  driverName: string;
  /** "LAST, FIRST" sort key LiveRC hides in the cell, when present. */
  sortName: string | null;
  transponder: string | null;
}

export interface ParsedEntryList {
  entries: ParsedEntry[];
  /** Per-class "Entries: N" headers, to cross-check the rows. */
  declaredCounts: Record<string, number>;
}

const TABLE_RE = /<table\b([^>]*)>([\s\S]*?)<\/table>/gi;

export function parseEntryList(html: string): ParsedEntryList {
  if (!/panel-heading[^>]*>(?:\s*<i\b[^>]*><\/i>)?\s*Entry List\s*</i.test(html)) {
    throw parseError('ENTRY_LIST_UNRECOGNIZED', 'entry list page: no "Entry List" panel');
  }
  const entries: ParsedEntry[] = [];
  const declaredCounts: Record<string, number> = {};
  TABLE_RE.lastIndex = 0;
  for (let t = TABLE_RE.exec(html); t; t = TABLE_RE.exec(html)) {
    const body = t[2] ?? '';
    const header = /<div\s+class="class_header">([\s\S]*?)<\/div>/i.exec(body);
    if (!header) continue; // not a class table (e.g. the event stats table)
    const className = lineText(header[1] ?? '');
    const id = /\bid="[^"]*_table_(\d+)"/i.exec(t[1] ?? '')?.[1] ?? null;
    const declared = /Entries:\s*([\d,]+)/i.exec(body)?.[1];
    if (declared !== undefined) declaredCounts[className] = toInt(declared) ?? 0;
    const tbody = sliceElement(body, /<tbody\b[^>]*>/i, 'tbody');
    for (const row of rows(tbody?.inner ?? '')) {
      if (row.header || row.cells.length < 2) continue;
      const [numCell = '', driverCell = '', transponderCell = ''] = row.cells;
      const hidden = /<span\s+class="hidden">([\s\S]*?)<\/span>/i.exec(driverCell);
      const driverName = lineText(driverCell.replace(/<span\s+class="hidden">[\s\S]*?<\/span>/gi, ''));
      if (!driverName) continue;
      entries.push({
        className,
        sourceClassId: id,
        entryNumber: toInt(lineText(numCell)),
        driverName,
        sortName: hidden ? lineText(hidden[1] ?? '') || null : null,
        transponder: lineText(transponderCell) || null,
      });
    }
  }
  return { entries, declaredCounts };
}
