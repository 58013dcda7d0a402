/**
 * The console's imports and deliveries pages in the Workers pool, on the real queue consumers: a broken snapshot
 * dropped in incoming/ and imported from the "Import now" button shows up failed with its problems; a delivery the
 * receiver rejects shows dead on its subscription and comes back delivered after Redeliver; a finished job is
 * re-ingested (forced) from its page. Readers see, cannot act.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import nanLike from '../../../testdata/snapshots/handmade/nan-like.handmade.json?raw';
import { newSecret, receiver } from '../../../test/delivery-helpers';
import { api, fixtures, READER_TOKEN, waitForJob, withCleanState, expectErrorLogs } from '../../../test/helpers';
import { page, signIn } from './test-console';

async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 25_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 150));
  }
}

describe('console: imports and deliveries', () => {
  withCleanState({ invariants: false });
  beforeEach(() => receiver.reset());

  it('imports a dropped file from "Import now" and lists the run, the failed file and every problem', async () => {
    expectErrorLogs('job failed:SNAPSHOT_INVALID');
    const { cookie, csrf } = await signIn();
    await env.FILES.put('incoming/nan.json', nanLike);
    const empty = await (await page('/imports', { cookie })).text();
    expect(empty).toContain('No import runs yet.');
    expect(empty).toContain('id="import-now"');
    expect((await page('/imports/run', { cookie, form: {} })).status).toBe(403); // no CSRF token
    const run = await page('/imports/run', { cookie, form: { _csrf: csrf } });
    expect(run.status).toBe(303);
    const runPath = run.headers.get('location')!.replace(/^\/admin/, '');
    expect(runPath).toMatch(/^\/imports\/runs\/[0-9a-f-]{36}$/);
    // The page reconciles the ledger with the finished job, as the API's listing does.
    const runHtml = await until(async () => {
      const html = await (await page(runPath, { cookie })).text();
      return html.includes('state-failed') ? html : null;
    });
    expect(runHtml).toContain('incoming/nan.json');
    expect(runHtml).toMatch(/1 seen · 0 queued · 0 imported · 0 duplicate · 1 failed/);
    const index = await (await page('/imports', { cookie })).text();
    expect(index).toMatch(/<table id="import-runs">[\s\S]*import_now[\s\S]*<\/table>/);
    expect(index).toMatch(/<table id="failed-files">[\s\S]*incoming\/nan\.json[\s\S]*expected a finite number, got Infinity/);
    const fileId = /href="\/admin\/imports\/files\/([0-9a-f-]{36})"/.exec(index)![1]!;
    const file = await (await page(`/imports/files/${fileId}`, { cookie })).text();
    expect(file).toContain('Problems (4)');
    for (const m of ['got Infinity', 'got &quot;NaN&quot;', 'got &quot;-&quot;', 'got &quot;&quot;']) expect(file).toContain(m);
    expect(file).toContain('/records/1/points_per_game');
    const failedOnly = await (await page('/imports/files?status=failed', { cookie })).text();
    expect(failedOnly).toContain('incoming/nan.json');
    expect(await (await page('/imports/files?status=imported', { cookie })).text()).toContain('No files match.');
    const bad = await page('/imports/files?status=lost', { cookie });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/INVALID_QUERY[\s\S]*status/);
    expect((await page(`/imports/runs/${crypto.randomUUID()}`, { cookie })).status).toBe(404);
    expect((await page('/imports/runs/not-a-uuid', { cookie })).status).toBe(400);

    const reader = await signIn(READER_TOKEN);
    const seen = await (await page('/imports', { cookie: reader.cookie })).text();
    expect(seen).toMatch(/id="import-now"[^>]*disabled/);
    const refused = await page('/imports/run', { cookie: reader.cookie, form: { _csrf: reader.csrf } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('ROLE_FORBIDDEN');
  });

  it('shows a rejected delivery dead on its subscription, and Redeliver sends it again (operator, with CSRF)', async () => {
    expectErrorLogs('delivery dead-lettered; its scope stream waits until it is redelivered:');
    await fixtures.routes([{ key: 'dlvconsole.liverc.com/events/', file: 'liverc/Track.events.listing.page.html' }]);
    const secret = newSecret();
    await receiver.secret('console', secret);
    const created = await api('/subscriptions', {
      method: 'POST',
      json: { url: receiver.url('console'), secret, pipelines: ['liverc.event_catalog'], description: 'nest backend' },
    });
    const subId = ((await created.json()) as any).subscription.id as string;
    // 410: the receiver refuses it for good, so the delivery is dead after one attempt.
    await receiver.behaviour('console', { fail: 1, status: 410 });
    const job = await api('/jobs', { method: 'POST', json: { pipeline: 'liverc.event_catalog', params: { track_slug: 'dlvconsole' } } });
    await waitForJob(((await job.json()) as any).job.id);
    const { cookie, csrf } = await signIn();
    const subPath = `/deliveries/subscriptions/${subId}`;
    const dead = await until(async () => {
      const html = await (await page(subPath, { cookie })).text();
      return html.includes('state-dead') ? html : null;
    });
    expect(dead).toContain('RECEIVER_REJECTED: HTTP 410');
    expect(dead).toMatch(/0 pending \(0 blocked\) · 0 delivered · 1 dead/);
    const index = await (await page('/deliveries', { cookie })).text();
    expect(index).toContain(`<tr id="subscription-${subId}">`);
    expect(index).toContain(receiver.url('console'));
    expect(index).toContain(`/admin/deliveries/subscriptions/${subId}/redeliver-dead`);
    const deliveryId = /id="redeliver-(msg_[0-9a-f-]{36}_[0-9a-f-]{36})"/.exec(dead)![1]!;

    // Forged (no CSRF token) and reader posts change nothing.
    expect((await page(`/deliveries/${deliveryId}/redeliver`, { cookie, form: {} })).status).toBe(403);
    const reader = await signIn(READER_TOKEN);
    expect(await (await page(subPath, { cookie: reader.cookie })).text()).toMatch(new RegExp(`id="redeliver-${deliveryId}"[^>]*disabled`));
    const refused = await page(`/deliveries/${deliveryId}/redeliver`, { cookie: reader.cookie, form: { _csrf: reader.csrf } });
    expect(await refused.text()).toContain('ROLE_FORBIDDEN');
    expect((await receiver.log()).length).toBe(1);

    const res = await page(`/deliveries/${deliveryId}/redeliver`, { cookie, form: { _csrf: csrf } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin${subPath}`);
    const delivered = await until(async () => {
      const html = await (await page(`${subPath}?status=delivered`, { cookie })).text();
      return html.includes('state-delivered') ? html : null;
    });
    expect(delivered).toMatch(/0 pending \(0 blocked\) · 1 delivered · 0 dead/);
    expect((await receiver.log()).map((r) => [r.status, r.verified])).toEqual([
      [410, true],
      [204, true],
    ]);
    const bad = await page('/deliveries/not-a-delivery/redeliver', { cookie, form: { _csrf: csrf } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('INVALID_DELIVERY_ID');
    expect((await page(`/deliveries/subscriptions/${subId}?status=lost`, { cookie })).status).toBe(400);
  });

  it('"Redeliver dead" sends every dead delivery of one subscription again', async () => {
    expectErrorLogs('delivery dead-lettered; its scope stream waits until it is redelivered:');
    await fixtures.routes([{ key: 'dlvbulk.liverc.com/events/', file: 'liverc/Track.events.listing.page.html' }]);
    const secret = newSecret();
    await receiver.secret('bulk', secret);
    const created = await api('/subscriptions', {
      method: 'POST',
      json: { url: receiver.url('bulk'), secret, pipelines: ['liverc.event_catalog'] },
    });
    const subId = ((await created.json()) as any).subscription.id as string;
    await receiver.behaviour('bulk', { fail: 1, status: 400 });
    const job = await api('/jobs', { method: 'POST', json: { pipeline: 'liverc.event_catalog', params: { track_slug: 'dlvbulk' } } });
    await waitForJob(((await job.json()) as any).job.id);
    const { cookie, csrf } = await signIn();
    const counts = async () =>
      /id="subscription-counts">([^<]*)</.exec(await (await page(`/deliveries/subscriptions/${subId}`, { cookie })).text())?.[1] ?? '';
    await until(async () => (await counts()).includes('1 dead'));
    const res = await page(`/deliveries/subscriptions/${subId}/redeliver-dead`, { cookie, form: { _csrf: csrf } });
    expect(res.status).toBe(303);
    await until(async () => (await counts()).includes('1 delivered'));
    expect((await receiver.log()).map((r) => r.status)).toEqual([400, 204]);
    expect((await page(`/deliveries/subscriptions/${crypto.randomUUID()}/redeliver-dead`, { cookie, form: { _csrf: csrf } })).status).toBe(
      404,
    );
  });

  it('re-ingests a finished job from its page: same params, forced, published again, the old job named in the reason', async () => {
    await fixtures.routes([{ key: 'rerun.liverc.com/events/', file: 'liverc/Track.events.listing.page.html' }]);
    const job = await api('/jobs', { method: 'POST', json: { pipeline: 'liverc.event_catalog', params: { track_slug: 'rerun' } } });
    const first = ((await job.json()) as any).job.id as string;
    await waitForJob(first);
    const { cookie, csrf } = await signIn();
    expect(await (await page(`/jobs/${first}`, { cookie })).text()).toContain('id="rerun-job"');
    const res = await page(`/jobs/${first}/rerun`, { cookie, form: { _csrf: csrf } });
    expect(res.status).toBe(303);
    const second = /([0-9a-f-]{36})$/.exec(res.headers.get('location')!)![1]!;
    expect(second).not.toBe(first);
    const done = await waitForJob(second);
    expect(done.job).toMatchObject({ pipeline: 'liverc.event_catalog', params: { track_slug: 'rerun' }, force: true, state: 'succeeded' });
    expect(done.job.result.decision).toBe('PUBLISH_FORCED');
    expect(JSON.stringify(done.transitions)).toContain(`re-ingest of job ${first} from the console`);
    expect((await page(`/jobs/${crypto.randomUUID()}/rerun`, { cookie, form: { _csrf: csrf } })).status).toBe(404);
  });

  it('keeps a response’s own stricter CSP (raw snapshots are sandboxed) and sends the strict one everywhere else', async () => {
    const { cookie } = await signIn();
    for (const path of ['', '/imports', '/deliveries', '/nope'])
      expect((await page(path, { cookie })).headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'/);
    await fixtures.routes([{ key: 'cspcheck.liverc.com/events/', file: 'liverc/Track.events.listing.page.html' }]);
    const job = await api('/jobs', { method: 'POST', json: { pipeline: 'liverc.event_catalog', params: { track_slug: 'cspcheck' } } });
    const id = ((await job.json()) as any).job.id as string;
    await waitForJob(id);
    const html = await (await page(`/jobs/${id}`, { cookie })).text();
    const sha = /href="\/admin\/snapshots\/([0-9a-f]{64})"/.exec(html)![1]!;
    const raw = await page(`/snapshots/${sha}`, { cookie });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
