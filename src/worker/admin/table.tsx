/** @jsxImportSource hono/jsx */
/**
 * The console's one table: columns declared once (heading, cell, optional class), rows rendered from them, an empty
 * text instead of a header-only table. Pages describe what a row shows, not how a table is built.
 */
import type { Child } from 'hono/jsx';

export interface Column<T> {
  head: string;
  cell: (row: T) => Child;
  /** `num` right-aligns figures, `msg` wraps long text. */
  class?: 'num' | 'msg';
}

export function Table<T>(p: { id?: string; rows: T[]; cols: Array<Column<T>>; empty?: string; rowId?: (row: T) => string }) {
  if (p.rows.length === 0) return <p id={p.id}>{p.empty ?? 'None.'}</p>;
  return (
    <table id={p.id}>
      <thead>
        <tr>
          {p.cols.map((c) => (
            <th>{c.head}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {p.rows.map((r) => (
          <tr id={p.rowId?.(r)}>
            {p.cols.map((c) => (
              <td class={c.class}>{c.cell(r)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A "next page" link keeping the current filter. */
export function NextPage(p: { base: string; query: Record<string, string | undefined>; cursor: string | null; label: string }) {
  if (!p.cursor) return null;
  const q = Object.fromEntries(Object.entries({ ...p.query, cursor: p.cursor }).filter(([, v]) => v !== undefined && v !== ''));
  return (
    <p>
      <a href={`${p.base}?${new URLSearchParams(q as Record<string, string>)}`} id="next-page">
        {p.label}
      </a>
    </p>
  );
}
