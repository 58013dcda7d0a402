/**
 * Bodies that arrive as a 200 but are not the page: cut short (with a Content-Length that says so, and chunked with
 * nothing at the HTTP layer to say so), the wrong content type, a challenge page, an oversized body. Each must end
 * as a classified error or a correct parse, never a publication of a half page. Real runtime (handleJobMessage, D1, R2,
 * the ScopePublisher DO) against the fixture server's fault injection.
 */
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import pageA from '../testdata/liverc/Track.events.listing.page.html?raw';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { withCleanState, runOnce, clock, fixtures, manualDeps, CATALOG, CATALOG_KEY, expectErrorLogs } from './helpers';

const stats = async () => (await (await fetch(`${env.FIXTURE_CONTROL_URL}/__control/stats`)).json()) as { faults: Record<string, number> };
const publications = async () => (await env.DB.prepare(`SELECT count(*) AS n FROM published_results`).first<{ n: number }>())!.n;

/** One attempt of the catalog job with every request answered by `fault`; returns the outcome and its classification. */
async function underFault(fault: string, extra: Record<string, number> = {}) {
  await fixtures.faults({ [fault]: 1, seed: 3, ...extra });
  const deps = manualDeps();
  const r = await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params }, { maxAttempts: 1 });
  await fixtures.faults(null);
  expect((await stats()).faults[fault], `${fault} was injected`).toBeGreaterThan(0);
  return r;
}

describe('truncated and wrong bodies never publish a half page', () => {
  withCleanState();

  it('a 200 whose socket closes before the announced Content-Length is a retryable PROVIDER_TRUNCATED', async () => {
    expectErrorLogs('job exhausted:PROVIDER_TRUNCATED');
    const r = await underFault('rateCutWithLength');
    expect(r.out).toEqual({ kind: 'exhausted', code: 'PROVIDER_TRUNCATED' });
    expect(r.stored).toMatchObject({ lastErrorCategory: 'network' });
    expect(await publications()).toBe(0);
  });

  it('a chunked 200 ending cleanly half-way through the HTML is a retryable PROVIDER_TRUNCATED; then the whole page lands', async () => {
    expectErrorLogs('job exhausted:PROVIDER_TRUNCATED');
    const r = await underFault('rateCutNoLength');
    expect(r.out).toEqual({ kind: 'exhausted', code: 'PROVIDER_TRUNCATED' });
    expect(await publications()).toBe(0);
    // The same route, cut by the route itself (not the fault dice), then whole: the retry publishes the full page.
    await fixtures.routes([{ key: CATALOG_KEY, body: pageA, contentType: 'text/html; charset=utf-8', cut: 'chunked', times: 1 }]);
    const c = clock();
    const deps = manualDeps({ clock: c });
    const again = await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params }, { maxAttempts: 3 });
    expect(again.out).toMatchObject({ kind: 'retry', code: 'PROVIDER_TRUNCATED' });
    c.advance(60_000);
    expect((await handleJobMessage(deps, again.id)).kind).toBe('succeeded');
    const pub = await env.DB.prepare(`SELECT entity_count FROM published_results`).first<{ entity_count: number }>();
    expect(pub!.entity_count).toBe(100);
  });

  it('a JSON error document where the HTML page belongs ends as a classified error, not an empty catalog', async () => {
    expectErrorLogs('job failed:EVENTS_TABLE_MISSING');
    const r = await underFault('rateWrongType');
    expect(['failed', 'exhausted']).toContain(r.out.kind);
    expect(r.stored.lastErrorCode, 'a classified error').toMatch(/^[A-Z_]+$/);
    expect(['provider', 'parse', 'validation']).toContain(r.stored.lastErrorCategory);
    expect(await publications()).toBe(0);
  });

  it('the right page under a wrong content type parses to the same publication as under text/html', async () => {
    const deps = manualDeps();
    const clean = await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params });
    expect(clean.out.kind).toBe('succeeded');
    await fixtures.routes([{ key: CATALOG_KEY, body: pageA, contentType: 'text/plain' }]);
    const plain = await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params }, { force: true });
    expect(plain.out.kind).toBe('succeeded');
    expect(plain.stored.result!.normalized_hash).toBe(clean.stored.result!.normalized_hash);
  });

  it('a 200 challenge page is a non-retryable PROVIDER_BLOCKED, not a parse of the interstitial', async () => {
    expectErrorLogs('job failed:PROVIDER_BLOCKED');
    const r = await underFault('rateChallenge');
    expect(r.out).toEqual({ kind: 'failed', code: 'PROVIDER_BLOCKED' });
    expect(r.stored.lastErrorCategory).toBe('provider');
    expect(await publications()).toBe(0);
  });

  it('an oversized body is refused as RESPONSE_TOO_LARGE from its announced length, before it is buffered', async () => {
    expectErrorLogs('job failed:RESPONSE_TOO_LARGE');
    const r = await underFault('rateOversized', { oversizedBytes: 21 * 1024 * 1024 });
    expect(r.out).toEqual({ kind: 'failed', code: 'RESPONSE_TOO_LARGE' });
    expect(await publications()).toBe(0);
  });
});
