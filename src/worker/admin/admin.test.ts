/** The console's routes in the Workers pool: auth, session cookie, CSRF and Origin refusal, CSP, rendering. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import eventsPage from '../../../testdata/liverc/Track.events.listing.page.html?raw';
import {
  ALICE_TOKEN,
  CATALOG,
  CATALOG_KEY,
  fixtures,
  manualDeps,
  READER_TOKEN,
  runOnce,
  TOKEN,
  withCleanState,
} from '../../../test/helpers';
import { createAdminApp } from './app';
import { jobCount, page, signIn } from './test-console';

describe('admin console', () => {
  withCleanState();

  it('sends a signed-out visitor to the sign-in page, with a strict CSP and no inline script', async () => {
    const res = await page('/jobs');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin%2Fjobs');
    const form = await page('/sign-in');
    const csp = form.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await form.text();
    expect(html).toContain('<script src="/admin/static/console.js" defer="">');
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>|style="/);
    const js = await page('/static/console.js');
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('refuses a wrong token and issues an HttpOnly, Secure, SameSite=Strict signed session for the right one', async () => {
    const bad = await page('/sign-in', { form: { token: 'not-the-token-0000000', next: '/admin' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    expect(await bad.text()).toContain('not one of the configured tokens');
    const good = await page('/sign-in', { form: { token: TOKEN, next: '/admin/jobs' } });
    expect(good.status).toBe(303);
    expect(good.headers.get('location')).toBe('/admin/jobs');
    const c = good.headers.get('set-cookie')!;
    expect(c).toMatch(/^admin_session=[^;]+/);
    expect(c).toMatch(/HttpOnly/i);
    expect(c).toMatch(/Secure/i);
    expect(c).toMatch(/SameSite=Strict/i);
    expect(c).toMatch(/Path=\/admin/);
    expect(c).toMatch(/Max-Age=28800/);
    // A tampered value fails the signature.
    const forged = c.split(';')[0]!.replace(/admin_session=\d/, 'admin_session=9');
    expect((await page('', { cookie: forged })).status).toBe(303);
    // Sign-in from another origin is refused, and an open redirect is not followed.
    expect((await page('/sign-in', { form: { token: TOKEN }, origin: 'https://evil.example' })).status).toBe(403);
    expect((await page('/sign-in', { form: { token: TOKEN, next: '//evil.example/x' } })).headers.get('location')).toBe('/admin');
  });

  it("refuses forged form posts: no CSRF token, another session's token, a foreign Origin; nothing is enqueued", async () => {
    const { cookie, csrf } = await signIn();
    const other = await signIn();
    expect(other.csrf).not.toBe(csrf);
    const run = { pipeline: 'liverc.track_catalog' };
    const noToken = await page('/run', { cookie, form: run });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('CSRF_REJECTED');
    expect((await page('/run', { cookie, form: { ...run, _csrf: other.csrf } })).status).toBe(403);
    const foreign = await page('/run', { cookie, form: { ...run, _csrf: csrf }, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('ORIGIN_REJECTED');
    expect((await page('/run', { form: { ...run, _csrf: csrf } })).status).toBe(401);
    expect(await jobCount()).toBe(0);
  });

  it('runs a pipeline from its generated form, and refuses bad params with the field named', async () => {
    const { cookie, csrf } = await signIn();
    const pipelines = await (await page('/pipelines', { cookie })).text();
    expect(pipelines).toContain('id="sync-tracks"');
    expect(pipelines).toContain('name="p.track_slug"');
    const bad = await page('/run', { cookie, form: { _csrf: csrf, pipeline: 'liverc.event_catalog', 'p.track_slug': 'Not A Slug!' } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/INVALID_PARAMS[\s\S]*track_slug/);
    expect(await jobCount()).toBe(0);
    const ok = await page('/run', {
      cookie,
      form: { _csrf: csrf, pipeline: 'liverc.event_catalog', 'p.track_slug': 'canberraoffroad', force: 'true' },
    });
    expect(ok.status).toBe(303);
    const id = /^\/admin\/jobs\/([0-9a-f-]{36})$/.exec(ok.headers.get('location')!)![1]!;
    const job = await env.DB.prepare('SELECT pipeline, force, scope_key FROM ingestion_jobs WHERE id = ?').bind(id).first();
    expect(job).toMatchObject({ pipeline: 'liverc.event_catalog', force: 1, scope_key: 'track_slug=canberraoffroad' });
    const html = await (await page(`/jobs/${id}`, { cookie })).text();
    expect(html).toContain(`data-job-id="${id}"`);
    // The transition names who requested it: the signed-in token's name, and the console session it came from.
    expect(html).toMatch(/<td>default<\/td><td><\/td><td class="msg">run from the console \(console session [0-9a-f]{8}, request /);
    expect(await env.DB.prepare('SELECT requested_by FROM ingestion_jobs WHERE id = ?').bind(id).first()).toEqual({
      requested_by: 'default',
    });
    const live = (await (await page(`/jobs/${id}/live.json`, { cookie })).json()) as Record<string, unknown>;
    expect(live).toMatchObject({ id, progress: { done: expect.any(Number), total: expect.any(Number) } });
    const cancel = await page(`/jobs/${id}/cancel`, { cookie, form: { _csrf: csrf } });
    expect(cancel.status).toBe(303);
    expect((await env.DB.prepare('SELECT state FROM ingestion_jobs WHERE id = ?').bind(id).first())?.state).toBe('cancelled');
    expect((await page(`/jobs/${id}/cancel`, { cookie, form: { _csrf: csrf } })).status).toBe(409);
  });

  it("renders a publication's diff entity by entity, and serves its envelope for download", async () => {
    const deps = manualDeps();
    await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params });
    await fixtures.routes([
      { key: CATALOG_KEY, body: eventsPage.replace('Cormcc 2025 Rudi Wensing Memorial, Clay Cup', 'Clay Cup (rescheduled)') },
    ]);
    const second = await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params });
    const pubId = second.stored.result!.publication_id as string;
    const { cookie } = await signIn();
    const html = await (await page(`/publications/${pubId}`, { cookie })).text();
    expect(html).toContain('PUBLISH_CHANGED');
    expect(html).toMatch(/~ event:\d+/);
    expect(html).toContain('Clay Cup (rescheduled)');
    expect(html).toContain('Cormcc 2025 Rudi Wensing Memorial, Clay Cup');
    expect(html).not.toContain('Lifecycle changes'); // LiveRC has no lifecycle hook
    const dl = await page(`/publications/${pubId}/envelope.json?download=1`, { cookie });
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment; filename="liverc\.event_catalog-2-/);
    expect(((await dl.json()) as { publication: { id: string } }).publication.id).toBe(pubId);
    const history = await (
      await page(`/publications/history?pipeline=${CATALOG.pipeline}&scope_key=track_slug%3Dcanberraoffroad`, { cookie })
    ).text();
    expect(history).toContain('#2');
    expect(history).toContain('#1');
    const overview = await (await page('', { cookie })).text();
    expect(overview).toContain('liverc.event_catalog');
  });

  it("edits a schedule's cron with validation and shows the next runs; enable and disable", async () => {
    const { cookie, csrf } = await signIn();
    await manualDeps().store.upsertSchedule({
      id: 't1',
      pipeline: 'liverc.track_catalog',
      params: {},
      cron: '0 3 * * *',
      enabled: true,
      nextDueAt: 0,
      createdAt: 0,
      updatedAt: 0,
    });
    const bad = await page('/schedules/t1/cron', { cookie, form: { _csrf: csrf, cron: '61 * * * *' } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/INVALID_CRON[\s\S]*cron/);
    expect((await page('/schedules/t1/cron', { cookie, form: { _csrf: csrf, cron: '*/30 * * * *' } })).status).toBe(303);
    const html = await (await page('/schedules', { cookie })).text();
    expect(html).toContain('value="*/30 * * * *"');
    expect(html.match(/\d{4}-\d\d-\d\d \d\d:(00|30):00Z/g)?.length).toBe(3);
    expect((await page('/schedules/t1/disable', { cookie, form: { _csrf: csrf } })).status).toBe(303);
    expect(await (await page('/schedules', { cookie })).text()).toContain('>Enable<');
  });

  it("a reader token signs in and sees every page with its action buttons disabled; an operator token's are enabled", async () => {
    const deps = manualDeps();
    const first = await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params });
    await deps.store.upsertSchedule({
      id: 't1',
      pipeline: 'liverc.track_catalog',
      params: {},
      cron: '0 3 * * *',
      enabled: true,
      nextDueAt: 0,
      createdAt: 0,
      updatedAt: 0,
    });
    const reader = await signIn(READER_TOKEN);
    const alice = await signIn(ALICE_TOKEN);
    const pubId = first.stored.result!.publication_id as string;
    for (const path of ['', '/pipelines', '/jobs', `/jobs/${first.id}`, '/publications', `/publications/${pubId}`, '/schedules']) {
      const html = await (await page(path, { cookie: reader.cookie })).text();
      expect(html, path).toContain('<span id="whoami" data-role="reader">nest (reader, read-only)</span>');
      const buttons = html.match(/<button [^>]*data-action[^>]*>/g) ?? [];
      for (const b of buttons) expect(b, path).toMatch(/disabled="" title="read-only token: viewing only"/);
      const mine = await (await page(path, { cookie: alice.cookie })).text();
      expect(mine, path).toContain('<span id="whoami" data-role="operator">ops-alice (operator)</span>');
      expect(mine, path).not.toContain('disabled=""');
      if (['/pipelines', '/schedules'].includes(path)) expect(buttons.length, path).toBeGreaterThan(0);
    }
  });

  it('every console action refuses a reader session with 403 ROLE_FORBIDDEN (walked from the route table), and nothing changes', async () => {
    const deps = manualDeps();
    const done = await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params });
    await deps.store.upsertSchedule({
      id: 't1',
      pipeline: 'liverc.track_catalog',
      params: {},
      cron: '0 3 * * *',
      enabled: true,
      nextDueAt: 0,
      createdAt: 0,
      updatedAt: 0,
    });
    const reader = await signIn(READER_TOKEN);
    const open = new Set(['/sign-in', '/sign-out']);
    const posts = [
      ...new Set(
        createAdminApp()
          .routes.filter((r) => r.method === 'POST' && !r.path.includes('*') && !open.has(r.path))
          .map((r) => r.path),
      ),
    ];
    expect(posts).toEqual(
      expect.arrayContaining([
        '/run',
        '/jobs/:id/cancel',
        '/jobs/:id/retry',
        '/schedules/:id/cron',
        '/schedules/:id/enable',
        '/schedules/:id/disable',
        '/jobs/:id/rerun',
        '/imports/run',
        '/deliveries/:id/redeliver',
        '/deliveries/subscriptions/:id/redeliver-dead',
      ]),
    );
    const before = await jobCount();
    for (const path of posts) {
      const concrete = path.replace(':id', path.startsWith('/jobs') ? done.id : 't1');
      const res = await page(concrete, {
        cookie: reader.cookie,
        form: { _csrf: reader.csrf, pipeline: 'liverc.track_catalog', cron: '*/5 * * * *' },
      });
      expect(res.status, path).toBe(403);
      expect(await res.text(), path).toContain('ROLE_FORBIDDEN');
    }
    expect(await jobCount()).toBe(before);
    expect((await deps.store.listSchedules())[0]).toMatchObject({ cron: '0 3 * * *', enabled: true });
    // The same form from an operator session acts, recorded under that token's name.
    const alice = await signIn(ALICE_TOKEN);
    const ok = await page('/run', { cookie: alice.cookie, form: { _csrf: alice.csrf, pipeline: 'liverc.track_catalog' } });
    expect(ok.status).toBe(303);
    const id = /([0-9a-f-]{36})$/.exec(ok.headers.get('location')!)![1]!;
    expect(await env.DB.prepare('SELECT requested_by FROM ingestion_jobs WHERE id = ?').bind(id).first()).toEqual({
      requested_by: 'ops-alice',
    });
    // Sign-out stays open to readers.
    expect((await page('/sign-out', { cookie: reader.cookie, form: { _csrf: reader.csrf } })).status).toBe(303);
  });

  it("a session names its token: a cookie re-labelled with another token's name fails the signature", async () => {
    const reader = await signIn(READER_TOKEN);
    const relabelled = reader.cookie.replace(/\.nest\./, '.ops-alice.').replace(/%2Enest%2E/i, '%2Eops-alice%2E');
    expect(relabelled).not.toBe(reader.cookie);
    expect((await page('', { cookie: relabelled })).status).toBe(303);
  });
});
