/** Conventions of docs/adding-a-provider.md that a test can hold every registered pipeline to. */
import { describe, expect, it } from 'vitest';
import { listPipelines } from '../src/pipelines/registry';

describe('pipeline conventions', () => {
  it('names are <provider>.<what> in snake case; versions are <family>.<what>.parse/<n> and .norm/<n>', () => {
    const off = listPipelines().flatMap((p) => {
      const bad: string[] = [];
      if (!/^[a-z]+\.[a-z][a-z_]*$/.test(p.name)) bad.push(`${p.name}: name`);
      if (!/^[a-z]+\.[a-z][a-z_]*\.parse\/\d+$/.test(p.parserVersion)) bad.push(`${p.name}: parserVersion ${p.parserVersion}`);
      if (!/^[a-z]+\.[a-z][a-z_]*\.norm\/\d+$/.test(p.normalizerVersion)) bad.push(`${p.name}: normalizerVersion ${p.normalizerVersion}`);
      return bad;
    });
    expect(off).toEqual([]);
  });
});
