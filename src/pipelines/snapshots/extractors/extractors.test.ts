/**
 * The extractors on the real basketball-reference page, fetched through the real provider transport from the
 * fixture server at its real URL (UPSTREAM_OVERRIDE), and emitted into the miniflare FILES bucket.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import page from '../../../../testdata/basketball-reference/NBA_2019_totals.html?raw';
import valid from '../../../../testdata/snapshots/handmade/valid.handmade.json?raw';
import { getProvider } from '../../registry';
import { manualDeps, fixtures, withCleanState } from '../../../../test/helpers';
import { validateSnapshotBytes } from '../validate';
import { getExtractor, runExtractor } from '.';
import type { ExtractorPorts } from './framework';

const NOW = Date.UTC(2026, 2, 13, 12);

function ports(write = true): ExtractorPorts & { puts: string[] } {
  const deps = manualDeps();
  const puts: string[] = [];
  return {
    puts,
    fetch: (req, provider) => deps.client.fetch(getProvider(provider)!, req),
    put: write
      ? async (key, bytes) => {
          puts.push(key);
          await env.FILES.put(key, bytes, { httpMetadata: { contentType: 'application/json' } });
        }
      : undefined,
    sleep: async () => undefined,
  };
}
const OPTS = { dryRun: false, outputPrefix: 'incoming/', now: NOW, retries: 2, retrySleepMs: 1 };

describe('basketball_reference.season_totals on the real 2018-19 totals page', () => {
  withCleanState();
  const ex = getExtractor('basketball_reference.season_totals')!;

  it('emits a snapshot the importer accepts: one record per team stint, every player of the page', async () => {
    const p = ports();
    const report = await runExtractor(p, ex, ex.paramsSchema.parse({ league: 'NBA', season: 2019 }), OPTS);
    expect(report).toMatchObject({
      valid: true,
      written: true,
      problems: [],
      key: 'incoming/basketball_reference/NBA/2018-2019/2026-03-13.json',
      source_name: 'basketball_reference',
      snapshot_date: '2026-03-13',
    });
    const bytes = new Uint8Array(await (await env.FILES.get(report.key))!.arrayBuffer());
    const v = validateSnapshotBytes(bytes);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const recs = v.doc.records;
    // The page: 441 `tr.full_table` player rows (five of them TOT rows of traded players) and 10 per-team rows.
    const fullRows = page.match(/<tr class="full_table"/g)!.length;
    const partialRows = page.match(/<tr class="italic_text partial_table"/g)!.length;
    expect([fullRows, partialRows]).toEqual([441, 10]);
    expect(new Set(recs.map((r) => r.player_external_id)).size).toBe(fullRows);
    expect(recs).toHaveLength(fullRows - 5 + partialRows);
    expect(report.record_count).toBe(446);

    // Spot values checked by hand against the page: Alex Abrines, OKC, 14 G, 303 MP, 92 PTS, .356/.333/.889.
    expect(recs.find((r) => r.player_external_id === 'abrinal01')).toMatchObject({
      competition_external_id: 'NBA',
      season: '2018-2019',
      team_external_id: 'OKC',
      team_name: null,
      full_name: 'Alex Abrines',
      first_name: 'Alex',
      last_name: 'Abrines',
      position: 'SG',
      birth_date: null,
      nationality: null,
      height_cm: null,
      weight_kg: null,
      role: null,
      games_played: 14,
      minutes_per_game: 21.6,
      points_per_game: 6.6,
      rebounds_per_game: 1.6,
      assists_per_game: 0.8,
      steals_per_game: 0.8,
      blocks_per_game: 0.3,
      turnovers_per_game: 0.6,
      fg_pct: 35.6,
      three_pt_pct: 33.3,
      ft_pct: 88.9,
      source_metadata: { age: 25, games_started: 0, traded: false },
    });
    // Jaylen Adams took no free throws: the blank FT% is null, not 0.
    expect(recs.find((r) => r.player_external_id === 'adamsja01')).toMatchObject({ games_played: 4, fg_pct: 25, ft_pct: null });
    // Jimmy Butler, traded MIN -> PHI: one line per team (10 G 361 MP 213 PTS; 5 G 175 MP 86 PTS), the TOT line kept beside.
    const butler = recs.filter((r) => r.player_external_id === 'butleji01');
    expect(butler.map((r) => [r.team_external_id, r.games_played, r.minutes_per_game, r.points_per_game])).toEqual([
      ['MIN', 10, 36.1, 21.3],
      ['PHI', 5, 35, 17.2],
    ]);
    expect(butler[0]!.source_metadata).toMatchObject({
      traded: true,
      season_total: { games_played: 15, minutes_per_game: 35.7, points_per_game: 19.9 },
    });
  });

  it('dry run validates and reports what would be written, writing nothing', async () => {
    const p = ports();
    const report = await runExtractor(p, ex, ex.paramsSchema.parse({ league: 'NBA', season: 2019, include_raw_payload: true }), {
      ...OPTS,
      dryRun: true,
    });
    expect(report).toMatchObject({ dry_run: true, valid: true, written: false, record_count: 446 });
    expect(p.puts).toEqual([]);
    expect((await env.FILES.list()).objects).toEqual([]);
  });

  it('retries a failing upstream conservatively, then succeeds', async () => {
    await fixtures.routes([
      { key: 'www.basketball-reference.com/leagues/NBA_2019_totals.html', status: 503, body: 'busy', contentType: 'text/plain', times: 1 },
    ]);
    const report = await runExtractor(ports(false), ex, ex.paramsSchema.parse({ season: 2019 }), { ...OPTS, dryRun: true });
    expect(report).toMatchObject({ valid: true, requests: 2 });
  });
});

describe('public_json_snapshot', () => {
  withCleanState();
  const ex = getExtractor('public_json_snapshot')!;

  it('maps a JSON feed into a snapshot and refuses to emit what the importer would refuse', async () => {
    const feed = JSON.parse(valid);
    await fixtures.routes([
      {
        key: 'feeds.example.org/players.json',
        body: JSON.stringify({ snapshot_date: '2026-03-13', records: feed.records }),
        contentType: 'application/json',
      },
    ]);
    const ok = await runExtractor(
      ports(),
      ex,
      ex.paramsSchema.parse({
        url: 'https://feeds.example.org/players.json',
        source_name: 'official_site_feed',
        include_raw_payload: true,
      }),
      OPTS,
    );
    expect(ok).toMatchObject({ valid: true, written: true, record_count: 2, key: 'incoming/official_site_feed/2026-03-13.json' });

    feed.records[1].fg_pct = '51.1';
    await fixtures.routes([{ key: 'feeds.example.org/players.json', body: JSON.stringify(feed.records), contentType: 'application/json' }]);
    const p = ports();
    const bad = await runExtractor(
      p,
      ex,
      ex.paramsSchema.parse({ url: 'https://feeds.example.org/players.json', source_name: 'official_site_feed' }),
      { ...OPTS, outputPrefix: 'debug/' },
    );
    expect(bad).toMatchObject({ valid: false, written: false, problems: ['/records/1/fg_pct: expected number, got "51.1"'] });
    expect(p.puts).toEqual([]);
  });
});
