/**
 * Snapshot import end to end on `wrangler dev` (local D1, R2, Queues, Durable Objects), issue 12's "done when":
 * an extractor run emits the real basketball-reference page (served by the fixture server at its real URL) as a
 * snapshot into incoming/, "import now" (the prefix scan: local R2 emits no event notifications, so this is the
 * local trigger path; the notification path is tested in test/snapshot-import-api.test.ts) imports it, the file is
 * archived and the publication lists the players; a broken file lands in failed/ with its reasons and a problems
 * sidecar; the same bytes dropped again publish nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startStack } from '../dev-stack.mjs';

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

function r2(args: string[]): string | null {
  try {
    return execFileSync(WRANGLER, ['r2', 'object', ...args, '--local', '--persist-to', stack.state], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  } catch {
    return null;
  }
}

// wrangler CLI calls in between outlast the dev server's keep-alive; a request on a closed socket never reached the
// Worker, so asking again is safe (every call here is a read or an idempotent scan).
async function call(path: string, init?: RequestInit): Promise<any> {
  const res = await stack.api(path, init).catch(() => stack.api(path, init));
  return { status: res.status, body: await res.json() };
}
const importNow = () => call('/imports/run', { method: 'POST', body: JSON.stringify({}) });

async function settled(fileId: string): Promise<any> {
  for (let i = 0; i < 150; i++) {
    const { body } = await call(`/imports/files/${fileId}`);
    if (body.file.status !== 'queued') return body.file;
    await new Promise((ok) => setTimeout(ok, 300));
  }
  throw new Error(`import file ${fileId} still queued`);
}

describe('snapshot import on wrangler dev', () => {
  beforeAll(async () => {
    stack = await startStack({});
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('extractor -> incoming/ -> import -> archive/ and 441 players published; broken file -> failed/; same bytes again publish nothing', async () => {
    const extracted = await call('/extractors/basketball_reference.season_totals/run', {
      method: 'POST',
      body: JSON.stringify({ params: { league: 'NBA', season: 2019 } }),
    });
    expect(extracted.status).toBe(201);
    const key: string = extracted.body.key;
    const bytes = r2(['get', `ingestion-files/${key}`, '--pipe']);
    expect(bytes).not.toBeNull();

    const first = await importNow();
    expect(first.status).toBeLessThan(300);
    expect(first.body.files).toHaveLength(1);
    const file = await settled(first.body.files[0].id);
    expect(file).toMatchObject({ status: 'imported', record_count: 446, sha256: extracted.body.sha256 });
    expect(file.settled_key).toMatch(/^archive\//);
    expect(r2(['get', `ingestion-files/${key}`, '--pipe'])).toBeNull();
    expect(r2(['get', `ingestion-files/${file.settled_key}`, '--pipe'])).toBe(bytes);
    const scope = 'pipeline=snapshots.season&source_name=basketball_reference&competition=NBA&season=2018-2019';
    const latest = await call(`/publications/latest?${scope}`);
    expect(latest.body.payload.players).toHaveLength(441);
    const sequence = latest.body.publication.sequence;

    // A broken file: a numeric string and an unknown field; every problem by JSON pointer, nothing published.
    const dir = mkdtempSync(join(tmpdir(), 'snapshots-e2e-'));
    const broken = JSON.parse(bytes!);
    broken.records[0].fg_pct = String(broken.records[0].fg_pct ?? '51.1');
    broken.records[1].shoe_size = 12;
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    expect(
      r2(['put', 'ingestion-files/incoming/e2e/broken.json', '--file', join(dir, 'broken.json'), '--content-type', 'application/json']),
    ).not.toBeNull();
    const second = await importNow();
    const failed = await settled(second.body.files[0].id);
    expect(failed.status).toBe('failed');
    expect(failed.settled_key).toMatch(/^failed\//);
    const problems = JSON.stringify(failed.problems);
    expect(problems).toContain('/records/0/fg_pct');
    expect(problems).toContain('/records/1/shoe_size');
    expect(r2(['get', 'ingestion-files/incoming/e2e/broken.json', '--pipe'])).toBeNull();

    // The same bytes under another name: recorded as a duplicate, archived, and the season publishes nothing.
    writeFileSync(join(dir, 'again.json'), bytes!);
    expect(
      r2(['put', 'ingestion-files/incoming/e2e/again.json', '--file', join(dir, 'again.json'), '--content-type', 'application/json']),
    ).not.toBeNull();
    const third = await importNow();
    const dup = await settled(third.body.files[0].id);
    expect(dup.status).toBe('duplicate');
    expect((await call(`/publications/latest?${scope}`)).body.publication.sequence).toBe(sequence);
  });
});
