import { describe, expect, it } from 'vitest';
import type { AnyPipeline } from '../../core/pipeline';
import { parseAndNormalize } from '../../runtime/normalize-step';
import { SOFASCORE_PIPELINES } from './index';
import { BODIES, res } from './test-fixtures';

const byName = (n: string) => SOFASCORE_PIPELINES.find((p) => p.name === n)!;
function run(name: string, params: Record<string, unknown>, type: string, body: string, status = 200): any {
  const p: AnyPipeline = byName(name);
  return parseAndNormalize(p, p.paramsSchema.parse(params), [res(type, body, status)]);
}

describe('SofaScore parsers on the real captures', () => {
  it('seasons of the Champions League (35, newest first, ids as strings)', () => {
    const { normalized, entityHashes } = run('sofascore.tournament_seasons', { unique_tournament_id: 7 }, 'seasons', BODIES.seasons);
    expect(normalized.unique_tournament_id).toBe('7');
    expect(normalized.seasons).toHaveLength(35);
    expect(normalized.seasons[0]).toEqual({ season_id: '96518', name: 'UEFA Champions League 26/27', year: '26/27', editor: false });
    expect(Object.keys(entityHashes)).toContain('season:61644');
  });

  it('league rounds with the current round', () => {
    const { normalized } = run('sofascore.season_rounds', { unique_tournament_id: '17', season_id: '96668' }, 'rounds', BODIES.rounds);
    expect(normalized.current_round).toEqual({ round: 6, slug: null, name: null, prefix: null, key: '6' });
    expect(normalized.rounds.map((r: any) => r.round)).toEqual(Array.from({ length: 38 }, (_, i) => i + 1));
  });

  it('cup rounds keep slug, name and prefix; a shared round number stays two rounds', () => {
    const { normalized, entityHashes } = run(
      'sofascore.season_rounds',
      { unique_tournament_id: '19', season_id: '102079' },
      'rounds',
      BODIES.cupRounds,
    );
    expect(normalized.rounds[0]).toEqual({
      round: 1,
      slug: 'extra-preliminary-round',
      name: 'Extra Preliminary Round',
      prefix: 'Qualification',
      key: '1:extra-preliminary-round',
    });
    expect(Object.keys(entityHashes)).toEqual(
      expect.arrayContaining(['round:102079:1:extra-preliminary-round', 'round:102079:1:qualification-round-1', 'round:102079:29:final']),
    );
  });

  it('trimmed standings: three real rows, the __trimmed__ marker counted, the table marked incomplete', () => {
    const { normalized, entityHashes } = run(
      'sofascore.standings',
      { unique_tournament_id: '17', season_id: '96668', type: 'total' },
      'standings',
      BODIES.standings,
    );
    const t = normalized.tables[0];
    expect(t).toMatchObject({
      standing_id: '280504',
      name: 'Premier League 26/27',
      trimmed_rows: 17,
      complete: false,
      _updated_at: '2026-09-20T17:19:43.000Z',
    });
    expect(t.rows[0]).toEqual({
      row_id: '2356411',
      team_id: '17',
      position: 1,
      played: 5,
      wins: 5,
      draws: 0,
      losses: 0,
      goals_for: 13,
      goals_against: 5,
      points: 15,
      promotion: { id: '804', text: 'Champions League' },
    });
    expect(normalized.teams.map((x: any) => x.team_id)).toEqual(['17', '30', '42']);
    expect(Object.keys(entityHashes).sort()).toEqual([
      'standing_row:280504:17',
      'standing_row:280504:30',
      'standing_row:280504:42',
      'team:17',
      'team:30',
      'team:42',
    ]);
  });

  it('the AET event: status, every score part as given, winner, UTC times, teams without volatile fields', () => {
    const { normalized, entityHashes } = run('sofascore.match', { event_id: '17148332' }, 'event', BODIES.event);
    const m = normalized.match;
    expect(m.status).toEqual({
      status: 'finished',
      period: null,
      ended_by: 'extra_time',
      final: true,
      code: 110,
      type: 'finished',
      description: 'AET',
      type_mismatch: false,
    });
    expect(m.scores).toEqual({
      home: { current: 2, display: 2, period1: 0, period2: 1, normaltime: 1, extra1: 1, extra2: 0, overtime: 1 },
      away: { current: 1, display: 1, period1: 0, period2: 1, normaltime: 1, extra1: 0, extra2: 0, overtime: 0 },
    });
    expect(m.scores.home).not.toHaveProperty('penalties');
    expect(m).toMatchObject({
      match_id: '17148332',
      winner: 'home',
      winner_code: 1,
      start_time: '2026-09-22T18:45:00.000Z',
      round: { round: 2, slug: 'qualification-round-2' },
      attendance: 515,
      unique_tournament_id: '19',
      season_id: '102079',
    });
    expect(m.venue).toEqual({ venue_id: '8947', name: 'Hardenhuish Park', city: 'Chippenham', country_alpha2: 'EN', capacity: 3000 });
    expect(JSON.stringify(normalized)).not.toMatch(/userCount|teamColors|primaryColorHex|hasGlobalHighlights|changeTimestamp/);
    expect(Object.keys(entityHashes).sort()).toEqual(['match:17148332', 'team:34725', 'team:47292']);
  });

  it('winnerCode 2/3/absent map to away/draw/none, and penalties are kept when given', () => {
    const ev = JSON.parse(BODIES.event);
    const with_ = (patch: Record<string, unknown>) =>
      run('sofascore.match', { event_id: '17148332' }, 'event', JSON.stringify({ event: { ...ev.event, ...patch } })).normalized.match;
    expect(with_({ winnerCode: 2 }).winner).toBe('away');
    expect(with_({ winnerCode: 3 }).winner).toBe('draw');
    expect(with_({ winnerCode: undefined }).winner).toBe('none');
    const pens = with_({
      status: { code: 120, description: 'AP', type: 'finished' },
      homeScore: { current: 5, display: 1, penalties: 4, normaltime: 1 },
    });
    expect(pens.status.ended_by).toBe('penalties');
    expect(pens.scores.home).toEqual({ current: 5, display: 1, penalties: 4, normaltime: 1 });
  });

  it('volatile fields stay out of the hashes: an edited copy with new user counts, colours and change time hashes alike', () => {
    const a = run(
      'sofascore.round_matches',
      { unique_tournament_id: '19', season_id: '102079', round: 2, slug: 'qualification-round-2' },
      'round_events',
      BODIES.roundFinished,
    );
    const b = run(
      'sofascore.round_matches',
      { unique_tournament_id: '19', season_id: '102079', round: 2, slug: 'qualification-round-2' },
      'round_events',
      BODIES.roundVolatile,
    );
    expect(b.entityHashes).toEqual(a.entityHashes);
  });

  it('a 404 is NOT_FOUND (non-retryable); a body that is not JSON is drift', () => {
    expect(() => run('sofascore.tournament_seasons', { unique_tournament_id: '999999' }, 'seasons', BODIES.notFound, 404)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', retryable: false }),
    );
    expect(() => run('sofascore.match', { event_id: '1' }, 'event', '<html>', 200)).toThrow(
      expect.objectContaining({ code: 'SOFASCORE_NOT_JSON' }),
    );
  });
});

describe('SofaScore plans', () => {
  it('addresses cup rounds by slug and league rounds by number; params are strict', () => {
    const p = byName('sofascore.round_matches');
    expect(
      p.plan(p.paramsSchema.parse({ unique_tournament_id: 19, season_id: '102079', round: 2, slug: 'qualification-round-2' }), [])[0]!.url,
    ).toBe('https://www.sofascore.com/api/v1/unique-tournament/19/season/102079/events/round/2/slug/qualification-round-2');
    expect(p.plan(p.paramsSchema.parse({ unique_tournament_id: 17, season_id: 96668, round: 6 }), [])[0]!.url).toBe(
      'https://www.sofascore.com/api/v1/unique-tournament/17/season/96668/events/round/6',
    );
    expect(p.paramsSchema.safeParse({ unique_tournament_id: 19, season_id: 1, round: 2, slug: '../x' }).success).toBe(false);
    expect(byName('sofascore.standings').paramsSchema.safeParse({ unique_tournament_id: 1, season_id: 1, type: 'overall' }).success).toBe(
      false,
    );
    expect(SOFASCORE_PIPELINES.map((x) => [x.name, x.scopeParams])).toEqual([
      ['sofascore.tournament_seasons', ['unique_tournament_id']],
      ['sofascore.season_rounds', ['unique_tournament_id', 'season_id']],
      ['sofascore.round_matches', ['unique_tournament_id', 'season_id', 'round', 'slug']],
      ['sofascore.match', ['event_id']],
      ['sofascore.standings', ['unique_tournament_id', 'season_id', 'type']],
    ]);
  });
});
