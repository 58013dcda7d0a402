/** The API's rough edges a downstream developer hit (issue 13): each case failed before its fix. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, CATALOG, CATALOG_KEY, fixtures, manualDeps, runOnce, withCleanState, captureErrorLogs } from './helpers';

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; details?: any } }).error;
const enqueue = (json: unknown) => api('/jobs', { method: 'POST', json });

describe('API contract edges', () => {
  withCleanState();

  it('keeps the global scope and "the pipeline\'s latest of any scope" apart', async () => {
    const deps = manualDeps();
    const us = await runOnce(deps, 'smoothcomp.event_catalog', { country: 'US', event_type: 'grappling' });
    expect(us.out.kind).toBe('succeeded');
    // No filters names the global scope, which has no publication yet: not some other scope's.
    const global = await api('/publications/latest?pipeline=smoothcomp.event_catalog');
    expect(global.status).toBe(404);
    expect((await errorOf(global)).message).toMatch(/global scope/);
    const history = await api('/publications?pipeline=smoothcomp.event_catalog');
    expect(history.status).toBe(200);
    expect(await history.json()).toMatchObject({ scope_key: 'all', publications: [] });
    // The pipeline's latest of any scope is its own, explicit request.
    const any = await api('/publications/latest?pipeline=smoothcomp.event_catalog&scope=any');
    expect(any.status).toBe(200);
    expect(((await any.json()) as any).scope_key).toBe('country=us&event_type=grappling');
    expect((await errorOf(await api('/publications/latest?pipeline=smoothcomp.event_catalog&scope=any&country=us'))).code).toBe(
      'SCOPE_CONFLICT',
    );
    expect(
      (await errorOf(await api('/publications/latest?pipeline=smoothcomp.event_catalog&scope=every'))).details.fields.scope,
    ).toBeDefined();
    // A pipeline without a global scope says what is missing and how to ask for any scope.
    const required = await errorOf(await api('/publications/latest?pipeline=liverc.event_deep'));
    expect(required.code).toBe('SCOPE_REQUIRED');
    expect(required.message).toMatch(/scope=any/);
    // The academy catalogue's global scope (no country) is readable the same way: history is not SCOPE_REQUIRED.
    const academies = await api('/publications?pipeline=smoothcomp.academy_catalog');
    expect(academies.status).toBe(200);
    expect(await academies.json()).toMatchObject({ scope_key: 'all', publications: [] });
    expect((await errorOf(await api('/publications/latest?pipeline=smoothcomp.academy_catalog'))).message).toMatch(/global scope/);
  });

  it('answers a partial scope with 400 naming the missing scope params', async () => {
    const res = await api('/publications/latest?pipeline=liverc.event_deep&event_id=486677');
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.code).toBe('MISSING_SCOPE_PARAMS');
    expect(e.details.missing).toEqual(['track_slug']);
    expect(e.details.fields.track_slug).toBeDefined();
  });

  it('refuses an idempotency key reused for a different request with 409', async () => {
    const first = await enqueue({ ...CATALOG, idempotency_key: 'nest-import-1' });
    expect(first.status).toBe(202);
    const replay = await enqueue({ ...CATALOG, idempotency_key: 'nest-import-1' });
    expect(replay.status).toBe(200);
    const other = await enqueue({ pipeline: 'liverc.event_catalog', params: { track_slug: 'bbrcc' }, idempotency_key: 'nest-import-1' });
    expect(other.status).toBe(409);
    const e = await errorOf(other);
    expect(e.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(e.details.fields.params).toBeDefined();
    expect(e.details.job_id).toBe(((await first.json()) as any).job.id);
  });

  it('names unknown body fields and query params, and refuses __proto__ keys', async () => {
    const body = await errorOf(await enqueue({ ...CATALOG, priority: 9 }));
    expect(body.code).toBe('INVALID_REQUEST');
    expect(body.details.fields).toEqual({ priority: ['unknown field'] });
    const query = await errorOf(await api('/jobs?colour=red'));
    expect(query.code).toBe('INVALID_QUERY');
    expect(query.details.fields).toEqual({ colour: ['unknown field'] });
    const proto = await api('/jobs', {
      method: 'POST',
      body: '{"pipeline":"liverc.event_catalog","params":{"track_slug":"canberraoffroad","__proto__":{"x":1}}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(proto.status).toBe(400);
    const pe = await errorOf(proto);
    expect(pe.code).toBe('FORBIDDEN_KEY');
    expect(pe.details.fields['params.__proto__']).toBeDefined();
    expect((await env.DB.prepare('SELECT count(*) AS n FROM ingestion_jobs').first<{ n: number }>())!.n).toBe(0);
  });

  it('bounds string params the same way for enqueue and lookup', async () => {
    const long = 'a'.repeat(5000);
    const enq = await errorOf(await enqueue({ pipeline: 'liverc.event_catalog', params: { track_slug: long } }));
    expect(enq.code).toBe('INVALID_PARAMS');
    expect(enq.details.fields.track_slug).toBeDefined();
    const slug64 = 'a'.repeat(64);
    expect(
      (await errorOf(await enqueue({ pipeline: 'liverc.event_catalog', params: { track_slug: slug64 } }))).details.fields.track_slug,
    ).toBeDefined();
    const look = await errorOf(await api(`/publications/latest?pipeline=liverc.event_catalog&track_slug=${slug64}`));
    expect(look.code).toBe('INVALID_SCOPE_FILTER');
    expect(look.details.fields.track_slug).toBeDefined();
    expect((await errorOf(await api('/publications/latest?pipeline=liverc.event_catalog&track_slug=Bad%20Slug'))).code).toBe(
      'INVALID_SCOPE_FILTER',
    );
  });

  it('canonicalizes scope values (strings, lowercase) in the envelope, lookups and scope key', async () => {
    const deps = manualDeps();
    const run = await runOnce(deps, 'smoothcomp.event_catalog', { country: 'US', event_type: 'Grappling' });
    expect(run.stored.scopeKey).toBe('country=us&event_type=grappling');
    const res = await api('/publications/latest?pipeline=smoothcomp.event_catalog&country=us&event_type=GRAPPLING');
    expect(res.status).toBe(200);
    const envelope = (await res.json()) as any;
    expect(envelope.scope).toEqual({ country: 'us', event_type: 'grappling' });
    expect(envelope.scope_key).toBe('country=us&event_type=grappling');
    // A number names the same scope as its string, and the envelope carries the string.
    const numeric = await runOnce(deps, 'smoothcomp.event_detail', { event_id: 14675 });
    expect(numeric.stored.scopeKey).toBe('event_id=14675');
    const detail = (await (await api('/publications/latest?pipeline=smoothcomp.event_detail&event_id=14675')).json()) as any;
    expect(detail.scope).toEqual({ event_id: '14675' });
  });

  it('validates ids, limits and list endpoints one way', async () => {
    const upper = await api('/jobs/0000ABCD-0000-4000-8000-00000000000F');
    expect(upper.status).toBe(404);
    expect((await errorOf(upper)).code).toBe('JOB_NOT_FOUND');
    expect((await errorOf(await api(`/jobs/${'-'.repeat(36)}`))).code).toBe('INVALID_JOB_ID');
    expect((await errorOf(await api(`/publications/${'-'.repeat(36)}`))).code).toBe('INVALID_PUBLICATION_ID');
    for (const bad of ['0x10', '1e2', '10.0', '0', '201', '-1', ' 5']) {
      const jobs = await errorOf(await api(`/jobs?limit=${encodeURIComponent(bad)}`));
      const pubs = await errorOf(
        await api(`/publications?pipeline=liverc.event_catalog&track_slug=canberraoffroad&limit=${encodeURIComponent(bad)}`),
      );
      expect([bad, jobs.code, pubs.code]).toEqual([bad, 'INVALID_QUERY', 'INVALID_QUERY']);
      expect(jobs.details.fields.limit).toBeDefined();
      expect(pubs.details.fields.limit).toBeDefined();
    }
    expect((await api('/publications?pipeline=liverc.event_catalog&track_slug=canberraoffroad&limit=200')).status).toBe(200);
    expect((await api('/jobs?limit=200')).status).toBe(200);
  });

  it('reports progress of finished jobs, and history carries change counts under their own name', async () => {
    const deps = manualDeps();
    const run = await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params });
    expect(run.out.kind).toBe('succeeded');
    const job = ((await (await api(`/jobs/${run.id}`)).json()) as any).job;
    expect(job.progress).toEqual({ done: 1, total: 1, unit: 'resource' });
    const history = (await (await api('/publications?pipeline=liverc.event_catalog&track_slug=canberraoffroad')).json()) as any;
    expect(history.publications[0].change_counts).toEqual({ added: 100, removed: 0, changed: 0 });
    expect(history.publications[0].changes).toBeUndefined();
  });

  it('keeps block pages and error responses as raw snapshots (evidence)', async () => {
    const logs = captureErrorLogs();
    const deps = manualDeps();
    const blocked = await runOnce(deps, 'smoothcomp.event_detail', { event_id: '31002' });
    expect(blocked.out).toEqual({ kind: 'failed', code: 'PROVIDER_BLOCKED' });
    expect(logs.errors).toEqual([expect.objectContaining({ msg: 'job failed', job_id: blocked.id, error_code: 'PROVIDER_BLOCKED' })]);
    const detail = (await (await api(`/jobs/${blocked.id}`)).json()) as any;
    expect(detail.snapshots.length).toBeGreaterThan(0);
    const page = detail.snapshots.at(-1);
    expect(page.url).toMatch(/\/event\/31002/);
    const raw = await api(`/snapshots/${page.sha256}`);
    expect(raw.status).toBe(200);
    expect((await raw.arrayBuffer()).byteLength).toBe(page.size_bytes);

    await fixtures.routes([{ key: CATALOG_KEY, status: 503, body: '<h1>upstream down</h1>', times: 1 }]);
    const down = await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params });
    expect(down.out).toMatchObject({ kind: 'retry', code: 'PROVIDER_5XX' });
    const snaps = ((await (await api(`/jobs/${down.id}`)).json()) as any).snapshots;
    expect(snaps.map((x: any) => [x.attempt_number, x.status])).toEqual([[1, 503]]);
  });
});
