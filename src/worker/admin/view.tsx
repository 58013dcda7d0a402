/** @jsxImportSource hono/jsx */
/** What every console page route shares: rendering for the signed-in viewer, and reading the cursors it issued. */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { decodeCursor } from '../http/serialize';
import { canAct, ConsoleError, type AdminEnv } from './guard';
import { ViewerContext } from './layout';

/** Renders a page for the signed-in viewer: its name, role and whether its buttons act (layout.tsx ViewerContext). */
export function view(c: Context<AdminEnv>, page: Child) {
  const s = c.get('session');
  return c.html(<ViewerContext.Provider value={{ name: s.name, role: s.role, canAct: canAct(c) }}>{page}</ViewerContext.Provider>);
}

/** A list cursor the console issued (`<ms>`, `<id>` of the last row), or a 400 naming the field. */
export function consoleCursor(raw: string | undefined): { at: number; id: string } | undefined {
  if (!raw) return undefined;
  const parts = decodeCursor(raw);
  if (parts?.length !== 2 || !/^\d+$/.test(parts[0]!))
    throw new ConsoleError(400, 'INVALID_CURSOR', 'cursor is not one the console issued', 'cursor');
  return { at: Number(parts[0]), id: parts[1]! };
}
