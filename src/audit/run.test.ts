import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePipeline } from '../core/pipeline';
import { NonRetryableError, parseError } from '../core/errors';
import type { AuditCase } from './dataset';
import { runCase } from './run';

// A tiny pipeline: one page, body "name=<x>"; "BLOCK" is refused; "oops" is drift.
const toy = definePipeline({
  name: 'toy.page',
  provider: 'toy',
  description: 'test',
  paramsSchema: z.object({ id: z.string() }),
  scopeParams: ['id'],
  parserVersion: 'toy.page.parse/1',
  normalizerVersion: 'toy.page.norm/1',
  outputSchema: z.object({ id: z.string(), name: z.string() }),
  plan: (p, fetched) => (fetched.length ? [] : [{ resourceType: 'page', resourceKey: p.id, url: `https://toy.test/${p.id}` }]),
  parse(_p, fetched) {
    const body = fetched[0]!.body;
    // An AdapterError, as a pipeline's own block check throws (the normalize step turns anything else into PARSE_FAILED).
    if (body === 'BLOCK') throw new NonRetryableError('PROVIDER_BLOCKED', 'provider', 'blocked');
    const m = /^name=(.*)$/.exec(body);
    if (!m) throw parseError('TOY_DRIFT', 'no name');
    return m[1]!;
  },
  normalize: (p, name) => ({ id: p.id, name: name.trim() }),
  entities: (n) => [[`toy:${n.id}`, n] as const],
});

const files: Record<string, string> = { 'a.txt': 'name= Ada ', 'block.txt': 'BLOCK', 'drift.txt': 'garbage' };
const read = (f: string) => files[f]!;
const kase = (over: Partial<AuditCase>): AuditCase => ({
  id: 'k',
  pipeline: 'toy.page',
  params: { id: '1' },
  resources: [{ resourceType: 'page', resourceKey: '1', url: 'https://toy.test/1', file: 'a.txt' }],
  assertions: [],
  ...over,
});

describe('runCase', () => {
  it('passes, explains and leaves unexplained per assertion; checks the plan', async () => {
    const r = await runCase(
      toy,
      kase({
        assertions: [
          { id: 'ok', path: 'name', op: 'equals', value: 'Ada' },
          {
            id: 'known',
            path: 'name',
            op: 'equals',
            value: ' Ada ',
            known: { classification: 'EXPECTATION_WAS_WRONG', note: 'raw copied' },
          },
          { id: 'bad', path: 'nick', op: 'exists' },
        ],
      }),
      read,
    );
    expect(r.results.map((x) => [x.assertionId, x.outcome])).toEqual([
      ['plan', 'pass'],
      ['ok', 'pass'],
      ['known', 'explained'],
      ['bad', 'unexplained'],
    ]);
  });
  it('flags fixtures the plan does not ask for', async () => {
    const r = await runCase(
      toy,
      kase({ resources: [{ resourceType: 'page', resourceKey: '1', url: 'https://toy.test/other', file: 'a.txt' }], check_plan: true }),
      read,
    );
    expect(r.results[0]).toMatchObject({ assertionId: 'plan', outcome: 'unexplained' });
  });
  it('expected errors pass; unexpected errors are classified', async () => {
    const blocked = kase({ resources: [{ resourceType: 'page', resourceKey: '1', url: 'https://toy.test/1', file: 'block.txt' }] });
    expect((await runCase(toy, { ...blocked, expect_error: { code: 'PROVIDER_BLOCKED' } }, read)).results.at(-1)).toMatchObject({
      outcome: 'pass',
    });
    expect((await runCase(toy, blocked, read)).results.at(-1)).toMatchObject({
      outcome: 'unexplained',
      classification: 'SOURCE_NOT_VISIBLE',
    });
    const drift = kase({ resources: [{ resourceType: 'page', resourceKey: '1', url: 'https://toy.test/1', file: 'drift.txt' }] });
    expect((await runCase(toy, drift, read)).results.at(-1)).toMatchObject({ outcome: 'unexplained', classification: 'PARSER_DRIFT' });
    expect((await runCase(toy, { ...kase({}), expect_error: { code: 'PROVIDER_BLOCKED' } }, read)).results.at(-1)).toMatchObject({
      outcome: 'unexplained',
    });
  });
  it('rejects params the pipeline refuses', async () => {
    const r = await runCase(toy, kase({ params: { id: 5 } }), read);
    expect(r.results).toEqual([
      expect.objectContaining({ assertionId: 'params', outcome: 'unexplained', classification: 'EXPECTATION_WAS_WRONG' }),
    ]);
  });
  it('runs the runtime fetch rounds: a repeated request is fetched once, a plan deeper than its rounds fails', async () => {
    const again = definePipeline({
      ...toy,
      name: 'toy.again',
      maxRounds: 3,
      plan: (p, fetched) => (fetched.length < 2 ? [{ resourceType: 'page', resourceKey: p.id, url: `https://toy.test/${p.id}` }] : []),
    });
    const r = await runCase(
      again,
      kase({ pipeline: 'toy.again', assertions: [{ id: 'ok', path: 'name', op: 'equals', value: 'Ada' }] }),
      read,
    );
    // The runtime skips a request it already made, so the plan stops after one fetch instead of asking forever.
    expect(r.results.map((x) => [x.assertionId, x.outcome])).toEqual([
      ['plan', 'pass'],
      ['ok', 'pass'],
    ]);
    const deep = definePipeline({
      ...toy,
      name: 'toy.deep',
      maxRounds: 1,
      plan: (p, fetched) => [{ resourceType: 'page', resourceKey: `${p.id}-${fetched.length}`, url: `https://toy.test/${p.id}` }],
    });
    const d = await runCase(
      deep,
      kase({
        pipeline: 'toy.deep',
        resources: ['1-0', '1-1'].map((k) => ({ resourceType: 'page', resourceKey: k, url: 'https://toy.test/1', file: 'a.txt' })),
      }),
      read,
    );
    expect(d.error).toMatchObject({ code: 'PLAN_TOO_DEEP', category: 'parse' });
  });
});
