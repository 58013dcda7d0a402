import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { parseApiTokens, roleAllows } from './tokens';

const base = { INTERNAL_AUTH_TOKEN: 'a-long-enough-token' };

function variableOf(vars: Record<string, unknown>): string {
  try {
    loadConfig(vars);
  } catch (err) {
    if (err instanceof ConfigError) return `${err.variable}: ${err.message}`;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('API_TOKENS', () => {
  it('reads the name:role:token list and the JSON form; INTERNAL_AUTH_TOKEN is operator "default"', () => {
    const list = loadConfig({ ...base, API_TOKENS: 'nest:reader:reader-token-0123456789, ops:operator:op:token:with:colons' });
    expect(list.tokens).toEqual([
      { name: 'default', role: 'operator', token: 'a-long-enough-token' },
      { name: 'nest', role: 'reader', token: 'reader-token-0123456789' },
      { name: 'ops', role: 'operator', token: 'op:token:with:colons' },
    ]);
    const json = loadConfig({ API_TOKENS: JSON.stringify([{ name: 'nest', role: 'reader', token: 'reader-token-0123456789' }]) });
    expect(json.tokens).toEqual([{ name: 'nest', role: 'reader', token: 'reader-token-0123456789' }]);
  });

  it('refuses bad entries, naming API_TOKENS and the entry', () => {
    expect(variableOf({ ...base, API_TOKENS: 'nest:admin:reader-token-0123456789' })).toMatch(
      /^API_TOKENS: .*entry 1 \(nest\): role must be one of reader, operator/,
    );
    expect(variableOf({ ...base, API_TOKENS: 'nest:reader:short' })).toMatch(/^API_TOKENS: .*at least 16/);
    expect(variableOf({ ...base, API_TOKENS: 'nest-reader-token' })).toMatch(/^API_TOKENS: .*name:role:token/);
    expect(variableOf({ ...base, API_TOKENS: 'scheduler:operator:reader-token-0123456789' })).toMatch(/reserved/);
    expect(variableOf({ ...base, API_TOKENS: 'a:reader:reader-token-0123456789,a:operator:other-token-0123456789' })).toMatch(
      /appears twice/,
    );
    expect(variableOf({ ...base, API_TOKENS: 'a:reader:reader-token-0123456789,b:operator:reader-token-0123456789' })).toMatch(/reuses/);
    expect(variableOf({ ...base, API_TOKENS: 'default:reader:reader-token-0123456789' })).toMatch(/belong to INTERNAL_AUTH_TOKEN/);
    expect(variableOf({ ...base, API_TOKENS: '[{"name": 1}' })).toMatch(/not valid JSON/);
    expect(variableOf({})).toMatch(/^INTERNAL_AUTH_TOKEN/);
  });

  it('an empty value adds no token; operator includes reader', () => {
    expect(parseApiTokens('  ')).toEqual([]);
    expect(roleAllows('operator', 'reader')).toBe(true);
    expect(roleAllows('reader', 'operator')).toBe(false);
  });
});
