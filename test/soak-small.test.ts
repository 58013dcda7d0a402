/**
 * A small soak in the Workers pool (the fast sibling of scripts/soak.mjs): 40 liverc.event_catalog jobs over 8
 * synthetic scopes, a fixture server that fails a share of requests (5xx, 429 + Retry-After, timeouts, truncated
 * bodies), half the scopes changing content half-way, duplicate deliveries, and consumer crashes (a claim that never
 * finishes). handleJobMessage is driven by hand against a controllable clock, with sweepJobs as the cron, until every job
 * is terminal. Then: no lost or stuck job, no duplicate publication, every job's transitions a consistent chain.
 */
import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pageA from '../testdata/liverc/Track.events.listing.page.html?raw';
import { TERMINAL_STATES } from '../src/core/types';
import { sweepJobs } from '../src/runtime/cron-tasks';
import { enqueueJob } from '../src/runtime/enqueue';
import { handleJobMessage } from '../src/runtime/handle-job-message';
import { assertInvariants, clock, fixtures, manualDeps, migrate } from './helpers';

const JOBS = 40;
const SCOPES = 8;
const PIPELINE = 'liverc.event_catalog';

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('small soak: faults, crashes and duplicate deliveries', () => {
  beforeEach(async () => {
    await migrate();
    await fixtures.reset();
  });
  afterEach(async () => {
    await fixtures.reset();
    await reset();
  });

  it('ends with every job terminal, none lost or stuck, and no duplicate publication', async () => {
    const rand = prng(42);
    const c = clock();
    const deps = manualDeps({ clock: c, workerId: 'worker:soak' });
    const slugs = Array.from({ length: SCOPES }, (_, i) => `soaksmall${i}`);
    const changing = new Set(slugs.filter((_, i) => i % 2 === 0));
    const pageB = pageA.replace('Clay Cup', 'Clay Cup (revised)');
    expect(pageB).not.toBe(pageA);
    const served = new Map(slugs.map((s) => [s, 1]));
    await fixtures.routes(
      slugs.map((s) => ({ key: `${s}.liverc.com/events/`, file: 'liverc/Track.events.listing.page.html', label: 'A' })),
    );
    await fixtures.faults({ rate5xx: 0.1, rate429: 0.06, retryAfterSec: 2, rateTimeout: 0.02, rateTruncate: 0.06, seed: 16 });

    const created = new Map<string, string>(); // job id -> slug
    let switched = false;
    let crashes = 0;
    let duplicateDeliveries = 0;
    let deliveryCount = 0;
    // Messages in flight: what the recording queue was asked to send, with the clock time each becomes due.
    const inbox: Array<{ jobId: string; dueAt: number }> = [];
    const collect = () => {
      for (const m of deps.queue.sent.splice(0)) inbox.push({ jobId: m.jobId, dueAt: c.now() + (m.delaySec ?? 0) * 1000 });
    };
    const allTerminal = async () => {
      const rows = await env.DB.prepare(`SELECT id, state FROM ingestion_jobs`).all<{ id: string; state: string }>();
      const states = new Map(rows.results.map((r) => [r.id, r.state]));
      return { states, open: [...created.keys()].filter((id) => !TERMINAL_STATES.includes(states.get(id) as never)) };
    };

    let cursor = 0;
    for (let round = 0; round < 400; round++) {
      // Enqueue a few per round (an active scope returns its existing job: deduplicated, not counted).
      for (let k = 0; k < 4 && created.size < JOBS; k++) {
        const slug = slugs[cursor++ % SCOPES]!;
        const r = await enqueueJob(
          { ...deps, defaultMaxAttempts: 5 },
          { pipeline: PIPELINE, params: { track_slug: slug }, actor: 'soak', reason: 'soak' },
        );
        if (r.created) created.set(r.job.id, slug);
      }
      if (!switched && created.size >= JOBS / 2) {
        switched = true;
        await fixtures.routes(
          [...changing].map((s) => ({ key: `${s}.liverc.com/events/`, body: pageB, contentType: 'text/html; charset=utf-8', label: 'B' })),
        );
        for (const s of changing) served.set(s, 2);
      }
      collect();
      const due = inbox.filter((m) => m.dueAt <= c.now());
      inbox.splice(0, inbox.length, ...inbox.filter((m) => m.dueAt > c.now()));
      const deliveries: Promise<unknown>[] = [];
      for (const m of due) {
        const r = rand();
        if (r < 0.1) {
          // Consumer crash: it claims the job (opening an attempt under a lease) and dies before finishing.
          crashes++;
          const now = c.now();
          deliveries.push(
            deps.store.claimJob({
              jobId: m.jobId,
              workerId: 'worker:crashed',
              claimToken: crypto.randomUUID(),
              now,
              leaseUntil: now + deps.config.leaseDurationSec * 1000,
              attemptId: crypto.randomUUID(),
            }),
          );
          continue;
        }
        deliveries.push(handleJobMessage(deps, m.jobId));
        if (++deliveryCount % 5 === 0) {
          // Duplicate delivery: a second consumer gets the same message at the same time.
          duplicateDeliveries++;
          deliveries.push(handleJobMessage(manualDeps({ clock: c, workerId: 'worker:twin' }), m.jobId));
        }
      }
      await Promise.all(deliveries);
      // The minute cron: recovers lost messages and expired leases.
      await sweepJobs({ store: deps.store, queue: deps.queue, log: deps.log, now: deps.now });
      collect();
      if (created.size >= JOBS && (await allTerminal()).open.length === 0) break;
      c.advance(5_000);
    }

    const { states, open } = await allTerminal();
    const lost = [...created.keys()].filter((id) => !states.has(id));
    expect(created.size).toBe(JOBS);
    expect(lost).toEqual([]);
    expect(open).toEqual([]); // stuck
    expect(crashes).toBeGreaterThan(0);

    // Publications: never more than the distinct contents a scope was served, never the same hash twice.
    const pubs = await env.DB.prepare(
      `SELECT scope_key, sequence, normalized_hash, job_id FROM published_results ORDER BY scope_key, sequence`,
    ).all<{ scope_key: string; sequence: number; normalized_hash: string; job_id: string }>();
    const byScope = new Map<string, string[]>();
    for (const p of pubs.results) byScope.set(p.scope_key, [...(byScope.get(p.scope_key) ?? []), p.normalized_hash]);
    for (const slug of slugs) {
      const hashes = byScope.get(`track_slug=${slug}`) ?? [];
      expect(new Set(hashes).size, `duplicate publication in ${slug}`).toBe(hashes.length);
      expect(hashes.length, `${slug} published more than the contents it was served`).toBeLessThanOrEqual(served.get(slug)!);
    }
    expect(new Set(pubs.results.map((p) => p.job_id)).size).toBe(pubs.results.length);

    // Transitions: a chain from null -> pending to the job's state; no attempt left running under a finished job.
    for (const id of created.keys()) {
      const ts = await deps.store.listTransitions(id);
      expect(ts[0]).toMatchObject({ fromState: null, toState: 'pending' });
      for (let i = 1; i < ts.length; i++) expect(ts[i]!.fromState, `job ${id} transition ${i}`).toBe(ts[i - 1]!.toState);
      expect(ts[ts.length - 1]!.toState).toBe(states.get(id));
      const attempts = await deps.store.listAttempts(id);
      expect(attempts.filter((a) => a.state === 'running')).toEqual([]);
    }
    // Claims that can fail: the faults asked for happened (counted at the fixture server), each scope's latest
    // publication carries the last full page it was served (a lost B after A fails), and most jobs succeeded.
    const stats = (await (await fetch(`${env.FIXTURE_CONTROL_URL}/__control/stats`)).json()) as {
      faults: Record<string, number>;
      lastServed: Record<string, { label: string }>;
    };
    for (const kind of ['rate5xx', 'rate429', 'rateTimeout', 'rateTruncate'])
      expect(stats.faults[kind] ?? 0, `${kind} injected`).toBeGreaterThan(0);
    for (const slug of slugs) {
      const last = stats.lastServed[`${slug}.liverc.com/events/`]?.label;
      if (!last) continue;
      const latest = await deps.store.latestPublication(PIPELINE, `track_slug=${slug}`);
      const text = latest ? await deps.blobs.getText(latest.envelopeKey) : null;
      const got = text === null ? 'none' : text.includes('Clay Cup (revised)') ? 'B' : 'A';
      const newest = [...created.entries()]
        .filter(([, s]) => s === slug)
        .map(([id]) => states.get(id))
        .at(-1);
      if (newest === 'succeeded') expect(got, `${slug}: latest publication vs last content served`).toBe(last);
    }
    const succeeded = [...created.keys()].filter((id) => states.get(id) === 'succeeded').length;
    expect(succeeded / JOBS, 'success ratio').toBeGreaterThanOrEqual(0.8);
    await assertInvariants(c.now());
    const byState: Record<string, number> = {};
    for (const id of created.keys()) byState[states.get(id)!] = (byState[states.get(id)!] ?? 0) + 1;
    const codes = await env.DB.prepare(
      `SELECT last_error_code AS code, count(*) AS n FROM ingestion_jobs WHERE state != 'succeeded' GROUP BY 1`,
    ).all();
    console.log(
      `soak-small: ${JOBS} jobs ${JSON.stringify(byState)} (not succeeded: ${JSON.stringify(codes.results)}); ${pubs.results.length} publications; ${crashes} crashes; ${duplicateDeliveries} duplicate deliveries`,
    );
  }, 60_000);
});
