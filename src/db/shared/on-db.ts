/** A shared module's functions over one dialect's drizzle handle: how the d1/ and pg/ adapters expose them. */
import type { Dialect } from './dialect';

type Fn = (d: Dialect, ...args: never[]) => unknown;
export type OnDb<Db, M> = { [K in keyof M]: M[K] extends (d: Dialect, ...args: infer A) => infer R ? (db: Db, ...args: A) => R : never };

/** Each function of `shared`, taking the dialect's db in place of the Dialect (built once per db). */
export function onDb<Db extends object, M extends Record<string, Fn>>(dialect: (db: Db) => Dialect, shared: M): OnDb<Db, M> {
  const built = new WeakMap<Db, Dialect>();
  const of = (db: Db): Dialect => {
    let d = built.get(db);
    if (!d) built.set(db, (d = dialect(db)));
    return d;
  };
  // Object.entries forgets each function's own parameters, which OnDb states: every entry is `f` with its Dialect
  // supplied, called with the arguments its caller passed.
  const entries = Object.entries(shared) as Array<[string, (d: Dialect, ...args: unknown[]) => unknown]>;
  return Object.fromEntries(entries.map(([name, f]) => [name, (db: Db, ...args: unknown[]) => f(of(db), ...args)])) as OnDb<Db, M>;
}
