/**
 * basketball-reference.com season totals page (`/leagues/{LEAGUE}_{YEAR}_totals.html`), table `#totals_stats`:
 * one `tr.full_table` per player, and for a player traded mid-season a `TOT` full row plus one
 * `tr.italic_text.partial_table` row per team. A single pass of regular expressions over the table's rows: the
 * cells are flat `<td data-stat="...">` elements, and a DOM for an 800 KB page costs far more CPU than it buys.
 */
import { decodeEntities as decodeHtmlEntities } from '../../shared/html-entities';
import { parseError } from '../../../core/errors';

export interface TotalsRow {
  kind: 'full' | 'partial';
  player_id: string;
  name: string;
  /** `Last,First` sort key the page carries in `csk`; null when absent. */
  sort_name: string | null;
  cells: Record<string, string>;
}

const ROW = /<tr class="(full_table|italic_text partial_table)"\s*>([\s\S]*?)<\/tr>/g;
const CELL = /<t[dh]\b([^>]*)>([\s\S]*?)<\/t[dh]>/g;
const ATTR = (name: string) => new RegExp(`\\b${name}="([^"]*)"`);

export function parseTotalsPage(html: string): { title: string | null; rows: TotalsRow[] } {
  const start = html.indexOf('id="totals_stats"');
  if (start < 0) throw parseError('BBREF_TABLE_MISSING', 'no table#totals_stats on the page');
  const end = html.indexOf('</table>', start);
  const table = html.slice(start, end < 0 ? undefined : end);
  const rows: TotalsRow[] = [];
  for (const m of table.matchAll(ROW)) {
    const cells: Record<string, string> = {};
    let playerId: string | null = null;
    let sortName: string | null = null;
    for (const c of m[2]!.matchAll(CELL)) {
      const attrs = c[1]!;
      const stat = ATTR('data-stat').exec(attrs)?.[1];
      if (!stat) continue;
      cells[stat] = decodeHtmlEntities(c[2]!.replace(/<[^>]*>/g, '')).trim();
      if (stat === 'player') {
        playerId = ATTR('data-append-csv').exec(attrs)?.[1] ?? null;
        sortName = ATTR('csk').exec(attrs)?.[1] ?? null;
      }
    }
    if (!playerId || !cells.player) throw parseError('BBREF_ROW_SHAPE', `a player row without a player id or name: ${m[2]!.slice(0, 120)}`);
    rows.push({
      kind: m[1] === 'full_table' ? 'full' : 'partial',
      player_id: playerId,
      name: cells.player,
      sort_name: sortName ? decodeHtmlEntities(sortName) : null,
      cells,
    });
  }
  if (rows.length === 0) throw parseError('BBREF_NO_ROWS', 'table#totals_stats has no player rows');
  const title = /<title>([\s\S]*?)<\/title>/.exec(html)?.[1]?.trim() ?? null;
  return { title, rows };
}
