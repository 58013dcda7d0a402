import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';

describe('evaluate: has', () => {
  const out = { tracks: [{ slug: 'a', _activity: { status: 'idle', last_seen_at: 123 } }] };
  it('passes when the listed fields match and ignores fields the truth does not name', () => {
    expect(evaluate(out, { id: 'x', path: 'tracks[slug=a]._activity', op: 'has', value: { status: 'idle' } }).pass).toBe(true);
  });
  it('fails when a listed field differs or is missing, and on a non-object', () => {
    expect(evaluate(out, { id: 'x', path: 'tracks[slug=a]._activity', op: 'has', value: { status: 'racing' } }).pass).toBe(false);
    expect(evaluate(out, { id: 'x', path: 'tracks[slug=a]._activity', op: 'has', value: { featured: false } }).pass).toBe(false);
    expect(evaluate(out, { id: 'x', path: 'tracks[slug=a].slug', op: 'has', value: { status: 'idle' } }).pass).toBe(false);
  });
  it('equals stays strict about extra fields', () => {
    expect(evaluate(out, { id: 'x', path: 'tracks[slug=a]._activity', op: 'equals', value: { status: 'idle' } }).pass).toBe(false);
  });
});
