/**
 * The console's Imports and Deliveries pages in headless Chromium against `wrangler dev` (local D1, R2, Queues, the
 * job and delivery consumers) with the fixture server and the loopback webhook receiver: "Import now" from its button,
 * a broken snapshot's failure with every problem, a delivery the receiver rejected shown dead and redelivered from its
 * button, a finished job re-ingested from its page, and a reader token that sees both pages with their buttons
 * disabled. CONSOLE_SCREENSHOTS=1 also writes
 * docs/console-imports.png, docs/console-import-file.png, docs/console-deliveries.png and docs/console-subscription.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startStack, waitForJob } from '../dev-stack.mjs';
import { startWebhookReceiver } from '../webhook-receiver.mjs';
import { launchBrowser } from './browser.mjs';

type Stack = Awaited<ReturnType<typeof startStack>>;
const READER = 'reader-token-0123456789';
const SECRET = `whsec_${Buffer.from('console-browser-test-secret-0001').toString('base64')}`;
let stack: Stack;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const shots = process.env.CONSOLE_SCREENSHOTS === '1';
const shot = async (name: string) => {
  if (shots) await page.screenshot({ path: join(ROOT, 'docs', `console-${name}.png`), fullPage: false });
};
const hook = (path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${receiver.port}/__control/${path}`, { method: 'POST', body: JSON.stringify(body) });
const hookLog = async () =>
  (
    (await (await fetch(`http://127.0.0.1:${receiver.port}/__control/log`)).json()) as {
      requests: Array<{ status: number; verified: boolean }>;
    }
  ).requests;

async function signIn(token: string) {
  await page.goto(`${stack.url}/admin`);
  await page.fill('#token', token);
  await page.click('#sign-in button[type=submit]');
  await page.waitForURL(`${stack.url}/admin`);
}

/** Reloads `path` until `probe` holds (the ledger and the outbox move in the background). */
async function reloadUntil(path: string, probe: () => Promise<boolean>, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await page.goto(`${stack.url}${path}`);
    if (await probe()) return;
    if (Date.now() > until) throw new Error(`${path}: condition not met after ${timeoutMs} ms`);
    await new Promise((ok) => setTimeout(ok, 500));
  }
}

describe('console imports and deliveries in Chromium', () => {
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    stack = await startStack({
      vars: { PROVIDER_RATE_OVERRIDE: '1000', API_TOKENS: `nest:reader:${READER}`, DELIVERY_ALLOWED_HOSTS: '127.0.0.1' },
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await signIn(stack.token);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await receiver?.close();
  });

  it('imports from the "Import now" button, and shows a broken file failed with every problem', async () => {
    await page.goto(`${stack.url}/admin/imports`);
    expect(await page.locator('#import-runs').textContent()).toContain('No import runs yet.');
    await page.click('#import-now');
    await page.waitForURL(/\/admin\/imports\/runs\/[0-9a-f-]{36}$/);
    expect(await page.locator('#import-run').textContent()).toContain('import_now');
    // A snapshot with four bad values, uploaded the way a feed would post it.
    const bad = readFileSync(join(ROOT, 'testdata/snapshots/handmade/nan-like.handmade.json'));
    const up = await stack.api('/imports/files?name=feed/nan.json', { method: 'POST', body: bad });
    expect(up.status).toBe(202);
    await reloadUntil('/admin/imports', async () => (await page.locator('#failed-files tbody tr').count()) === 1);
    const failed = (await page.locator('#failed-files').textContent()) ?? '';
    expect(failed).toContain('incoming/feed/nan.json');
    expect(failed).toContain('expected a finite number, got Infinity');
    expect(failed).toContain('1 more');
    expect(await page.locator('#import-runs tbody tr').count()).toBe(2);
    await shot('imports');
    await page.click('#failed-files a[href^="/admin/imports/files/"]');
    await page.waitForURL(/\/admin\/imports\/files\/[0-9a-f-]{36}$/);
    expect(await page.locator('h2').first().textContent()).toBe('Problems (4)');
    const problems = (await page.locator('#file-problems').textContent()) ?? '';
    for (const p of ['/records/0/minutes_per_game', '/records/0/fg_pct', '/records/0/ft_pct', '/records/1/points_per_game'])
      expect(problems).toContain(p);
    await shot('import-file');
  });

  it('shows a rejected delivery dead on its subscription, and sends it again from the Redeliver button', async () => {
    await hook('secret', { name: 'console', secret: SECRET });
    await hook('behaviour', { name: 'console', fail: 1, status: 410 }); // refused for good: dead after one attempt
    const sub = await stack.api('/subscriptions', {
      method: 'POST',
      body: JSON.stringify({
        url: `http://127.0.0.1:${receiver.port}/hook/console`,
        secret: SECRET,
        pipelines: ['liverc.event_catalog'],
        description: 'nest backend',
      }),
    });
    expect(sub.status).toBe(201);
    const subId = ((await sub.json()) as { subscription: { id: string } }).subscription.id;
    const job = await stack.api('/jobs', {
      method: 'POST',
      body: JSON.stringify({ pipeline: 'liverc.event_catalog', params: { track_slug: 'canberraoffroad' } }),
    });
    await waitForJob(stack, ((await job.json()) as { job: { id: string } }).job.id);
    const row = `#subscription-${subId}`;
    await reloadUntil('/admin/deliveries', async () => (await page.locator(`${row} td`).nth(8).textContent()) === '1');
    await shot('deliveries');
    await page.click(`${row} a[href="/admin/deliveries/subscriptions/${subId}"]`);
    await page.waitForURL(new RegExp(`/admin/deliveries/subscriptions/${subId}$`));
    expect(await page.locator('#deliveries').textContent()).toContain('RECEIVER_REJECTED: HTTP 410');
    expect(await page.locator('#subscription-counts').textContent()).toContain('1 dead');
    await page.click('#deliveries button:has-text("Redeliver")');
    await page.waitForURL(new RegExp(`/admin/deliveries/subscriptions/${subId}$`));
    await reloadUntil(`/admin/deliveries/subscriptions/${subId}`, async () =>
      ((await page.locator('#subscription-counts').textContent()) ?? '').includes('1 delivered · 0 dead'),
    );
    expect(await page.locator('#deliveries [data-state]').first().textContent()).toBe('delivered');
    expect((await hookLog()).map((r) => [r.status, r.verified])).toEqual([
      [410, true],
      [204, true],
    ]);
    await shot('subscription');
  });

  it('re-ingests a finished job from its page: a new forced job, watched to done, published again', async () => {
    await page.goto(`${stack.url}/admin/jobs?pipeline=liverc.event_catalog&state=succeeded`);
    await page.click('#jobs tbody tr a[href^="/admin/jobs/"]');
    await page.waitForURL(/\/admin\/jobs\/[0-9a-f-]{36}$/);
    const first = page.url();
    await page.click('#rerun-job');
    await page.waitForURL((u) => /\/admin\/jobs\/[0-9a-f-]{36}$/.test(u.pathname) && u.href !== first);
    await expect.poll(() => page.locator('#job-state [data-state]').textContent(), { timeout: 30_000 }).toBe('succeeded');
    expect(await page.locator('#decision').textContent()).toContain('PUBLISH_FORCED');
    expect(await page.locator('#transitions').textContent()).toContain('re-ingest of job');
  });

  it('a reader sees imports and deliveries with Import now and Redeliver disabled', async () => {
    await page.click('header form[action="/admin/sign-out"] button');
    await page.waitForURL(/\/admin\/sign-in/);
    await signIn(READER);
    await page.goto(`${stack.url}/admin/imports`);
    expect(await page.locator('#import-now').isDisabled()).toBe(true);
    await page.goto(`${stack.url}/admin/deliveries`);
    await page.click('#subscriptions a[href^="/admin/deliveries/subscriptions/"]');
    const redeliver = page.locator('#deliveries button:has-text("Redeliver")');
    // The redelivered one, and the forced re-ingest's publication once its delivery is no longer pending.
    const n = await redeliver.count();
    expect(n).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < n; i++) {
      expect(await redeliver.nth(i).isDisabled()).toBe(true);
      expect(await redeliver.nth(i).getAttribute('title')).toBe('read-only token: viewing only');
    }
  });
});
