/** The typed client against the real Worker (its fetch handler, D1, R2, queue): what a Nest service would call. */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { TOKEN, waitForJob, withCleanState } from '../../test/helpers';
import { AdapterApiError, AdapterClient } from './adapter-client';

const client = (token = TOKEN) =>
  new AdapterClient({ baseUrl: 'http://adapter.local/', token, fetch: (req) => exports.default.fetch(req) });
const SCOPE = { track_slug: 'canberraoffroad' };

describe('AdapterClient', () => {
  withCleanState();

  it('enqueues with an idempotency key, follows the job, reads latest and history', async () => {
    const c = client();
    const first = await c.enqueue({ pipeline: 'liverc.event_catalog', params: SCOPE, idempotencyKey: 'nest-run-42' });
    expect(first.deduplicated).toBe(false);
    expect((await c.enqueue({ pipeline: 'liverc.event_catalog', params: SCOPE, idempotencyKey: 'nest-run-42' })).job.id).toBe(first.job.id);
    const conflict = await c
      .enqueue({ pipeline: 'liverc.event_catalog', params: { track_slug: 'bbrcc' }, idempotencyKey: 'nest-run-42' })
      .catch((e) => e);
    expect(conflict).toBeInstanceOf(AdapterApiError);
    expect(conflict.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await c.latest('liverc.event_catalog', { track_slug: 'nowhere' })).toBeNull();

    await waitForJob(first.job.id); // the real queue consumer runs it
    expect((await c.job(first.job.id)).state).toBe('succeeded');
    const latest = await c.latestIfChanged<{ events: unknown[] }>('liverc.event_catalog', SCOPE);
    expect(latest.envelope?.payload.events.length).toBe(100);
    expect(latest.envelope?.scope).toEqual(SCOPE);
    expect(await c.latestIfChanged('liverc.event_catalog', SCOPE, latest.etag!)).toMatchObject({ changed: false });
    expect((await c.latest('liverc.event_catalog', 'any'))?.publication.id).toBe(latest.envelope?.publication.id);
    const history = await c.history('liverc.event_catalog', SCOPE, { limit: 10 });
    expect(history.publications.map((p) => p.id)).toEqual([latest.envelope!.publication.id]);
    expect((await c.publication(latest.envelope!.publication.id)).hashes.envelope_hash).toBe(latest.envelope!.hashes.envelope_hash);
  });

  it('surfaces the API error code, message and offending fields', async () => {
    const bad = await client()
      .enqueue({ pipeline: 'liverc.event_catalog', params: { track_slug: 'Bad Slug!' } })
      .catch((e) => e);
    expect(bad).toMatchObject({ status: 400, code: 'INVALID_PARAMS' });
    expect(Object.keys(bad.details.fields)).toContain('track_slug');
    expect(
      await client('wrong-token-000000000')
        .job('00000000-0000-4000-8000-000000000000')
        .catch((e) => e.code),
    ).toBe('AUTH_INVALID');
  });
});
