/** Text-level extraction from Smoothcomp HTML: inline `var x = ...` data, JSON-LD, escaped Vue props, meta tags. */
import { parseError } from '../../../core/errors';
import { decodeEntities } from '../../shared/html-entities';

export { decodeEntities };

/**
 * The JSON literal assigned by `var <name> = ...` in an inline script (balanced scan that respects strings), or
 * undefined when the page has no such assignment.
 */
export function extractVar(html: string, name: string): unknown {
  const re = new RegExp(`\\bvar\\s+${name}\\s*=\\s*`, 'g');
  const m = re.exec(html);
  if (!m) return undefined;
  const start = m.index + m[0].length;
  const literal = balanced(html, start);
  if (literal === null) throw parseError('SMOOTHCOMP_INLINE_DATA', `unterminated "var ${name}" literal`);
  try {
    return JSON.parse(literal);
  } catch (err) {
    throw parseError('SMOOTHCOMP_INLINE_DATA', `"var ${name}" is not valid JSON: ${(err as Error).message}`);
  }
}

function balanced(s: string, start: number): string | null {
  const open = s[start];
  if (open !== '[' && open !== '{') {
    const end = s.indexOf(';', start);
    return end < 0 ? null : s.slice(start, end).trim();
  }
  let depth = 0;
  let inStr: string | null = null;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === inStr) inStr = null;
      continue;
    }
    if (c === '"') inStr = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return s.slice(start, i + 1);
    }
  }
  return null;
}

/** Every parseable `<script type="application/ld+json">` block; unparseable blocks are skipped. */
export function jsonLdBlocks(html: string): unknown[] {
  const out: unknown[] = [];
  const re = /<script[^>]*type=["']application\/ld\+json["'][^>]*>([\s\S]*?)<\/script>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    try {
      out.push(JSON.parse(m[1] ?? ''));
    } catch {
      /* a broken block is drift evidence, but other blocks may still carry the data */
    }
  }
  return out;
}

/** A Vue prop bound as `:name="<html-escaped JSON>"` on any element, parsed; undefined when absent. */
export function vueProp(html: string, prop: string): unknown {
  const re = new RegExp(`:${prop}="([^"]*)"`, 'i');
  const m = re.exec(html);
  if (!m) return undefined;
  try {
    return JSON.parse(decodeEntities(m[1] ?? ''));
  } catch {
    return undefined;
  }
}

export function pageTitle(html: string): string | null {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  if (!m) return null;
  const t = decodeEntities(m[1] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return t === '' ? null : t;
}

/** "X - Smoothcomp" → "X" (dossier §3: the title format). */
export function titleSubject(html: string): string | null {
  const t = pageTitle(html);
  if (!t) return null;
  const m = /^(.*?)\s+[-–|]\s+(Smoothcomp|AJP Tour|ajptour)\s*$/i.exec(t);
  return m ? (m[1]?.trim() ?? null) : null;
}

/** `<meta name="csrf-token" content="...">` in either attribute order. */
export function csrfToken(html: string): string | null {
  const re = /<meta\b[^>]*>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const tag = m[0];
    if (!/\bname\s*=\s*["']csrf-token["']/i.test(tag)) continue;
    const c = /\bcontent\s*=\s*["']([^"']*)["']/i.exec(tag);
    const v = c?.[1]?.trim();
    return v ? v : null;
  }
  return null;
}

/** Laravel Bootstrap pagination: does the page have a `rel="next"` link? */
export function hasNextPage(html: string): boolean {
  const nav = /<ul[^>]*class=["'][^"']*\bpagination\b[\s\S]*?<\/ul>/i.exec(html);
  return nav !== null && /rel=["']next["']/i.test(nav[0]);
}

/** The active page number in Laravel pagination markup, or null. */
export function activePage(html: string): number | null {
  const m = /<li[^>]*class=["'][^"']*\bactive\b[^"']*["'][^>]*>\s*<span[^>]*>\s*(\d+)\s*<\/span>/i.exec(html);
  return m ? Number(m[1]) : null;
}

/**
 * Visible text by block (blockText): <script>/<style> dropped, <br> and block ends become newlines, each line's
 * whitespace collapsed, empty lines dropped. Not LiveRC's one-line blockText.
 */
export function blockText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|li|h\d|tr)>/gi, '\n')
      .replace(/<[^>]+>/g, ' '),
  )
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}
