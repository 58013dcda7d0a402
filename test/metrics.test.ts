/**
 * /metrics exposes seed 001's golden signals for real jobs: retries and dead letters by pipeline, attempt duration
 * histogram, no-change rate, staleness.
 */
import { describe, expect, it } from 'vitest';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { api, CATALOG, CATALOG_KEY, clock, fixtures, manualDeps, runOnce, withCleanState, expectErrorLogs } from './helpers';

describe('/metrics golden signals', () => {
  withCleanState();

  it('reports retries, dead letters, attempt durations, the no-change rate and publication staleness from the jobs that ran', async () => {
    expectErrorLogs('job failed:PROVIDER_4XX');
    const c = clock(Date.now() - 120_000);
    const deps = manualDeps({ clock: c });
    const first = await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params });
    expect(first.out.kind).toBe('succeeded');
    await fixtures.routes([{ key: CATALOG_KEY, status: 503, body: 'down', contentType: 'text/plain', times: 1 }]);
    const second = await runOnce(deps, CATALOG.pipeline, { ...CATALOG.params });
    expect(second.out.kind).toBe('retry');
    c.advance(10_000);
    expect((await handleJobMessage(deps, second.id)).kind).toBe('succeeded'); // same page: SKIP_NO_CHANGE
    await fixtures.routes([{ key: 'live.liverc.com/', status: 400, body: 'no', contentType: 'text/plain' }]);
    expect((await runOnce(deps, 'liverc.track_catalog', {})).out.kind).toBe('failed');

    const text = await (await api('/metrics')).text();
    expect(text).toContain('ingestion_job_retries_by_pipeline_total{pipeline="liverc.event_catalog"} 1');
    expect(text).toContain('ingestion_jobs_dead_lettered{pipeline="liverc.track_catalog",state="failed"} 1');
    expect(text).toContain('# TYPE ingestion_attempt_duration_seconds histogram');
    expect(text).toContain('ingestion_attempt_duration_seconds_count{pipeline="liverc.event_catalog"} 3');
    expect(text).toContain('ingestion_attempt_duration_seconds_bucket{pipeline="liverc.event_catalog",le="+Inf"} 3');
    expect(text).toContain('ingestion_publication_decisions_total{pipeline="liverc.event_catalog",decision="SKIP_NO_CHANGE"} 1');
    expect(text).toContain('ingestion_no_change_ratio{pipeline="liverc.event_catalog"} 0.5');
    // The publication was made on the test clock, two minutes before the real now the endpoint reads.
    const age = Number(/ingestion_latest_publication_age_seconds\{pipeline="liverc.event_catalog"\} ([\d.]+)/.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(110);
    expect(text).toContain('ingestion_oldest_due_schedule_age_seconds 0'); // no schedule yet: none overdue

    // A schedule the cron has not caught up with: due five minutes ago (a disabled one older still is ignored).
    const now = Date.now();
    const schedule = { pipeline: CATALOG.pipeline, params: { ...CATALOG.params }, cron: '0 * * * *', createdAt: now, updatedAt: now };
    await deps.store.upsertSchedule({ ...schedule, id: 'overdue', enabled: true, nextDueAt: now - 300_000 });
    await deps.store.upsertSchedule({ ...schedule, id: 'off', enabled: false, nextDueAt: now - 3_600_000 });
    const later = await (await api('/metrics')).text();
    const due = Number(/ingestion_oldest_due_schedule_age_seconds ([\d.]+)/.exec(later)?.[1]);
    expect(due).toBeGreaterThanOrEqual(299);
    expect(due).toBeLessThan(600);
  });
});
