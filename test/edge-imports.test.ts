/** The two edges share their wiring (src/wiring/env-ports.ts) and never import each other. */
import { describe, expect, it } from 'vitest';

const worker = import.meta.glob('../src/worker/**/*.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const durable = import.meta.glob('../src/durable/**/*.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

const importsOf = (src: string) => [...src.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

describe('edge boundaries', () => {
  it('src/worker never imports src/durable, and src/durable never imports src/worker', () => {
    expect(Object.keys(worker).length).toBeGreaterThan(5);
    expect(Object.keys(durable).length).toBe(3);
    const bad = [
      ...Object.entries(worker).flatMap(([f, s]) =>
        importsOf(s)
          .filter((i) => /(^|\/)durable\//.test(i))
          .map((i) => `${f} -> ${i}`),
      ),
      ...Object.entries(durable).flatMap(([f, s]) =>
        importsOf(s)
          .filter((i) => /(^|\/)worker\//.test(i))
          .map((i) => `${f} -> ${i}`),
      ),
    ];
    expect(bad).toEqual([]);
    expect(importsOf(durable['../src/durable/scope-publisher.ts']!)).toContain('../wiring/env-ports');
  });
});
