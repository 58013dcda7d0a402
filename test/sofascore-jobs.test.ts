import { describe, expect, it } from 'vitest';
import { api, fixtures, manualDeps, runOnce, withCleanState, captureErrorLogs } from './helpers';

const ROUND = { unique_tournament_id: '19', season_id: '102079', round: 2, slug: 'qualification-round-2' };
const ROUND_KEY = 'www.sofascore.com/api/v1/unique-tournament/19/season/102079/events/round/2/slug/qualification-round-2';
const serve = (variant: string) =>
  fixtures.routes([{ key: ROUND_KEY, file: `sofascore/handmade/round.ut19.s102079.r2.${variant}.handmade.json` }]);
const envelope = async (id: unknown) => (await (await api(`/publications/${id}`)).json()) as any;

describe('SofaScore jobs through the runtime', () => {
  withCleanState();

  it('a round going from in progress to finished emits exactly one lifecycle change across three syncs', async () => {
    const deps = manualDeps();
    await serve('inprogress');
    const first = await runOnce(deps, 'sofascore.round_matches', ROUND);
    expect(first.stored.result).toMatchObject({ decision: 'PUBLISH_FIRST', provider_requests: 1 });
    const e1 = await envelope(first.stored.result!.publication_id);
    expect(e1.changes.lifecycle).toEqual([]);
    expect(e1.changes.added).toEqual(['match:17148332', 'match:17148399', 'team:34725', 'team:47292', 'team:990001', 'team:990002']);
    expect(e1.payload.matches[0].status).toMatchObject({ status: 'inprogress', period: 'second_half', code: 7 });

    await serve('finished');
    const second = await runOnce(deps, 'sofascore.round_matches', ROUND);
    expect(second.stored.result).toMatchObject({ decision: 'PUBLISH_CHANGED', classification: 'CONTENT_CHANGED' });
    const e2 = await envelope(second.stored.result!.publication_id);
    expect(e2.changes.changed).toEqual(['match:17148332']);
    expect(e2.changes.lifecycle).toEqual([
      expect.objectContaining({
        entity_key: 'match:17148332',
        kind: 'final',
        from: { status: 'inprogress', code: 7, period: 'second_half' },
        status_time: '2026-09-22T21:23:50.000Z',
        settlement_key: 'settlement:17148332:1790112230',
      }),
    ]);
    expect(e2.changes.lifecycle[0].to).toMatchObject({ status: 'finished', ended_by: 'extra_time', winner: 'home' });

    // Only volatile fields moved (user counts, colours, change timestamp): nothing is published, nothing emitted.
    await serve('finished-volatile');
    const third = await runOnce(deps, 'sofascore.round_matches', ROUND);
    expect(third.stored.result).toMatchObject({ decision: 'SKIP_NO_CHANGE', publication_id: null });
    const history = (await (
      await api(
        `/publications?pipeline=sofascore.round_matches&unique_tournament_id=19&season_id=102079&round=2&slug=qualification-round-2`,
      )
    ).json()) as any;
    expect(history.publications).toHaveLength(2);
    const all = await Promise.all(history.publications.map((p: any) => envelope(p.id ?? p.publication?.id)));
    expect(all.flatMap((e: any) => e.changes.lifecycle)).toHaveLength(1);

    // A provider correction of the final result is a new lifecycle change with a new settlement key.
    await serve('corrected');
    const fourth = await runOnce(deps, 'sofascore.round_matches', ROUND);
    const e4 = await envelope(fourth.stored.result!.publication_id);
    expect(e4.changes.lifecycle.map((c: any) => [c.kind, c.settlement_key])).toEqual([['corrected', 'settlement:17148332:1790115830']]);
  });

  it('an unchanged re-sync of a real capture publishes nothing and writes no new body', async () => {
    const deps = manualDeps();
    const a = await runOnce(deps, 'sofascore.match', { event_id: '17148332' });
    expect(a.stored.result).toMatchObject({ decision: 'PUBLISH_FIRST', raw_bodies_written: 1 });
    const e = await envelope(a.stored.result!.publication_id);
    expect(e.changes.lifecycle).toEqual([
      expect.objectContaining({ kind: 'final', from: null, settlement_key: 'settlement:17148332:1790112230' }),
    ]);
    const b = await runOnce(deps, 'sofascore.match', { event_id: 17148332 });
    expect(b.stored.result).toMatchObject({
      decision: 'SKIP_NO_CHANGE',
      raw_bodies_written: 0,
      payload_written: false,
      publication_id: null,
    });
    for (const [pipeline, params] of [
      ['sofascore.tournament_seasons', { unique_tournament_id: '7' }],
      ['sofascore.season_rounds', { unique_tournament_id: '17', season_id: '96668' }],
      ['sofascore.standings', { unique_tournament_id: '17', season_id: '96668', type: 'total' }],
    ] as const) {
      expect((await runOnce(deps, pipeline, params)).stored.result, pipeline).toMatchObject({ decision: 'PUBLISH_FIRST' });
      expect((await runOnce(deps, pipeline, params)).stored.result, pipeline).toMatchObject({ decision: 'SKIP_NO_CHANGE' });
    }
    const other = await envelope((await deps.store.latestPublication('sofascore.standings'))!.id);
    expect(other.changes).not.toHaveProperty('lifecycle');
  });

  it('a challenge is a retryable PROVIDER_BLOCKED with a long delay, counted in metrics; a 404 is a non-retryable NOT_FOUND', async () => {
    const logs = captureErrorLogs();
    const deps = manualDeps();
    const blocked = await runOnce(deps, 'sofascore.match', { event_id: '17148333' });
    expect(blocked.out).toEqual({ kind: 'retry', delaySec: 1800, code: 'PROVIDER_BLOCKED' });
    expect(blocked.stored).toMatchObject({ state: 'pending', lastErrorCode: 'PROVIDER_BLOCKED', lastErrorRetryable: true });
    expect(deps.queue.sent.at(-1)).toEqual({ jobId: blocked.id, delaySec: 1800 });
    expect(await deps.store.latestPublication('sofascore.match')).toBeNull();
    const metrics = await (await api('/metrics')).text();
    expect(metrics).toContain('ingestion_attempt_errors_total{code="PROVIDER_BLOCKED"} 1');
    await deps.store.cancelJob(blocked.id, Date.now(), 'test', 'cleanup');

    for (const [pipeline, params] of [
      ['sofascore.tournament_seasons', { unique_tournament_id: '999999' }],
      ['sofascore.match', { event_id: '99999999' }],
    ] as const) {
      const r = await runOnce(deps, pipeline, params);
      expect(r.out, pipeline).toEqual({ kind: 'failed', code: 'NOT_FOUND' });
      expect(r.stored.lastErrorRetryable).toBe(false);
    }
    // The retryable challenge is a warning; the two 404s are errors.
    expect(logs.errors.map((e) => [e.msg, e.pipeline, e.error_code])).toEqual([
      ['job failed', 'sofascore.tournament_seasons', 'NOT_FOUND'],
      ['job failed', 'sofascore.match', 'NOT_FOUND'],
    ]);
  });

  it('lists the five pipelines in GET /pipelines with their scope params', async () => {
    const body = (await (await api('/pipelines')).json()) as {
      pipelines: Array<{ name: string; provider: string; scope_params: string[] }>;
    };
    const sofa = body.pipelines.filter((p) => p.provider === 'sofascore');
    expect(sofa.map((p) => [p.name, p.scope_params])).toEqual([
      ['sofascore.tournament_seasons', ['unique_tournament_id']],
      ['sofascore.season_rounds', ['unique_tournament_id', 'season_id']],
      ['sofascore.round_matches', ['unique_tournament_id', 'season_id', 'round', 'slug']],
      ['sofascore.match', ['event_id']],
      ['sofascore.standings', ['unique_tournament_id', 'season_id', 'type']],
    ]);
  });
});
