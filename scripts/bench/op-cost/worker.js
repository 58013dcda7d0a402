// GET /run?kind=<kind>&n=<count>: runs one kind of binding operation n times, 10 at once (a queue batch's
// concurrency), and answers when all are done. The bench reads workerd's CPU time around each request.
import { DurableObject } from 'cloudflare:workers';

export class Probe extends DurableObject {
  async call(payload) {
    return { size: payload.length };
  }
}

const RAW = 'r'.repeat(40_000); // about the e2e events page
const DOC = 'd'.repeat(4_000); // a small JSON document
// A log line of the adapter's shape and length.
const logLine = () =>
  JSON.stringify({
    level: 'info',
    msg: 'job claimed',
    ts: new Date().toISOString(),
    service: 'ingestion-adapter',
    queue: 'ingestion-jobs',
    message_id: crypto.randomUUID(),
    delivery: 1,
    request_id: crypto.randomUUID(),
    job_id: crypto.randomUUID(),
    attempt: 1,
    pipeline: 'liverc.event_catalog',
    scope_key: 'track_slug=op-cost',
    state: 'running',
  });
const insert = (env, i) =>
  env.DB.prepare('INSERT INTO probe (id, a, b, c) VALUES (?, ?, ?, ?)').bind(crypto.randomUUID(), i, `b${i % 97}`, 'c');

const OPS = {
  noop: async () => {},
  d1_round_trip: (env, i) => insert(env, i).run(),
  d1_batch_4: (env, i) => env.DB.batch(Array.from({ length: 4 }, () => insert(env, i))),
  d1_batch_16: (env, i) => env.DB.batch(Array.from({ length: 16 }, () => insert(env, i))),
  r2_put_40k: (env) => env.R2.put(`raw/${crypto.randomUUID()}`, RAW, { onlyIf: { etagDoesNotMatch: '*' } }),
  r2_put_4k: (env) => env.R2.put(`doc/${crypto.randomUUID()}`, DOC, { httpMetadata: { contentType: 'application/json' } }),
  do_call_new: (env) => env.OBJ.get(env.OBJ.idFromName(`new-${crypto.randomUUID()}`)).call(DOC),
  do_call_existing: (env, i) => env.OBJ.get(env.OBJ.idFromName(`known-${i % 10}`)).call(DOC),
  log_line: async () => console.log(logLine()),
  queue_send: (env) => env.Q.send({ job_id: crypto.randomUUID() }),
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/ready') {
      await env.DB.exec('CREATE TABLE IF NOT EXISTS probe (id TEXT PRIMARY KEY, a INTEGER, b TEXT, c TEXT)');
      await env.DB.exec('CREATE INDEX IF NOT EXISTS probe_a ON probe (a)');
      await env.DB.exec('CREATE INDEX IF NOT EXISTS probe_bc ON probe (b, c)');
      return new Response('ok');
    }
    const op = OPS[url.searchParams.get('kind')];
    if (!op) return Response.json({ error: 'unknown kind', kinds: Object.keys(OPS) }, { status: 400 });
    const n = Number(url.searchParams.get('n') ?? 100);
    const t0 = Date.now();
    for (let i = 0; i < n; i += 10) await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, k) => op(env, i + k)));
    return Response.json({ n, ms: Date.now() - t0 });
  },
  async queue(batch) {
    for (const m of batch.messages) m.ack();
  },
};
