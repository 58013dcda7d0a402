/**
 * Snapshot import end to end on the real local runtime (miniflare D1, R2 FILES/RAW, Durable Objects): a strict JSON
 * snapshot in incoming/ becomes a `snapshots.import` job, its `snapshots.season` follow-up publishes the players,
 * and settle moves the file to archive/ (or failed/ with every problem in a sidecar). Same bytes again publish
 * nothing; redelivered messages and a crash between copy and delete leave the file in exactly one place.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import valid from '../testdata/snapshots/handmade/valid.handmade.json?raw';
import numericString from '../testdata/snapshots/handmade/numeric-string.handmade.json?raw';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { fileParams } from '../src/pipelines/snapshots/prefixes';
import { api, manualDeps, runOnce, withCleanState, expectErrorLogs } from './helpers';

const exists = async (key: string) => (await env.FILES.head(key)) !== null;

async function drop(key: string, text: string) {
  const obj = await env.FILES.put(key, text, { httpMetadata: { contentType: 'application/json' } });
  return fileParams({ key, size: obj!.size, eTag: obj!.etag }, 'incoming/')!;
}

/** Runs the file job, then every follow-up it queued (the season jobs), by hand. */
async function importFile(deps: ReturnType<typeof manualDeps>, params: Record<string, unknown>) {
  const file = await runOnce(deps, 'snapshots.import', params, { idempotencyKey: `test:${params.key}:${params.etag}` });
  const children = [];
  for (const id of (file.stored.result?.child_job_ids as string[] | undefined) ?? []) {
    await handleJobMessage(deps, id);
    children.push((await deps.store.getJob(id))!);
  }
  return { file, children };
}

describe('snapshot import through the runtime', () => {
  withCleanState();

  it('imports a valid file: season publication lists the players, file archived, same bytes again publish nothing', async () => {
    const deps = manualDeps();
    const p = await drop('incoming/feed/2026-03-13.json', valid);
    const archived = `archive/feed/2026-03-13.${p.etag!.slice(0, 12)}.json`;
    const { file, children } = await importFile(deps, p);
    expect(file.out.kind).toBe('succeeded');
    expect(file.stored.result).toMatchObject({ decision: 'PUBLISH_FIRST', acceptance: { records_seen: 2, rejected: 0 } });
    expect(await exists(p.key)).toBe(false);
    expect(await exists(archived)).toBe(true);

    expect(children).toHaveLength(1);
    expect(children[0]).toMatchObject({
      state: 'succeeded',
      scopeKey: 'source_name=official_site_feed&competition=comp-nba&season=2025-2026',
    });
    const envelope = (await (
      await api('/publications/latest?pipeline=snapshots.season&source_name=official_site_feed&competition=comp-nba&season=2025-2026')
    ).json()) as any;
    expect(envelope.payload.players.map((x: any) => x.full_name)).toEqual(['LeBron James', 'Anthony Davis']);
    expect(envelope.payload.player_seasons.find((l: any) => l.player_external_id === 'player-23').stats).toMatchObject({
      games_played: 60,
      points_per_game: 25.4,
      fg_pct: 51.1,
    });

    // Re-drop the same bytes under another name: the file job reads them, finds them published by the first file
    // job, and stops before parse: no receipt, no season job, nothing published; the file is archived all the same.
    const again = await drop('incoming/feed/copy-of-2026-03-13.json', valid);
    const second = await importFile(deps, again);
    expect(second.file.out.kind).toBe('succeeded');
    expect(second.file.stored.result).toMatchObject({
      outcome: 'SKIPPED',
      skip_reason: 'DUPLICATE_CONTENT',
      duplicate_of_job_id: file.id,
      publication_id: null,
    });
    expect(second.children).toEqual([]);
    expect(await deps.store.latestPublication('snapshots.import', second.file.stored.scopeKey)).toBeNull();
    expect(await exists(again.key)).toBe(false);
    expect(await exists(`archive/feed/copy-of-2026-03-13.${again.etag!.slice(0, 12)}.json`)).toBe(true);
    const pubs = (await (
      await api('/publications?pipeline=snapshots.season&source_name=official_site_feed&competition=comp-nba&season=2025-2026')
    ).json()) as any;
    expect(pubs.publications).toHaveLength(1);

    // A changed stat line publishes only that change against the previous snapshot of the same scope.
    const doc = JSON.parse(valid);
    doc.snapshot_date = '2026-03-20';
    doc.records[0].games_played = 63;
    const third = await importFile(deps, await drop('incoming/feed/2026-03-20.json', JSON.stringify(doc)));
    const changed = (await (await api(`/publications/${third.children[0]!.result!.publication_id}`)).json()) as any;
    expect(changed.changes).toMatchObject({ added: [], removed: [], changed: ['player_season_stats:player-23/team-lal'] });
  });

  it('fails a broken file: failed/ plus a sidecar listing every problem, nothing published, redelivery changes nothing', async () => {
    expectErrorLogs('job failed:SNAPSHOT_INVALID');
    const deps = manualDeps();
    const p = await drop('incoming/broken.json', numericString);
    const failed = `failed/broken.${p.etag!.slice(0, 12)}.json`;
    const { file, children } = await importFile(deps, p);
    expect(file.out).toEqual({ kind: 'failed', code: 'SNAPSHOT_INVALID' });
    expect(children).toEqual([]);
    expect(await exists(p.key)).toBe(false);
    expect(await exists(failed)).toBe(true);
    const side = JSON.parse(await (await env.FILES.get(failed.replace(/\.json$/, '.problems.json')))!.text());
    expect(side.problems.map((x: any) => x.text)).toEqual([
      '/records/0/games_played: expected number, got "60"',
      '/records/1/fg_pct: expected number, got "51.1"',
    ]);
    expect(await deps.store.latestPublication('snapshots.import', file.stored.scopeKey)).toBeNull();
    expect(await handleJobMessage(deps, file.id)).toEqual({ kind: 'skipped', reason: 'finished' });
    expect(await exists(failed)).toBe(true);
    expect(await exists(p.key)).toBe(false);
  });

  it('survives a crash between copy and delete: the redelivery finishes the move, the file ends in one place', async () => {
    const deps = manualDeps();
    const p = await drop('incoming/crash.json', valid);
    const archived = `archive/crash.${p.etag!.slice(0, 12)}.json`;
    // The first settle dies after its copy: deletes fail once.
    const files = deps.files!;
    let failDelete = true;
    const crashing = {
      ...files,
      getObject: files.getObject?.bind(files),
      getBytes: files.getBytes.bind(files),
      put: files.put.bind(files),
      putIfAbsent: files.putIfAbsent.bind(files),
      getText: files.getText.bind(files),
      list: files.list.bind(files),
      copy: files.copy.bind(files),
      delete: async (k: string) => {
        if (failDelete) {
          failDelete = false;
          throw new Error('crash after copy');
        }
        return files.delete(k);
      },
    };
    const crashDeps = { ...deps, files: crashing };
    const run = await runOnce(crashDeps, 'snapshots.import', p).catch((e) => e);
    expect(String(run)).toContain('crash after copy');
    expect(await exists(p.key)).toBe(true);
    expect(await exists(archived)).toBe(true);
    const [job] = await deps.store.listJobs({ pipeline: 'snapshots.import', limit: 5 });
    expect(job!.state).toBe('succeeded');
    // The queue redelivers the message: the finished job settles again, the copy is a no-op, the delete happens.
    expect(await handleJobMessage(deps, job!.id)).toEqual({ kind: 'skipped', reason: 'finished' });
    expect(await exists(p.key)).toBe(false);
    expect(await exists(archived)).toBe(true);
  });
});
