/**
 * scope_key: the pipeline's scope params, in the pipeline's canonical order, as `name=value` pairs joined by `&`,
 * values URI-encoded. Absent optional params are left out, so `{}` and `{country: undefined}` share a scope; a
 * pipeline with no scope params (a whole catalogue) has the scope key `all`.
 */
export function deriveScopeKey(scopeParams: readonly string[], params: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const name of scopeParams) {
    const v = params[name];
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${name}=${encodeURIComponent(String(v).trim().toLowerCase())}`);
  }
  return parts.length === 0 ? 'all' : parts.join('&');
}
