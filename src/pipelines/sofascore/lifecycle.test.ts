import { describe, expect, it } from 'vitest';
import { roundMatchesPipeline } from './round-matches';
import { BODIES, res } from './test-fixtures';
import type { RoundMatchesOutput } from './round-matches';

const P = { unique_tournament_id: '19', season_id: '102079', round: 2, slug: 'qualification-round-2' };
const out = (body: string) => {
  const p = roundMatchesPipeline.paramsSchema.parse(P);
  return roundMatchesPipeline.outputSchema.parse(
    roundMatchesPipeline.normalize(p, roundMatchesPipeline.parse(p, [res('round_events', body)])),
  ) as RoundMatchesOutput;
};
const lc = roundMatchesPipeline.lifecycle!;

describe('match lifecycle changes', () => {
  const live = out(BODIES.roundLive);
  const finished = out(BODIES.roundFinished);

  it('in progress -> finished is one final change with the provider status time and settlement key', () => {
    expect(lc(null, live)).toEqual([]);
    expect(lc(live, finished)).toEqual([
      {
        entity_key: 'match:17148332',
        kind: 'final',
        from: { status: 'inprogress', code: 7, period: 'second_half' },
        to: { status: 'finished', ended_by: 'extra_time', code: 110, winner: 'home', scores: finished.matches[0]!.scores },
        status_time: '2026-09-22T21:23:50.000Z',
        settlement_key: 'settlement:17148332:1790112230',
      },
    ]);
  });

  it('an unchanged or volatile-only re-sync emits nothing; a correction emits a new key', () => {
    expect(lc(finished, finished)).toEqual([]);
    expect(lc(finished, out(BODIES.roundVolatile))).toEqual([]);
    const corrected = lc(finished, out(BODIES.roundCorrected));
    expect(corrected).toHaveLength(1);
    expect(corrected[0]).toMatchObject({
      kind: 'corrected',
      from: { code: 110, ended_by: 'extra_time' },
      to: { code: 120, ended_by: 'penalties' },
      settlement_key: 'settlement:17148332:1790115830',
    });
  });

  it('a match first seen already final is reported once (from null)', () => {
    const first = lc(null, finished);
    expect(first.map((c) => [c.kind, c.from, c.settlement_key])).toEqual([['final', null, 'settlement:17148332:1790112230']]);
  });
});
