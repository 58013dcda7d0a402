/**
 * scope_key: the pipeline's scope params, in the pipeline's canonical order, as `name=value` pairs joined by `&`,
 * values URI-encoded. Absent optional params are left out, so `{}` and `{country: undefined}` share a scope; a
 * pipeline with no scope params (a whole catalogue) has the scope key `all`.
 *
 * Both derive from one canonical form (`canonicalScope`): every value a trimmed, lowercased string, so `14675` and
 * `"14675"`, `US` and `us` name one scope, and the envelope's `scope` shows exactly what the key was made of.
 * For input already canonical the key is unchanged from earlier versions (docs/hashing.md).
 */
export function canonicalScope(scopeParams: readonly string[], params: Record<string, unknown>): Record<string, string> {
  const scope: Record<string, string> = {};
  for (const name of scopeParams) {
    const v = params[name];
    if (v === undefined || v === null) continue;
    const s = String(v).trim().toLowerCase();
    if (s !== '') scope[name] = s;
  }
  return scope;
}

export function deriveScopeKey(scopeParams: readonly string[], params: Record<string, unknown>): string {
  const scope = canonicalScope(scopeParams, params);
  const parts = scopeParams.filter((n) => n in scope).map((n) => `${n}=${encodeURIComponent(scope[n]!)}`);
  return parts.length === 0 ? 'all' : parts.join('&');
}
