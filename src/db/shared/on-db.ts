/** A shared module's functions over one dialect's drizzle handle: how the d1/ and pg/ adapters expose them. */
import type { Dialect } from './dialect';

// biome-ignore lint/suspicious/noExplicitAny: the parameter lists are carried through as they are, not read here
type Fn = (d: Dialect, ...args: any[]) => unknown;
export type OnDb<Db, M> = { [K in keyof M]: M[K] extends (d: Dialect, ...args: infer A) => infer R ? (db: Db, ...args: A) => R : never };

/** Each function of `shared`, taking the dialect's db in place of the Dialect (built once per db). */
export function onDb<Db extends object, M extends Record<string, Fn>>(dialect: (db: Db) => Dialect, shared: M): OnDb<Db, M> {
  const built = new WeakMap<Db, Dialect>();
  const of = (db: Db): Dialect => {
    let d = built.get(db);
    if (!d) built.set(db, (d = dialect(db)));
    return d;
  };
  const out: Record<string, (db: Db, ...args: unknown[]) => unknown> = {};
  for (const [name, f] of Object.entries(shared)) out[name] = (db, ...args) => f(of(db), ...args);
  // Object.entries loses the per-name signatures that OnDb states; each entry is `f` with its Dialect replaced.
  return out as OnDb<Db, M>;
}
