/**
 * A small, targeted HTML scanner for LiveRC's server-rendered tables. LiveRC pages are flat, regular markup
 * (no nested tables in the cells we read), so regular expressions over a bounded slice of the page are enough
 * and cost a fraction of a DOM: the 630 KB track catalogue scans in a few milliseconds.
 */

import { decodeEntities } from '../shared/html-entities';

export { decodeEntities };

/** Collapses all whitespace runs (including no-break spaces) to one space and trims. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** One line of visible text: comments dropped, tags become spaces, entities decoded, whitespace collapsed (lineText). */
export function lineText(html: string): string {
  return squash(decodeEntities(html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, ' ')));
}

/** Value of one attribute inside a start tag (or any fragment), entity-decoded; null when absent. */
export function attr(fragment: string, name: string): string | null {
  const re = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i');
  const m = re.exec(fragment);
  if (!m) return null;
  return decodeEntities(m[1] ?? m[2] ?? m[3] ?? '');
}

/** The inner HTML of the first element matching `open` (a regexp for its start tag) up to its closing tag. */
export function sliceElement(html: string, open: RegExp, closeTag: string, from = 0): { inner: string; start: number; end: number } | null {
  const re = new RegExp(open.source, open.flags.includes('g') ? open.flags : `${open.flags}g`);
  re.lastIndex = from;
  const m = re.exec(html);
  if (!m) return null;
  const innerStart = m.index + m[0].length;
  const close = html.indexOf(`</${closeTag}>`, innerStart);
  const end = close < 0 ? html.length : close;
  return { inner: html.slice(innerStart, end), start: m.index, end };
}

export interface Row {
  /** The attributes text of the `<tr ...>` start tag. */
  attrs: string;
  /** Inner HTML of each `td`/`th`, in order. */
  cells: string[];
  /** Whether the cells were `th` (a header row). */
  header: boolean;
}

const ROW_RE = /<tr\b([^>]*)>([\s\S]*?)<\/tr>/gi;
const CELL_RE = /<(td|th)\b[^>]*>([\s\S]*?)<\/\1>/gi;

/** Table rows of a fragment (a tbody or a whole table without nested tables). */
export function rows(fragment: string): Row[] {
  const out: Row[] = [];
  ROW_RE.lastIndex = 0;
  for (let m = ROW_RE.exec(fragment); m; m = ROW_RE.exec(fragment)) {
    const body = m[2] ?? '';
    const cells: string[] = [];
    let header = false;
    CELL_RE.lastIndex = 0;
    for (let c = CELL_RE.exec(body); c; c = CELL_RE.exec(body)) {
      if (c[1]?.toLowerCase() === 'th') header = true;
      cells.push(c[2] ?? '');
    }
    out.push({ attrs: m[1] ?? '', cells, header });
  }
  return out;
}

/** Text of the first `<span class="...cls...">` (no nested spans) in a fragment, or null. */
export function spanText(fragment: string, cls: string): string | null {
  const re = new RegExp(`<span\\b[^>]*class="[^"]*\\b${cls}\\b[^"]*"[^>]*>([\\s\\S]*?)</span>`, 'i');
  const m = re.exec(fragment);
  return m ? lineText(m[1] ?? '') : null;
}

/** Text of a cell with LiveRC's `<div class="hidden">raw</div>shown` sort-key pattern: the raw value wins. */
export function hiddenOrText(cell: string): string {
  const m = /<(?:div|span)\s+class="hidden">([\s\S]*?)<\/(?:div|span)>/i.exec(cell);
  if (m) return lineText(m[1] ?? '');
  return lineText(cell);
}
