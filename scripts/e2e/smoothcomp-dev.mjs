#!/usr/bin/env node
// Issue 16's end-to-end check on `wrangler dev` (local D1, R2, Queues, Durable Objects) fed by the fixture server:
// a federation listing (ADCC, federation 176, two upcoming pages and one past page) and a match detail on the real
// getBracketMatchData capture, each enqueued through the API and published; then an unchanged re-sync of each
// publishes nothing. Exits non-zero on any mismatch. Usage: node scripts/e2e/smoothcomp-dev.mjs
import { startStack, waitForJob } from '../dev-stack.mjs';

const JOBS = [
  {
    pipeline: 'smoothcomp.event_catalog',
    params: { host: 'adcc.smoothcomp.com', federation_id: '176' },
    latest: 'pipeline=smoothcomp.event_catalog&host=adcc.smoothcomp.com&federation_id=176',
  },
  { pipeline: 'smoothcomp.match_detail', params: { match_id: '10642225' }, latest: 'pipeline=smoothcomp.match_detail&match_id=10642225' },
];

const stack = await startStack({});
let code = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) code = 1;
};
try {
  console.log(`wrangler dev at ${stack.url}; fixtures at ${stack.fixtures.url}`);
  for (const j of JOBS) {
    const run = async () => {
      const res = await stack.api('/jobs', { method: 'POST', body: JSON.stringify({ pipeline: j.pipeline, params: j.params }) });
      const body = await res.json();
      if (res.status >= 300) throw new Error(`enqueue ${j.pipeline} failed ${res.status}: ${JSON.stringify(body)}`);
      return waitForJob(stack, body.job.id);
    };
    const first = await run();
    const r = first.job.result ?? {};
    check(
      first.job.state === 'succeeded',
      `${j.pipeline} ${JSON.stringify(j.params)}: ${first.job.state} ${r.decision ?? JSON.stringify(first.job.last_error)} (${r.provider_requests} requests, ${r.entity_count} entities, +${r.entities_new} ~${r.entities_changed})`,
    );
    const env = await (await stack.api(`/publications/latest?${j.latest}`)).json();
    const p = env.payload ?? {};
    if (j.pipeline === 'smoothcomp.event_catalog') {
      const listings = (p.listings ?? []).map((l) => `${l.listing}:${l.pages_fetched}p${l.overflow ? ' overflow' : ''}`).join(', ');
      check(
        p.filters?.federation_id === '176' && (p.events?.length ?? 0) > 0,
        `federation 176 listing published: ${p.events?.length} events; ${listings}`,
      );
    } else {
      const sides = (p.sides ?? []).map((s) => `${s.name} (${s.club ?? '?'}, ${s.country_code ?? '?'})${s.is_winner ? ' won' : ''}`);
      check(
        p.match_id === '10642225' && p.sides?.length === 2,
        `match 10642225 published: won_by ${p.won_by} (${p.won_by_raw}); ${sides.join(' vs ')}`,
      );
    }
    const again = await run();
    check(
      again.job.state === 'succeeded' && again.job.result?.decision === 'SKIP_NO_CHANGE',
      `${j.pipeline} re-sync: ${again.job.result?.decision} (unchanged ${again.job.result?.entities_unchanged})`,
    );
  }
} catch (err) {
  console.error(err);
  code = 1;
} finally {
  await stack.stop();
}
process.exit(code);
