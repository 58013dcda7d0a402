import { describe, expect, it } from 'vitest';
import valid from '../../../testdata/snapshots/handmade/valid.handmade.json?raw';
import numericString from '../../../testdata/snapshots/handmade/numeric-string.handmade.json?raw';
import type { FetchedResource } from '../../core/pipeline';
import { AdapterError } from '../../core/errors';
import { parseAndNormalize } from '../../runtime/normalize-step';
import { importFilePipeline } from './import-file';
import { fileParams, settledKey, siblingPrefix } from './prefixes';
import { seasonPipeline } from './season';

async function sha(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
async function file(key: string, text: string, status = 200): Promise<FetchedResource> {
  const bytes = new TextEncoder().encode(text);
  return {
    resourceType: 'snapshot_file',
    resourceKey: key,
    url: `r2:${key}`,
    status,
    contentType: 'application/json',
    body: text,
    bytes,
    sha256: await sha(bytes),
  };
}
const P = fileParams({ key: 'incoming/feed/2026-03-13.json', size: 10, eTag: '"0123456789abcdef0123"' }, 'incoming/')!;

describe('snapshots.import (file job) hooks', () => {
  it('claims only .json files under its prefix and derives sibling archive/failed prefixes', () => {
    expect(P).toEqual({
      key: 'incoming/feed/2026-03-13.json',
      incoming_prefix: 'incoming/',
      archive_prefix: 'archive/',
      failed_prefix: 'failed/',
      etag: '0123456789abcdef0123',
    });
    expect(importFilePipeline.fileTrigger!.params({ key: 'incoming/x.problems.json', size: 1 }, 'incoming/')).toBeNull();
    expect(importFilePipeline.fileTrigger!.params({ key: 'incoming/readme.txt', size: 1 }, 'incoming/')).toBeNull();
    expect(siblingPrefix('hoopscout/incoming/', 'failed')).toBe('hoopscout/failed/');
    expect(settledKey(P, 'archive')).toBe('archive/feed/2026-03-13.0123456789ab.json');
  });

  it('reads the object from the r2 source and publishes a receipt with one group per (competition, season)', async () => {
    expect(importFilePipeline.plan(P, [])).toEqual([
      { source: 'r2', resourceType: 'snapshot_file', resourceKey: P.key, url: P.key, optional: true },
    ]);
    const f = await file(P.key, valid);
    const { normalized, entityHashes } = parseAndNormalize(importFilePipeline, P, [f]);
    expect(normalized).toMatchObject({
      sha256: f.sha256,
      source_name: 'official_site_feed',
      record_count: 2,
      groups: [{ competition_external_id: 'comp-nba', season: '2025-2026', record_count: 2 }],
    });
    expect(Object.keys(entityHashes)).toEqual(['group:comp-nba/2025-2026']);
    const follow = importFilePipeline.followUps!(P, normalized as never, { previousEntityKeys: null });
    expect(follow).toEqual([
      {
        pipeline: 'snapshots.season',
        params: {
          source_name: 'official_site_feed',
          competition: 'comp-nba',
          season: '2025-2026',
          snapshot_date: '2026-03-13',
          sha256: f.sha256,
          key: P.key,
          archive_key: 'archive/feed/2026-03-13.0123456789ab.json',
        },
      },
    ]);
  });

  it('fails a bad file as a validation error whose details list every problem', async () => {
    try {
      parseAndNormalize(importFilePipeline, P, [await file(P.key, numericString)]);
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(AdapterError);
      const err = e as AdapterError;
      expect(err).toMatchObject({ code: 'SNAPSHOT_INVALID', category: 'validation', retryable: false });
      expect((err.details as any).problems.map((p: any) => p.pointer)).toEqual(['/records/0/games_played', '/records/1/fg_pct']);
      expect(err.message).toContain('/records/1/fg_pct: expected number, got "51.1"');
    }
  });

  it('settles: archive when succeeded (duplicates too), failed/ plus a sidecar listing every problem otherwise', () => {
    expect(importFilePipeline.settle!(P, { state: 'succeeded', decision: 'SKIP_NO_CHANGE', publicationId: null, error: null })).toEqual([
      { kind: 'move', from: P.key, to: 'archive/feed/2026-03-13.0123456789ab.json' },
    ]);
    const problems = [{ pointer: '/records/1/fg_pct', rule: 'type', message: 'expected number, got "51.1"' }];
    const actions = importFilePipeline.settle!(P, {
      state: 'failed',
      decision: null,
      publicationId: null,
      error: { code: 'SNAPSHOT_INVALID', message: 'm', details: { problems, sha256: 'ab', bytes: 3 } },
    });
    expect(actions[0]).toEqual({ kind: 'move', from: P.key, to: 'failed/feed/2026-03-13.0123456789ab.json' });
    expect(actions[1]).toMatchObject({
      kind: 'put',
      key: 'failed/feed/2026-03-13.0123456789ab.problems.json',
      contentType: 'application/json',
    });
    const side = JSON.parse((actions[1] as { body: string }).body);
    expect(side).toMatchObject({
      file: P.key,
      error_code: 'SNAPSHOT_INVALID',
      problem_count: 1,
      problems: [{ pointer: '/records/1/fg_pct', text: '/records/1/fg_pct: expected number, got "51.1"' }],
    });
  });
});

describe('snapshots.season hooks', () => {
  it('publishes competition, season, team, player, player season and stats entities keyed by external ids', async () => {
    const f = await file('archive/a.json', valid);
    const p = {
      source_name: 'official_site_feed',
      competition: 'comp-nba',
      season: '2025-2026',
      snapshot_date: '2026-03-13',
      sha256: f.sha256,
      key: 'incoming/a.json',
      archive_key: 'archive/a.json',
    };
    expect(seasonPipeline.plan(p, []).map((r) => r.url)).toEqual(['archive/a.json', 'incoming/a.json']);
    const missing = { ...f, resourceKey: 'incoming/a.json', status: 404, bytes: new Uint8Array(), sha256: 'x' };
    const { normalized, entityHashes } = parseAndNormalize(seasonPipeline, p, [f, missing]);
    expect(Object.keys(entityHashes)).toEqual([
      'competition:comp-nba',
      'season:comp-nba/2025-2026',
      'team:team-lal',
      'player:player-23',
      'player:player-3',
      'player_season:player-23/team-lal',
      'player_season_stats:player-23/team-lal',
      'player_season:player-3/team-lal',
      'player_season_stats:player-3/team-lal',
    ]);
    expect((normalized as any).player_seasons[0].stats).toMatchObject({ games_played: 60, fg_pct: 51.1 });
    // Same content again, or an older snapshot: skipped before reading anything.
    expect(seasonPipeline.skipFetch!(p, normalized as never)).toBe('DUPLICATE_CONTENT');
    expect(seasonPipeline.skipFetch!({ ...p, sha256: 'f'.repeat(64), snapshot_date: '2026-03-01' }, normalized as never)).toBe(
      'OLDER_THAN_PUBLISHED',
    );
    expect(seasonPipeline.skipFetch!({ ...p, sha256: 'f'.repeat(64), snapshot_date: '2026-03-20' }, normalized as never)).toBeNull();
  });

  it('retries while the file is between places, and refuses bytes that are not the imported ones', async () => {
    const f = await file('archive/a.json', valid);
    const p = {
      source_name: 's',
      competition: 'comp-nba',
      season: '2025-2026',
      snapshot_date: '2026-03-13',
      sha256: f.sha256,
      key: 'incoming/a.json',
      archive_key: 'archive/a.json',
    };
    const gone = { ...f, status: 404, bytes: new Uint8Array(), sha256: 'x' };
    expect(() => seasonPipeline.parse(p, [gone, { ...gone, resourceKey: p.key }])).toThrow(
      expect.objectContaining({ code: 'SNAPSHOT_FILE_MOVING', retryable: true }),
    );
    expect(() => seasonPipeline.parse({ ...p, sha256: '0'.repeat(64) }, [f])).toThrow(
      expect.objectContaining({ code: 'SNAPSHOT_FILE_CHANGED', retryable: false }),
    );
  });
});
