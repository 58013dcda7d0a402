#!/usr/bin/env node
// The quick start's first command: runs a LiveRC deep ingestion of event 486677 end to end on the local stack
// (wrangler dev with local D1, R2, Queues and Durable Objects, fed by recorded pages), then an unchanged re-sync,
// and prints the publication.
import { startStack, waitForJob } from './dev-stack.mjs';

const JOB = { pipeline: 'liverc.event_deep', params: { track_slug: 'canberraoffroad', event_id: '486677' } };

// `npm run demo -- --store postgres` runs the same job on the PostgreSQL store through Hyperdrive.
const store = process.argv.includes('--store') ? process.argv[process.argv.indexOf('--store') + 1] : 'd1';
const stack = await startStack({ store, cron: true });
let code = 0;
try {
  console.log(`wrangler dev ready at ${stack.url} (store: ${store}); fixtures at ${stack.fixtures.url}`);
  // The cron ticker fired the scheduled handler once at start: the shipped default schedules exist already.
  const { schedules } = await (await stack.api('/schedules')).json();
  console.log(
    `schedules (cron is UTC; the ticker fires every minute): ${schedules.map((s) => `${s.id} "${s.cron}" ${s.pipeline}`).join('; ')}`,
  );
  const enqueue = async (body) => {
    const res = await stack.api('/jobs', { method: 'POST', body: JSON.stringify(body) });
    const json = await res.json();
    if (res.status >= 300 && res.status !== 200) throw new Error(`enqueue failed ${res.status}: ${JSON.stringify(json)}`);
    return json.job;
  };
  const first = await waitForJob(stack, (await enqueue(JOB)).id);
  const r = first.job.result ?? {};
  console.log(`\n1) ${JOB.pipeline} ${JSON.stringify(JOB.params)} -> ${first.job.state}`);
  if (first.job.state !== 'succeeded') throw new Error(JSON.stringify(first.job.last_error));
  console.log(
    `   decision ${r.decision} (${r.reason}); ${r.provider_requests} provider requests, ` +
      `${r.raw_bodies_written} raw bodies stored, ${r.entity_count} entities`,
  );
  console.log(`   transitions: ${first.transitions.map((t) => `${t.from ?? '∅'}→${t.to}`).join(', ')}`);

  const latest = await (
    await stack.api('/publications/latest?pipeline=liverc.event_deep&track_slug=canberraoffroad&event_id=486677')
  ).json();
  const p = latest.payload;
  console.log(
    `\nLatest publication ${latest.publication.id} ` +
      `(sequence ${latest.publication.sequence}, ${latest.contract.schema} v${latest.contract.version})`,
  );
  console.log(`   event: ${p.event?.name} on ${p.event?.date ?? p.event?.event_date ?? '?'}; complete: ${p.complete}`);
  console.log(`   entries ${p.entries?.length}, races ${p.races?.length}, results ${p.results?.length}, laps ${p.laps?.length}`);
  console.log(
    `   changes since previous: +${latest.changes.added.length} -${latest.changes.removed.length} ~${latest.changes.changed.length}`,
  );
  console.log(
    `   hashes: normalized ${latest.hashes.normalized_hash.slice(0, 16)}…, envelope ${latest.hashes.envelope_hash.slice(0, 16)}…`,
  );

  const again = await waitForJob(stack, (await enqueue({ ...JOB, params: { ...JOB.params, refetch: true } })).id);
  const a = again.job.result ?? {};
  console.log(
    `\n2) unchanged re-sync with refetch=true -> ${again.job.state}: ${a.decision} (${a.reason}); ` +
      `raw bodies written ${a.raw_bodies_written}, publication ${a.publication_id ?? 'none'}`,
  );
  const skip = await waitForJob(stack, (await enqueue(JOB)).id);
  console.log(
    `3) same request without refetch -> ${skip.job.state}: ${skip.job.result?.summary}; ` +
      `provider requests ${skip.job.result?.provider_requests}`,
  );
  // The console on the same stack: interactive runs (or --console) keep it up until Ctrl+C; others just print it.
  console.log(`\nAdmin console: ${stack.url}/admin  (sign in with the operator token: ${stack.token})`);
  if (process.argv.includes('--console') || (process.stdout.isTTY && !process.argv.includes('--exit'))) {
    console.log('The stack stays up for the console; press Ctrl+C to stop it.');
    await new Promise((ok) => {
      process.once('SIGINT', ok);
      process.once('SIGTERM', ok);
    });
  }
} catch (err) {
  code = 1;
  console.error(`demo failed: ${err.stack ?? err}`);
  console.error(stack.logs.join('').slice(-4000));
} finally {
  await stack.stop();
}
process.exit(code);
