/**
 * Named API tokens with roles. `reader` may only read; `operator` may also enqueue, cancel, retry and change
 * schedules. Tokens come from the `API_TOKENS` secret (a JSON array or a `name:role:token` list) beside
 * `INTERNAL_AUTH_TOKEN`, which stays the operator token named `default`.
 */
export const ROLES = ['reader', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiToken {
  name: string;
  role: Role;
  token: string;
}

/** Names are recorded as `requested_by`; `scheduler` and `sweeper` are the runtime's own and cannot be claimed. */
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const RESERVED_NAMES = new Set(['scheduler', 'sweeper', 'anonymous']);

/** Whether a caller of `have` may do what needs `need`: operator includes reader. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** Parses API_TOKENS; throws an Error whose message names the offending entry (config wraps it as ConfigError). */
export function parseApiTokens(raw: string): ApiToken[] {
  const text = raw.trim();
  if (text === '') return [];
  let entries: unknown[];
  if (text.startsWith('[')) {
    try {
      entries = JSON.parse(text) as unknown[];
    } catch {
      throw new Error('is not valid JSON');
    }
    if (!Array.isArray(entries)) throw new Error('JSON form must be an array of {name, role, token}');
  } else {
    entries = text
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((item, i) => {
        const parts = item.split(':');
        if (parts.length < 3) throw new Error(`entry ${i + 1} must be name:role:token`);
        // A token may itself contain ':'; name and role may not.
        return { name: parts[0], role: parts[1], token: parts.slice(2).join(':') };
      });
  }
  const out: ApiToken[] = [];
  entries.forEach((e, i) => {
    const o = (e ?? {}) as Record<string, unknown>;
    const label = `entry ${i + 1}`;
    if (typeof o.name !== 'string' || !NAME.test(o.name))
      throw new Error(`${label}: name must be lowercase letters, digits, dot, dash or underscore`);
    if (RESERVED_NAMES.has(o.name)) throw new Error(`${label}: name "${o.name}" is reserved for the runtime`);
    if (!ROLES.includes(o.role as Role)) throw new Error(`${label} (${o.name}): role must be one of ${ROLES.join(', ')}`);
    if (typeof o.token !== 'string' || o.token.length < 16) throw new Error(`${label} (${o.name}): token must be at least 16 characters`);
    out.push({ name: o.name, role: o.role as Role, token: o.token });
  });
  const names = new Set<string>();
  const tokens = new Set<string>();
  for (const t of out) {
    if (names.has(t.name)) throw new Error(`token name "${t.name}" appears twice`);
    if (tokens.has(t.token)) throw new Error(`token "${t.name}" reuses another entry's token`);
    names.add(t.name);
    tokens.add(t.token);
  }
  return out;
}
