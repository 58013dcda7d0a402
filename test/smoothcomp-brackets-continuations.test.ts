/**
 * Seed 000: an event's brackets take hundreds of requests at the crawl delay. On the real brackets.json of event
 * 30665 (187 brackets), a small attempt budget makes the job finish across continuations, every resource fetched
 * exactly once (counted at the fixture server), with "bracket n of N" progress stored after each attempt.
 */
import { describe, expect, it } from 'vitest';
import real30665 from '../testdata/smoothcomp/real/event_30665_brackets.json?raw';
import { enqueueJob } from '../src/runtime/enqueue';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { api, clock, fixtures, manualDeps, withCleanState } from './helpers';

const E = 'adcc.smoothcomp.com/en/event/30665';
const ids = (JSON.parse(real30665) as { brackets: Array<{ bracket_id: number | string }> }).brackets.map((b) => String(b.bracket_id));

describe('smoothcomp.event_brackets across continuations', () => {
  withCleanState();

  it('completes 187 real brackets over several attempts, each resource once, reporting bracket n of N', async () => {
    expect(ids).toHaveLength(187);
    // Bracket bodies are not captured for this event: every bracket answers with the recorded bracket shape.
    await fixtures.routes(
      ids.flatMap((id) => [
        { key: `${E}/schedule/new/bracket.json/${id}`, file: 'smoothcomp/brackets/bracket-880001.handmade.json' },
        { key: `${E}/bracket/${id}/getPlacementTableData`, file: 'smoothcomp/brackets/placements-880001.handmade.json' },
      ]),
    );
    const c = clock();
    const base = manualDeps({ clock: c });
    const send = base.client.fetch.bind(base.client);
    base.client.fetch = async (profile, req) => {
      const res = await send(profile, req);
      c.advance(1_000); // one second per request against a 150 s budget: 150 requests per attempt
      return res;
    };
    const deps = { ...base, config: { ...base.config, attemptBudgetSec: 150 } };
    const { job } = await enqueueJob(
      { ...deps, defaultMaxAttempts: 1 },
      {
        pipeline: 'smoothcomp.event_brackets',
        params: { event_id: '30665', host: 'adcc.smoothcomp.com', match_detail_limit: 0 },
        actor: 'test',
        reason: 'test',
      },
    );
    const progress: Array<[number, number]> = [];
    let last = '';
    for (let i = 0; i < 20; i++) {
      const out = await handleJobMessage(deps, job.id);
      last = out.kind;
      const j = (await deps.store.getJob(job.id))!;
      progress.push([j.progressDone, j.progressTotal]);
      if (out.kind !== 'continued') break;
    }
    expect(last).toBe('succeeded');
    const keys = (await fixtures.log()).map((l) => l.key);
    expect(keys).toHaveLength(1 + 2 * 187);
    expect(new Set(keys).size).toBe(keys.length);
    // 375 requests at 150 per attempt: 3 attempts, 2 of them continuations; progress counts brackets, not requests.
    expect(progress).toHaveLength(3);
    expect(progress.every(([, total]) => total === 187)).toBe(true);
    const done = progress.map(([d]) => d);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(done[0]).toBeGreaterThan(0);
    expect(done.at(-1)).toBe(187);
    const stored = (await deps.store.getJob(job.id))!;
    expect(stored).toMatchObject({ state: 'succeeded', retryCount: 0, attemptCount: 3 });
    expect(stored.result).toMatchObject({ decision: 'PUBLISH_FIRST', entities_new: expect.any(Number) });
    const view = (await (await api(`/jobs/${job.id}`)).json()) as any;
    expect(view.job.progress).toEqual({ done: 187, total: 187, unit: 'bracket' });
    const env = (await (await api('/publications/latest?pipeline=smoothcomp.event_brackets&event_id=30665')).json()) as any;
    expect(env.payload.bracket_count).toBe(187);
    expect(env.payload.brackets.every((b: any) => b.matches.length > 0)).toBe(true);
  }, 180_000);
});
