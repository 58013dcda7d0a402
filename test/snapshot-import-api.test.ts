/**
 * The import API end to end through the real queue consumer (miniflare Queues, D1, R2, Durable Objects): upload
 * and "import now" land files in incoming/, jobs import them, the ledger lists runs and files with their outcome,
 * and an extractor run emits a snapshot that the import then publishes.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import valid from '../testdata/snapshots/handmade/valid.handmade.json?raw';
import nanLike from '../testdata/snapshots/handmade/nan-like.handmade.json?raw';
import { api, ALICE_TOKEN, READER_TOKEN, withCleanState, expectErrorLogs } from './helpers';

async function settled(fileId: string, timeoutMs = 25_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const body = (await (await api(`/imports/files/${fileId}`)).json()) as any;
    if (body.file.status !== 'queued') return body.file;
    if (Date.now() > until) throw new Error(`import file ${fileId} still queued`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
}
const upload = (text: string, init: { name?: string; type?: string; token?: string } = {}) =>
  api(`/imports/files${init.name ? `?name=${encodeURIComponent(init.name)}` : ''}`, {
    method: 'POST',
    body: text,
    headers: { 'content-type': init.type ?? 'application/json' },
    token: init.token ?? ALICE_TOKEN,
  });

describe('snapshot import API', () => {
  withCleanState({ invariants: false });

  it('upload answers 202 with the import file id; the file is imported, archived, listed; the same bytes again: a duplicate', async () => {
    const res = await upload(valid, { name: 'feed/2026-03-13.json' });
    expect(res.status).toBe(202);
    const up = (await res.json()) as any;
    expect(up).toMatchObject({
      key: 'incoming/feed/2026-03-13.json',
      size: new TextEncoder().encode(valid).byteLength,
      import_file_id: expect.any(String),
      job_id: expect.any(String),
    });
    const file = await settled(up.import_file_id);
    expect(file).toMatchObject({
      status: 'imported',
      sha256: up.sha256,
      record_count: 2,
      problems: [],
      publication_ids: [expect.any(String)],
    });
    expect(file.settled_key).toMatch(/^archive\/feed\/2026-03-13\.[0-9a-f]{12}\.json$/);
    expect(await env.FILES.head(up.key)).toBeNull();
    expect(await env.FILES.head(file.settled_key)).not.toBeNull();
    const pub = (await (await api(`/publications/${file.publication_ids[0]}`)).json()) as any;
    expect(pub.payload.players).toHaveLength(2);

    const again = (await (await upload(valid, { name: 'feed/again.json' })).json()) as any;
    expect(await settled(again.import_file_id)).toMatchObject({
      status: 'duplicate',
      sha256: up.sha256,
      size: up.size,
      record_count: 2,
      publication_ids: [],
      duplicate_of: up.import_file_id,
    });
    const dupJob = (await (await api(`/jobs/${again.job_id}`)).json()) as any;
    expect(dupJob.job.result).toMatchObject({ outcome: 'SKIPPED', skip_reason: 'DUPLICATE_CONTENT', publication_id: null });
    const receipts = (await (await api('/publications?pipeline=snapshots.import&key=incoming/feed/again.json')).json()) as any;
    expect(receipts.publications).toEqual([]);

    const runs = (await (await api('/imports/runs?trigger=upload')).json()) as any;
    expect(runs.runs.map((r: any) => [r.trigger, r.files_seen, r.imported, r.duplicate, r.failed, r.queued])).toEqual([
      ['upload', 1, 0, 1, 0, 0],
      ['upload', 1, 1, 0, 0, 0],
    ]);
    const dupes = (await (await api(`/imports/files?status=duplicate`)).json()) as any;
    expect(dupes.files.map((f: any) => f.id)).toEqual([again.import_file_id]);
  });

  it('refuses uploads that are not JSON, empty or over the limit, and readers may not upload', async () => {
    expect((await upload('a,b\n1,2', { type: 'text/csv' })).status).toBe(415);
    const bad = await upload('{"source_name": ');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe('MALFORMED_JSON');
    expect((await upload('')).status).toBe(400);
    const huge = await upload(`{"x":"${'a'.repeat(16 * 1024 * 1024)}"}`);
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as any).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await upload(valid, { token: READER_TOKEN })).status).toBe(403);
    expect((await env.FILES.list()).objects).toEqual([]);
  });

  it('import now scans incoming/: a broken file dropped with `wrangler r2 object put` fails with every problem listed', async () => {
    expectErrorLogs('job failed:SNAPSHOT_INVALID');
    await env.FILES.put('incoming/nan.json', nanLike);
    await env.FILES.put('incoming/notes.txt', 'not a snapshot');
    const res = await api('/imports/run', { method: 'POST', json: {}, token: ALICE_TOKEN });
    expect(res.status).toBe(202);
    const body = (await res.json()) as any;
    expect(body.run).toMatchObject({ trigger: 'import_now', files_seen: 2, queued: 1 });
    expect(body.files.map((f: any) => f.key)).toEqual(['incoming/nan.json']);
    const file = await settled(body.files[0].id);
    expect(file.status).toBe('failed');
    expect(file.problems.map((p: any) => `${p.pointer}: ${p.message}`)).toEqual([
      '/records/0/minutes_per_game: expected a finite number, got Infinity',
      '/records/0/fg_pct: expected number, got "NaN"',
      '/records/0/ft_pct: expected number, got "-"',
      '/records/1/points_per_game: expected number, got ""',
    ]);
    expect(await env.FILES.head(file.settled_key)).not.toBeNull();
    const sidecar = JSON.parse(await (await env.FILES.get(file.settled_key.replace(/\.json$/, '.problems.json')))!.text());
    expect(sidecar.problem_count).toBe(4);
    // Scanning again finds nothing new: the file is in failed/, the text file is not a snapshot.
    const again = (await (await api('/imports/run', { method: 'POST', json: {}, token: ALICE_TOKEN })).json()) as any;
    expect(again.files).toEqual([]);
    const run = (await (await api(`/imports/runs/${body.run.id}`)).json()) as any;
    expect(run.run).toMatchObject({ failed: 1, queued: 0, finished_at: expect.any(String) });
  });

  it('an extractor run emits the real basketball-reference page as a snapshot; import now publishes its 441 players', async () => {
    const dry = await api('/extractors/basketball_reference.season_totals/run', {
      method: 'POST',
      json: { params: { league: 'NBA', season: 2019 }, dry_run: true },
      token: ALICE_TOKEN,
    });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({ valid: true, written: false, record_count: 446 });
    expect((await env.FILES.list()).objects).toEqual([]);
    const res = await api('/extractors/basketball_reference.season_totals/run', {
      method: 'POST',
      json: { params: { league: 'NBA', season: 2019 } },
      token: ALICE_TOKEN,
    });
    expect(res.status).toBe(201);
    const report = (await res.json()) as any;
    expect(report.key).toMatch(/^incoming\/basketball_reference\/NBA\/2018-2019\/\d{4}-\d{2}-\d{2}\.json$/);
    const run = (await (await api('/imports/run', { method: 'POST', json: {}, token: ALICE_TOKEN })).json()) as any;
    const file = await settled(run.files[0].id);
    expect(file).toMatchObject({ status: 'imported', record_count: 446, sha256: report.sha256 });
    const env2 = (await (
      await api('/publications/latest?pipeline=snapshots.season&source_name=basketball_reference&competition=NBA&season=2018-2019')
    ).json()) as any;
    expect(env2.payload.players).toHaveLength(441);
    expect(env2.payload.player_seasons).toHaveLength(446);
    const bad = await api('/extractors/basketball_reference.season_totals/run', {
      method: 'POST',
      json: { params: { season: 'soon' } },
      token: ALICE_TOKEN,
    });
    expect(bad.status).toBe(400);
  });

  it('an R2 object-created notice imports the file; the ledger adopts the job (trigger notification); redelivery: no-op', async () => {
    const key = 'incoming/notified/2026-03-13.json';
    const obj = await env.FILES.put(key, valid);
    // POST /files/notify puts the notification R2 would send for the object on the jobs queue.
    expect((await api('/files/notify', { method: 'POST', json: { key: 'incoming/nope.json' }, token: ALICE_TOKEN })).status).toBe(404);
    expect((await api('/files/notify', { method: 'POST', json: { key }, token: READER_TOKEN })).status).toBe(403);
    const sent = await api('/files/notify', { method: 'POST', json: { key }, token: ALICE_TOKEN });
    expect(sent.status).toBe(202);
    const { event } = (await sent.json()) as any;
    expect(event).toMatchObject({ bucket: 'ingestion-files', action: 'PutObject', object: { key, size: obj!.size, eTag: obj!.etag } });
    let files: any[] = [];
    for (let i = 0; i < 150 && !(files[0] && files[0].status !== 'queued'); i++) {
      await new Promise((ok) => setTimeout(ok, 200));
      files = ((await (await api(`/imports/files?key_prefix=${encodeURIComponent(key)}`)).json()) as any).files;
    }
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ status: 'imported', record_count: 2, etag: obj!.etag, size: obj!.size });
    expect(await env.FILES.head(key)).toBeNull();
    // The same notification again (a redelivery), as a whole event: it finds the finished job, adds nothing.
    expect((await api('/files/notify', { method: 'POST', json: event, token: ALICE_TOKEN })).status).toBe(202);
    await new Promise((ok) => setTimeout(ok, 1500));
    const runs = ((await (await api('/imports/runs?trigger=notification')).json()) as any).runs;
    expect(runs.map((r: any) => [r.files_seen, r.imported])).toEqual([[1, 1]]);
    const jobs = ((await (await api('/jobs?pipeline=snapshots.import')).json()) as any).jobs;
    expect(jobs).toHaveLength(1);
  });
});
