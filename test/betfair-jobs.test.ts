/**
 * Betfair pipelines on the real local runtime (miniflare D1, R2 FILES bucket, Durable Objects): a historic stream
 * file in FILES becomes one publication per market, a re-run of the same bytes publishes nothing, a CSV import
 * publishes with its rejections counted and is archived. Files are the real captures (testdata/betfair/).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BZ2, gzip, TEXT, utf8 } from '../src/pipelines/betfair/test-fixtures';
import { api, manualDeps, runOnce, withCleanState, expectErrorLogs } from './helpers';

const exists = async (key: string) => (await env.FILES.head(key)) !== null;

async function payloadOf(deps: ReturnType<typeof manualDeps>, publicationId: string): Promise<Record<string, any>> {
  const pub = (await deps.store.getPublication(publicationId))!;
  return JSON.parse(await (await env.RAW.get(pub.envelopeKey))!.text());
}

describe('betfair.historic_market', () => {
  withCleanState();

  it('a bz2 recording in FILES publishes the market once; a re-run of the same file publishes nothing', async () => {
    const key = 'betfair/historic/BASIC/1.132153978.bz2';
    await env.FILES.put(key, BZ2.basic);
    const deps = manualDeps();
    const first = await runOnce(deps, 'betfair.historic_market', { key });
    expect(first.out.kind).toBe('succeeded');
    // 1 market + 14 runners + 14 selections.
    expect(first.stored.result).toMatchObject({
      decision: 'PUBLISH_FIRST',
      entity_count: 29,
      acceptance: { records_seen: 480 + 14, rejected: 0 },
    });
    const envelope = await payloadOf(deps, first.stored.result!.publication_id as string);
    const payload = envelope.payload ?? envelope.data;
    expect(payload.compression).toBe('bz2');
    expect(payload.markets).toHaveLength(1);
    expect(payload.races).toHaveLength(1);
    const race = payload.races[0];
    expect(race).toMatchObject({
      event_id: '28270094',
      market_id: '1.132153978',
      track: 'Hamilton',
      start_time: '2017-06-14T18:55:00.000Z',
      race_type: 'horse',
      currency: 'GBP',
    });
    expect(race.selections.find((s: { result: string }) => s.result === 'winner')).toMatchObject({
      name: 'Brother Mcgonagall',
      price: 4,
      bsp: 4.15,
    });
    expect(race.selections.filter((s: { status: string }) => s.status === 'scratched').map((s: { name: string }) => s.name)).toEqual([
      'Hellavashock',
      'Hymn For The Dudes',
    ]);

    const again = await runOnce(deps, 'betfair.historic_market', { key });
    expect(again.out.kind).toBe('succeeded');
    expect(again.stored.result).toMatchObject({ decision: 'SKIP_NO_CHANGE' });
    expect((await deps.store.latestPublication('betfair.historic_market', first.stored.scopeKey))!.id).toBe(
      first.stored.result!.publication_id,
    );
  });

  it('a gzip greyhound recording publishes its market with ladders; a truncated line is counted, not fatal', async () => {
    const deps = manualDeps();
    await env.FILES.put('betfair/historic/1.197931750.gz', await gzip(utf8(TEXT.greyhound)));
    const gz = await runOnce(deps, 'betfair.historic_market', { key: 'betfair/historic/1.197931750.gz' });
    expect(gz.stored.result).toMatchObject({ decision: 'PUBLISH_FIRST', acceptance: { records_seen: 166 + 6, rejected: 0 } });
    const payload = (await payloadOf(deps, gz.stored.result!.publication_id as string)).payload;
    expect(payload.markets[0].runners.find((r: { trap: number }) => r.trap === 2)).toMatchObject({
      name: '2. Sandwood Jet',
      result: 'winner',
      ltp_before_off: 25,
    });

    const text = TEXT.basic.trimEnd();
    await env.FILES.put('betfair/historic/cut', utf8(text.slice(0, text.length - 400)));
    const cut = await runOnce(deps, 'betfair.historic_market', { key: 'betfair/historic/cut' });
    expect(cut.stored.result).toMatchObject({
      decision: 'PUBLISH_FIRST',
      acceptance: { rejected: 1, rejected_by_rule: { malformed_line: 1 } },
    });
  });

  it('a stream without a market definition first fails classified, publishing nothing', async () => {
    expectErrorLogs('job failed:BETFAIR_NO_MARKET_DEFINITION');
    const deps = manualDeps();
    await env.FILES.put('betfair/historic/nodef', utf8(TEXT.update));
    const r = await runOnce(deps, 'betfair.historic_market', { key: 'betfair/historic/nodef' });
    expect(r.out).toEqual({ kind: 'failed', code: 'BETFAIR_NO_MARKET_DEFINITION' });
    expect(r.stored).toMatchObject({ lastErrorCategory: 'parse', lastErrorRetryable: false });
  });
});

describe('betfair.csv_import', () => {
  withCleanState();

  it('the real Betfair CSV publishes with its rejections counted by rule and the file is archived', async () => {
    const key = 'betfair/csv/betfair_match_odds/NBL_2024-2025_Match_Odds.csv';
    await env.FILES.put(key, utf8(TEXT.nblCsv));
    const deps = manualDeps();
    const r = await runOnce(deps, 'betfair.csv_import', { key, mapping: 'betfair_match_odds', captured_at: '2024-11-15T00:00:00Z' });
    expect(r.out.kind).toBe('succeeded');
    const acceptance = (
      r.stored.result as { acceptance: { records_seen: number; rejected: number; rejected_by_rule: Record<string, number> } }
    ).acceptance;
    expect(acceptance.records_seen).toBe(284);
    expect(acceptance.rejected).toBeGreaterThan(0);
    expect(acceptance.rejected_by_rule).toEqual({ start_time_window: acceptance.rejected });
    expect(r.stored.result).toMatchObject({ decision: 'PUBLISH_FIRST' });
    expect(await exists(key)).toBe(false);
    expect(await exists('betfair/archive/csv/betfair_match_odds/NBL_2024-2025_Match_Odds.csv')).toBe(true);
    // The same counts in /metrics: records seen and rejected by pipeline, and by rule.
    const metrics = await (await api('/metrics')).text();
    expect(metrics).toContain('ingestion_records_total{pipeline="betfair.csv_import",outcome="seen"} 284');
    expect(metrics).toContain(`ingestion_records_total{pipeline="betfair.csv_import",outcome="rejected"} ${acceptance.rejected}`);
    expect(metrics).toContain(
      `ingestion_records_rejected_total{pipeline="betfair.csv_import",rule="start_time_window"} ${acceptance.rejected}`,
    );
  });
});
