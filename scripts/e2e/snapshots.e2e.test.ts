import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, localR2 } from './stack-io.mjs';
import { startStack } from '../dev-stack.mjs';

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
const r2 = (args: string[]): string | null => localR2(stack, args);

const call = (path: string, init?: RequestInit): Promise<any> => apiCall(stack, path, init);
const importNow = () => call('/imports/run', { method: 'POST', body: JSON.stringify({}) });
const notify = (body: unknown) => call('/files/notify', { method: 'POST', body: JSON.stringify(body) });

/** The ledger row of an object (made when its notification's job settles), once it is no longer queued. */
async function settledKey(key: string): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const { body } = await call(`/imports/files?key_prefix=${encodeURIComponent(key)}`);
    if (!Array.isArray(body.files)) throw new Error(`GET /imports/files: ${JSON.stringify(body)}\n${stack.logs.join('').slice(-2500)}`);
    const file = body.files.find((f: any) => f.key === key);
    if (file && file.status !== 'queued') return file;
    await new Promise((ok) => setTimeout(ok, 300));
  }
  throw new Error(`import file for ${key} not settled`);
}

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

  it('extractor -> notification -> import -> archive/ and 441 players published; broken file -> failed/; same bytes again publish nothing', async () => {
    const extracted = await call('/extractors/basketball_reference.season_totals/run', {
      method: 'POST',
      body: JSON.stringify({ params: { league: 'NBA', season: 2019 } }),
    });
    expect(extracted.status).toBe(201);
    const key: string = extracted.body.key;
    const bytes = r2(['get', `ingestion-files/${key}`, '--pipe']);
    expect(bytes).not.toBeNull();

    const sent = await notify({ key });
    expect(sent.status).toBe(202);
    const file = await settledKey(key);
    expect(file).toMatchObject({ status: 'imported', record_count: 446, sha256: extracted.body.sha256, size: Buffer.byteLength(bytes!) });
    expect(file.settled_key).toMatch(/^archive\//);
    const runs = (await call('/imports/runs?trigger=notification')).body.runs;
    expect(runs.map((r: any) => [r.files_seen, r.imported, r.queued])).toEqual([[1, 1, 0]]);
    expect(r2(['get', `ingestion-files/${key}`, '--pipe'])).toBeNull();
    expect(r2(['get', `ingestion-files/${file.settled_key}`, '--pipe'])).toBe(bytes);
    const scope = 'pipeline=snapshots.season&source_name=basketball_reference&competition=NBA&season=2018-2019';
    const latest = await call(`/publications/latest?${scope}`);
    expect(latest.body.payload.players).toHaveLength(441);
    expect(latest.body.payload.players.find((p: any) => p.external_id === 'hardeja01')).toMatchObject({ full_name: 'James Harden' });
    const sequence = latest.body.publication.sequence;

    // The same notification delivered again: the job it made is finished, nothing new.
    expect((await notify(sent.body.event)).status).toBe(202);
    await new Promise((ok) => setTimeout(ok, 2000));
    expect((await call('/jobs?pipeline=snapshots.import')).body.jobs).toHaveLength(1);
    expect((await call(`/publications/latest?${scope}`)).body.publication.sequence).toBe(sequence);

    // A broken file: a numeric string and an unknown field; every problem by JSON pointer, nothing published.
    const dir = mkdtempSync(join(tmpdir(), 'snapshots-e2e-'));
    const broken = JSON.parse(bytes!);
    broken.records[0].fg_pct = String(broken.records[0].fg_pct ?? '51.1');
    broken.records[1].shoe_size = 12;
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    const brokenKey = 'incoming/e2e/broken.json';
    expect(
      r2(['put', `ingestion-files/${brokenKey}`, '--file', join(dir, 'broken.json'), '--content-type', 'application/json']),
    ).not.toBeNull();
    expect((await notify({ key: brokenKey })).status).toBe(202);
    const failed = await settledKey(brokenKey);
    expect(failed.status).toBe('failed');
    expect(failed.settled_key).toMatch(/^failed\//);
    expect(failed.problems.map((p: any) => p.pointer)).toEqual(['/records/0/fg_pct', '/records/1/shoe_size']);
    expect(r2(['get', `ingestion-files/${brokenKey}`, '--pipe'])).toBeNull();
    const sidecar = JSON.parse(r2(['get', `ingestion-files/${failed.settled_key.replace(/\.json$/, '.problems.json')}`, '--pipe'])!);
    expect(sidecar.problems.map((p: any) => p.text)).toEqual([
      `/records/0/fg_pct: expected number, got ${JSON.stringify(broken.records[0].fg_pct)}`,
      '/records/1/shoe_size: unknown field',
    ]);

    // The same bytes under another name: a duplicate of the first file, archived, and nothing is published.
    writeFileSync(join(dir, 'again.json'), bytes!);
    const againKey = 'incoming/e2e/again.json';
    expect(
      r2(['put', `ingestion-files/${againKey}`, '--file', join(dir, 'again.json'), '--content-type', 'application/json']),
    ).not.toBeNull();
    expect((await notify({ key: againKey })).status).toBe(202);
    const dup = await settledKey(againKey);
    expect(dup).toMatchObject({ status: 'duplicate', duplicate_of: file.id, publication_ids: [], sha256: file.sha256 });
    expect(r2(['get', `ingestion-files/${dup.settled_key}`, '--pipe'])).toBe(bytes);
    expect((await call(`/publications/latest?${scope}`)).body.publication.sequence).toBe(sequence);
    const receipts = await call(`/publications?pipeline=snapshots.import&key=${encodeURIComponent(againKey)}`);
    expect(receipts.body.publications).toEqual([]);

    // "Import now" (the seed's import_snapshots, a prefix scan) imports what no notification announced.
    const doc = JSON.parse(bytes!);
    doc.snapshot_date = '2099-01-01';
    doc.records[0].games_played += 1;
    writeFileSync(join(dir, 'later.json'), JSON.stringify(doc));
    expect(
      r2(['put', 'ingestion-files/incoming/e2e/later.json', '--file', join(dir, 'later.json'), '--content-type', 'application/json']),
    ).not.toBeNull();
    const scan = await importNow();
    expect(scan.body.files.map((f: any) => f.key)).toEqual(['incoming/e2e/later.json']);
    expect(await settled(scan.body.files[0].id)).toMatchObject({ status: 'imported', publication_ids: [expect.any(String)] });
    const changed = await call(`/publications/latest?${scope}`);
    expect(changed.body.publication.sequence).toBe(sequence + 1);
    expect(changed.body.changes).toMatchObject({ added: [], removed: [], changed: [expect.stringMatching(/^player_season_stats:/)] });
  });
});
