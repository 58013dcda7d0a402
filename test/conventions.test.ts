/** Conventions of docs/adding-a-provider.md that a test can hold every registered pipeline to. */
import { describe, expect, it } from 'vitest';
import dossier from '../docs/smoothcomp-dossier.md?raw';
import { listPipelines } from '../src/pipelines/registry';

const smoothcompSources = Object.fromEntries(
  Object.entries({
    ...import.meta.glob('../src/pipelines/smoothcomp/**/*.ts', { query: '?raw', import: 'default', eager: true }),
    ...import.meta.glob('../docs/smoothcomp-*.md', { query: '?raw', import: 'default', eager: true }),
  }).filter(([file]) => !file.endsWith('smoothcomp-dossier.md')),
) as Record<string, string>;

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

describe('evidence references are checkable in the repository', () => {
  it('every `dossier §N` and evidence tag in the Smoothcomp code and docs is defined in docs/smoothcomp-dossier.md', () => {
    expect(Object.keys(smoothcompSources).length).toBeGreaterThan(20);
    const sections = new Set([...dossier.matchAll(/^## (\d+)\./gm)].map((m) => m[1]));
    const legend = dossier.slice(0, dossier.indexOf('## 1.'));
    const keys = new Set([...legend.matchAll(/\*\*\[?([A-Z]{2,5})\]?\*\*/g)].map((m) => m[1]));
    expect([...keys]).toEqual(expect.arrayContaining(['CAP', 'LIVE', 'CODE', 'PAGE', 'VR', 'MW', 'JF', 'SUP']));
    const unknown: string[] = [];
    for (const [file, text] of Object.entries(smoothcompSources)) {
      for (const m of text.matchAll(/dossier §(\d+)/g)) if (!sections.has(m[1])) unknown.push(`${file}: ${m[0]}`);
      for (const m of text.matchAll(/\[([A-Z]{2,5})(?=[\] ,;])[^\]\n]*\]/g))
        for (const t of m[0].match(/\b[A-Z]{2,5}\b/g) ?? []) if (!keys.has(t)) unknown.push(`${file}: ${m[0]} (${t})`);
    }
    expect(unknown).toEqual([]);
  });
});
