// Bare baseline: POST /jobs {slug} writes the same two D1 rows the adapter writes at enqueue (a job row and its first
// transition, one batch) and enqueues one message (like the adapter's POST /internal/v1/jobs); the consumer
// fetches the same provider page through UPSTREAM_OVERRIDE, puts the body in R2 and inserts one D1 row per job.
// GET /done returns how many jobs finished. No auth, no state machine, no leases, no parsing, no publication.
const DDL = [
  'CREATE TABLE IF NOT EXISTS bare_jobs (id TEXT PRIMARY KEY, slug TEXT NOT NULL, bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, at INTEGER NOT NULL)',
  // What the adapter writes at enqueue (a job row and its first transition, in one batch): the baseline does too.
  'CREATE TABLE IF NOT EXISTS bare_enqueued (id TEXT PRIMARY KEY, slug TEXT NOT NULL, state TEXT NOT NULL, at INTEGER NOT NULL)',
  'CREATE TABLE IF NOT EXISTS bare_transitions (id TEXT PRIMARY KEY, job_id TEXT NOT NULL, to_state TEXT NOT NULL, at INTEGER NOT NULL)',
];
let ready = false;
async function ensure(env) {
  if (!ready) {
    for (const ddl of DDL) await env.DB.prepare(ddl).run();
    ready = true;
  }
}

const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    await ensure(env);
    if (url.pathname === '/ready') return new Response('ok');
    if (url.pathname === '/jobs' && request.method === 'POST') {
      const { slug } = await request.json();
      const id = crypto.randomUUID();
      const now = Date.now();
      await env.DB.batch([
        env.DB.prepare('INSERT INTO bare_enqueued (id, slug, state, at) VALUES (?, ?, ?, ?)').bind(id, slug, 'pending', now),
        env.DB.prepare('INSERT INTO bare_transitions (id, job_id, to_state, at) VALUES (?, ?, ?, ?)').bind(
          crypto.randomUUID(),
          id,
          'pending',
          now,
        ),
      ]);
      await env.JOBS_QUEUE.send({ id, slug });
      return Response.json({ id }, { status: 202 });
    }
    if (url.pathname === '/done') {
      const row = await env.DB.prepare('SELECT count(*) AS n FROM bare_jobs').first();
      return Response.json({ done: row.n });
    }
    return new Response('not found', { status: 404 });
  },
  async queue(batch, env) {
    await ensure(env);
    await Promise.all(
      batch.messages.map(async (msg) => {
        const { id, slug } = msg.body;
        try {
          const res = await fetch(`${env.UPSTREAM_OVERRIDE}/${slug}.liverc.com/events/`, { headers: { 'user-agent': 'bare-baseline' } });
          const body = await res.arrayBuffer();
          if (!res.ok) throw new Error(`upstream ${res.status}`);
          const sha = hex(await crypto.subtle.digest('SHA-256', body));
          await env.RAW.put(`raw/${sha}/${id}`, body);
          await env.DB.prepare('INSERT INTO bare_jobs (id, slug, bytes, sha256, at) VALUES (?, ?, ?, ?, ?)')
            .bind(id, slug, body.byteLength, sha, Date.now())
            .run();
          msg.ack();
        } catch (err) {
          console.error('bare job failed', id, String(err));
          msg.retry({ delaySeconds: 1 });
        }
      }),
    );
  },
};
