/**
 * The console in a real browser: headless Chromium against `wrangler dev` (local D1, R2, Queues, Durable Objects)
 * fed by the fixture server. Sign-in, a LiveRC track sync from its button watched to done, a publication's diff after
 * a changed fixture, a running job cancelled, a failed sign-in and forged posts refused. CONSOLE_SCREENSHOTS=1 also
 * writes docs/console-*.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startStack } from '../dev-stack.mjs';
import { launchBrowser } from './browser.mjs';

type Stack = Awaited<ReturnType<typeof startStack>>;
/** A read-only API_TOKENS entry beside the operator token. */
const READER = 'reader-token-0123456789';
let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const shots = process.env.CONSOLE_SCREENSHOTS === '1';
const shot = async (name: string) => {
  if (shots) await page.screenshot({ path: join(ROOT, 'docs', `console-${name}.png`), fullPage: false });
};
const control = (path: string, body: unknown) =>
  fetch(`${stack.fixtures.url}/__control/${path}`, { method: 'POST', body: JSON.stringify(body) });
const badgeText = () => page.locator('#job-state [data-state]').textContent();
const jobCount = async () => ((await (await stack.api('/jobs?limit=200')).json()) as { jobs: unknown[] }).jobs.length;

async function signIn(token: string) {
  await page.goto(`${stack.url}/admin`);
  await page.fill('#token', token);
  await page.click('#sign-in button[type=submit]');
}

describe('admin console in Chromium', () => {
  beforeAll(async () => {
    stack = await startStack({ vars: { PROVIDER_RATE_OVERRIDE: '1000', API_TOKENS: `nest:reader:${READER}` } });
    browser = await launchBrowser();
    page = await browser.context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('refuses a wrong token, then signs in with the operator token', async () => {
    await signIn('not-the-operator-token');
    await expect.poll(() => page.locator('#sign-in-error').textContent()).toContain('not one of the configured tokens');
    expect((await browser.context.cookies()).find((c) => c.name === 'admin_session')).toBeUndefined();
    await signIn(stack.token);
    await page.waitForURL(`${stack.url}/admin`);
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'admin_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
    expect(await page.locator('h1').textContent()).toBe('Overview');
  });

  it('runs a LiveRC track sync from the button and watches its progress reach done', async () => {
    // The catalogue answers slowly, so the job is seen running before it finishes.
    await control('routes', [{ key: 'live.liverc.com/', file: 'liverc/Track.catalogue.page.html', delayMs: 2500 }]);
    await page.goto(`${stack.url}/admin/pipelines`);
    await shot('pipelines');
    await page.click('#sync-tracks');
    await page.waitForURL(/\/admin\/jobs\/[0-9a-f-]{36}$/);
    await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 1));
    await expect.poll(badgeText, { timeout: 20_000 }).toBe('running');
    // Still the same document: the state changed in place, without a reload.
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker)).toBe(1);
    await expect.poll(badgeText, { timeout: 30_000 }).toBe('succeeded');
    expect(await page.locator('#job-progress-text').textContent()).toBe('1/1');
    expect(await page.locator('#decision').textContent()).toContain('PUBLISH_FIRST');
    expect(await page.locator('#snapshots tbody tr').count()).toBe(1);
    await shot('job');
  });

  it("syncs one track's events, and shows the publication's diff after a changed fixture", async () => {
    const run = async () => {
      await page.goto(`${stack.url}/admin/pipelines`);
      await page.fill('#liverc-actions input[name="p.track_slug"]', 'canberraoffroad');
      await page.click('#sync-events');
      await page.waitForURL(/\/admin\/jobs\/[0-9a-f-]{36}$/);
      await expect.poll(badgeText, { timeout: 30_000 }).toBe('succeeded');
    };
    await run();
    const listing = readFileSync(join(ROOT, 'testdata/liverc/Track.events.listing.page.html'), 'utf8');
    await control('routes', [
      {
        key: 'canberraoffroad.liverc.com/events/',
        body: listing.replace('Cormcc 2025 Rudi Wensing Memorial, Clay Cup', 'Clay Cup (moved to Sunday)'),
      },
    ]);
    await run();
    expect(await page.locator('#decision').textContent()).toContain('PUBLISH_CHANGED');
    await page.click('#publication-link');
    await page.waitForURL(/\/admin\/publications\/[0-9a-f-]{36}$/);
    const diff = (await page.locator('#diff').textContent()) ?? '';
    expect(diff).toMatch(/~ event:\d+/);
    expect(diff).toContain('Clay Cup (moved to Sunday)');
    expect(diff).toContain('Cormcc 2025 Rudi Wensing Memorial, Clay Cup');
    const download = page.waitForEvent('download');
    await page.click('#download-envelope');
    expect((await download).suggestedFilename()).toMatch(/^liverc\.event_catalog-2-.*\.json$/);
    await shot('publication');
  });

  it('cancels a running job from its page', async () => {
    // Slow race pages keep the deep ingestion running long enough to cancel it.
    await control(
      'routes',
      ['6304829', '6304822'].map((id) => ({
        key: `canberraoffroad.liverc.com/results/?id=${id}&p=view_race_result`,
        body: '<html></html>',
        delayMs: 10_000,
      })),
    );
    await page.goto(`${stack.url}/admin/pipelines`);
    const form = page.locator('#pipeline-liverc\\.event_deep form');
    await form.locator('input[name="p.track_slug"]').fill('canberraoffroad');
    await form.locator('input[name="p.event_id"]').fill('486677');
    await form.locator('button[type=submit]').click();
    await page.waitForURL(/\/admin\/jobs\/[0-9a-f-]{36}$/);
    await expect.poll(badgeText, { timeout: 20_000 }).toBe('running');
    await page.click('#cancel-job');
    await expect.poll(badgeText, { timeout: 10_000 }).toBe('cancelled');
    expect(await page.locator('#transitions').textContent()).toMatch(/cancelled from the console/);
    expect(await page.locator('#cancel-job').count()).toBe(0);
  });

  it("refuses forged posts: another origin's form, and a same-origin post without the CSRF token", async () => {
    const before = await jobCount();
    // A page on another origin (the fixture server's port) posting to the console; the browser attaches the cookie
    // (same site), the Origin check refuses it.
    await control('routes', [
      {
        key: 'evil.example/form',
        body: `<form method="post" action="${stack.url}/admin/run"><input name="pipeline" value="liverc.track_catalog"><button id="go">go</button></form>`,
      },
    ]);
    await page.goto(`${stack.fixtures.url}/evil.example/form`);
    await page.click('#go');
    await expect
      .poll(
        () =>
          page
            .locator('#error-code')
            .textContent()
            .catch(() => null),
        { timeout: 10_000 },
      )
      .toBe('ORIGIN_REJECTED');
    await page.goto(`${stack.url}/admin/jobs`);
    const status = await page.evaluate(
      async () =>
        (
          await fetch('/admin/run', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'pipeline=liverc.track_catalog',
          })
        ).status,
    );
    expect(status).toBe(403);
    expect(await jobCount()).toBe(before);
    await shot('jobs');
  });

  it('shows the overview and the schedules with their next runs', async () => {
    await fetch(`${stack.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('* * * * *')}`); // seeds the default schedules
    await page.goto(`${stack.url}/admin/schedules`);
    await expect.poll(() => page.locator('#schedules tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await shot('schedules');
    await page.goto(`${stack.url}/admin`);
    expect(await page.locator('#jobs-by-state').textContent()).toContain('liverc.track_catalog');
    await shot('overview');
  });

  it('a reader token sees the console with its actions disabled, and a forced post is refused with ROLE_FORBIDDEN', async () => {
    await page.goto(`${stack.url}/admin`);
    expect(await page.locator('#whoami').textContent()).toBe('default (operator)');
    await page.click('header form[action="/admin/sign-out"] button');
    await page.waitForURL(/\/admin\/sign-in/);
    await signIn(READER);
    await page.waitForURL(`${stack.url}/admin`);
    expect(await page.locator('#whoami').textContent()).toBe('nest (reader, read-only)');
    await page.goto(`${stack.url}/admin/pipelines`);
    expect(await page.locator('#sync-tracks').isDisabled()).toBe(true);
    expect(await page.locator('#sync-events').isDisabled()).toBe(true);
    expect(await page.locator('#sync-tracks').getAttribute('title')).toBe('read-only token: viewing only');
    await shot('reader');
    const before = await jobCount();
    // The form the page carries, posted anyway (same origin, this session's CSRF token): the role check refuses it.
    const csrf = await page.locator('#liverc-actions input[name="_csrf"]').first().inputValue();
    const status = await page.evaluate(async (body) => {
      const res = await fetch('/admin/run', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      return { status: res.status, text: await res.text() };
    }, new URLSearchParams({ _csrf: csrf, pipeline: 'liverc.track_catalog' }).toString());
    expect(status.status).toBe(403);
    expect(status.text).toContain('ROLE_FORBIDDEN');
    expect(await jobCount()).toBe(before);
    await page.goto(`${stack.url}/admin/schedules`);
    const buttons = page.locator('#schedules button[data-action]');
    expect(await buttons.count()).toBeGreaterThan(0);
    for (let i = 0; i < (await buttons.count()); i++) expect(await buttons.nth(i).isDisabled()).toBe(true);
  });
});
