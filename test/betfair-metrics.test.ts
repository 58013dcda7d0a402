/**
 * Job metrics (issue 19): records seen, accepted, rejected by rule, provider requests, duration and throughput,
 * in the job detail and summed by pipeline in /metrics, from real Betfair jobs on the local runtime.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { TEXT, utf8 } from '../src/pipelines/betfair/test-fixtures';
import { api, manualDeps, runOnce, withCleanState } from './helpers';

describe('job metrics', () => {
  withCleanState();

  it('job detail and /metrics carry records seen/accepted/rejected by rule, provider requests, duration and throughput', async () => {
    // The real clock: attempt durations are measured, not frozen.
    const deps = { ...manualDeps(), now: Date.now };
    await env.FILES.put('betfair/historic/BASIC-1.132153978', utf8(TEXT.basic));
    const whole = await runOnce(deps, 'betfair.historic_market', { key: 'betfair/historic/BASIC-1.132153978' });
    // The BASIC file cut 400 bytes short: its last line is malformed (line 480), everything else is accepted.
    const text = TEXT.basic.trimEnd();
    await env.FILES.put('betfair/historic/cut', utf8(text.slice(0, text.length - 400)));
    const cut = await runOnce(deps, 'betfair.historic_market', { key: 'betfair/historic/cut' });
    expect([whole.out.kind, cut.out.kind]).toEqual(['succeeded', 'succeeded']);

    const detail = (await (await api(`/jobs/${cut.id}`)).json()) as any;
    expect(detail.metrics).toMatchObject({
      records_seen: 480 + 14,
      accepted: 480 + 14 - 1,
      rejected: 1,
      rejected_by_rule: { malformed_line: 1 },
      // The runtime counts every resource a job read; here the one FILES object (the poller's jobs count their
      // listMarketBook request the same way, test/market-poller.test.ts).
      provider_requests: 1,
      attempts: 1,
    });
    expect(detail.metrics.duration_ms).toBeGreaterThan(0);
    expect(detail.metrics.records_per_s).toBeCloseTo(494 / (detail.metrics.duration_ms / 1000), 6);
    expect(detail.job.result.acceptance.sample).toEqual([expect.objectContaining({ locator: 'line:480', rule: 'malformed_line' })]);

    const m = await (await api('/metrics')).text();
    const P = 'pipeline="betfair.historic_market"';
    expect(m).toContain(`ingestion_records_total{${P},outcome="seen"} ${494 * 2}`);
    expect(m).toContain(`ingestion_records_total{${P},outcome="accepted"} ${494 * 2 - 1}`);
    expect(m).toContain(`ingestion_records_total{${P},outcome="rejected"} 1`);
    expect(m).toContain(`ingestion_records_rejected_total{${P},rule="malformed_line"} 1`);
    expect(m).toContain(`ingestion_provider_requests_total{${P}} 2`);
    expect(m).toMatch(/ingestion_record_throughput_per_second\{pipeline="betfair.historic_market"\} \d/);
  });
});
