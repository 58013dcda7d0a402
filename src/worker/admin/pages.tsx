/** @jsxImportSource hono/jsx */
/** Console pages (GET, behind a session). Reads go through the same store and lookups as /internal/v1. */
import { Hono } from 'hono';
import type { LifecycleChange } from '../../core/pipeline';
import { JOB_STATES, type JobState } from '../../core/types';
import { getPipeline, listPipelines } from '../../pipelines/registry';
import { rawKey } from '../../runtime/blob-keys';
import { loadEnvelope, loadEnvelopeText, requirePipeline } from '../../runtime/lookups';
import { consoleReadsOf, R2BlobStore } from '../../wiring/env-ports';
import { encodeCursor } from '../http/serialize';
import { entityDiff } from './diff';
import { ConsoleError, storeFor, type AdminEnv } from './guard';
import { JobPage, liveJson } from './job';
import { JobsPage } from './jobs';
import { loadOverview, OverviewPage } from './overview';
import { PipelinesPage } from './pipelines';
import { HistoryPage, PublicationPage, PublicationsIndex } from './publications';
import { SchedulesPage } from './schedules';
import { consoleCursor, view } from './view';

export const pageRoutes = new Hono<AdminEnv>();
const UUID = /^[0-9a-f-]{36}$/;
const PAYLOAD_PREVIEW_CHARS = 40_000;

pageRoutes.get('/', async (c) => {
  const now = Date.now();
  const data = await loadOverview(storeFor(c), consoleReadsOf(c.env, storeFor(c)), now);
  return view(c, <OverviewPage csrf={c.get('session').csrf} now={now} data={data} />);
});

pageRoutes.get('/pipelines', async (c) => {
  // The track picker of "Sync Events for This Track" lists the slugs of the latest track catalogue publication.
  const s = storeFor(c);
  const latest = await s.latestPublication('liverc.track_catalog', 'all');
  let slugs: string[] = [];
  if (latest) {
    const env = await loadEnvelope(new R2BlobStore(c.env.RAW), latest);
    slugs = ((env.payload as { tracks?: Array<{ slug: string }> })?.tracks ?? []).map((t) => t.slug);
  }
  return view(c, <PipelinesPage csrf={c.get('session').csrf} pipelines={listPipelines()} trackSlugs={slugs} />);
});

pageRoutes.get('/jobs', async (c) => {
  const q = c.req.query();
  const state = q.state && (JOB_STATES as readonly string[]).includes(q.state) ? (q.state as JobState) : undefined;
  if (q.state && !state) throw new ConsoleError(400, 'INVALID_QUERY', `state must be one of ${JOB_STATES.join(', ')}`, 'state');
  const at = consoleCursor(q.cursor);
  const cursor = at ? { createdAt: at.at, id: at.id } : undefined;
  const limit = 50;
  const filter = {
    state,
    pipeline: q.pipeline || undefined,
    scope_key: q.scope_key || undefined,
    parent_job_id: q.parent_job_id || undefined,
  };
  const jobs = await storeFor(c).listJobs({
    state,
    pipeline: filter.pipeline,
    scopeKey: filter.scope_key,
    parentJobId: filter.parent_job_id,
    cursor,
    limit: limit + 1,
  });
  const page = jobs.slice(0, limit);
  const last = page[page.length - 1];
  const clean = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return view(
    c,
    <JobsPage
      csrf={c.get('session').csrf}
      jobs={page}
      filter={clean}
      pipelines={listPipelines().map((p) => p.name)}
      next={jobs.length > limit && last ? encodeCursor([last.createdAt, last.id]) : null}
    />,
  );
});

pageRoutes.get('/jobs/:id/live.json', async (c) => {
  const id = c.req.param('id');
  if (!UUID.test(id)) throw new ConsoleError(400, 'INVALID_JOB_ID', 'job id must be a UUID', 'id');
  const job = await storeFor(c).getJob(id);
  if (!job) return c.json({ error: { code: 'JOB_NOT_FOUND', message: `no job ${id}` } }, 404);
  return c.json(liveJson(job));
});

pageRoutes.get('/jobs/:id', async (c) => {
  const id = c.req.param('id');
  if (!UUID.test(id)) throw new ConsoleError(400, 'INVALID_JOB_ID', 'job id must be a UUID', 'id');
  const s = storeFor(c);
  const job = await s.getJob(id);
  if (!job) throw new ConsoleError(404, 'JOB_NOT_FOUND', `no job ${id}`);
  const [attempts, transitions, snapshots, normalized] = await Promise.all([
    s.listAttempts(id),
    s.listTransitions(id),
    s.listSnapshots(id),
    s.getNormalized(id),
  ]);
  return view(c, <JobPage csrf={c.get('session').csrf} d={{ job, attempts, transitions, snapshots, normalized }} />);
});

pageRoutes.get('/snapshots/:sha', async (c) => {
  const sha = c.req.param('sha');
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new ConsoleError(400, 'INVALID_SHA256', 'snapshot id must be a lowercase hex sha256', 'sha256');
  const snap = await storeFor(c).getSnapshotBySha(sha);
  const obj = snap ? await c.env.RAW.get(rawKey(sha)) : null;
  if (!snap || !obj) throw new ConsoleError(404, 'SNAPSHOT_NOT_FOUND', `no raw snapshot ${sha}`);
  // Shown as text: raw provider HTML must never render (or run) as this origin's page.
  return new Response(obj.body, {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-security-policy': "sandbox; default-src 'none'",
      'x-content-type-options': 'nosniff',
      'x-snapshot-url': snap.url,
    },
  });
});

pageRoutes.get('/publications', async (c) => {
  // One query for every pipeline's latest publication (it was one query per pipeline).
  const pipelines = listPipelines();
  const pubs = new Map((await storeFor(c).latestPublications(pipelines.map((p) => p.name))).map((p) => [p.pipeline, p]));
  const latest = pipelines.map((pipeline) => ({ pipeline, pub: pubs.get(pipeline.name) ?? null }));
  return view(c, <PublicationsIndex csrf={c.get('session').csrf} latest={latest} />);
});

pageRoutes.get('/publications/history', async (c) => {
  const { pipeline = '', scope_key = '', before } = c.req.query();
  requirePipeline(pipeline, { details: { field: 'pipeline' } });
  if (!scope_key || scope_key.length > 500)
    throw new ConsoleError(400, 'SCOPE_REQUIRED', 'scope_key is required (1-500 characters)', 'scope_key');
  if (before !== undefined && !/^\d+$/.test(before))
    throw new ConsoleError(400, 'INVALID_QUERY', 'before must be a sequence number', 'before');
  const limit = 50;
  const pubs = await storeFor(c).listPublications(pipeline, scope_key, before === undefined ? null : Number(before), limit + 1);
  const page = pubs.slice(0, limit);
  return view(
    c,
    <HistoryPage
      csrf={c.get('session').csrf}
      pipeline={pipeline}
      scopeKey={scope_key}
      pubs={page}
      next={pubs.length > limit ? page[page.length - 1]!.sequence : null}
    />,
  );
});

pageRoutes.get('/publications/:id/envelope.json', async (c) => {
  const id = c.req.param('id');
  if (!UUID.test(id)) throw new ConsoleError(400, 'INVALID_PUBLICATION_ID', 'publication id must be a UUID', 'id');
  const pub = await storeFor(c).getPublication(id);
  if (!pub) throw new ConsoleError(404, 'PUBLICATION_NOT_FOUND', `no publication ${id}`);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (c.req.query('download')) headers['content-disposition'] = `attachment; filename="${pub.pipeline}-${pub.sequence}-${pub.id}.json"`;
  return c.body(await loadEnvelopeText(new R2BlobStore(c.env.RAW), pub), 200, headers);
});

pageRoutes.get('/publications/:id', async (c) => {
  const id = c.req.param('id');
  if (!UUID.test(id)) throw new ConsoleError(400, 'INVALID_PUBLICATION_ID', 'publication id must be a UUID', 'id');
  const s = storeFor(c);
  const pub = await s.getPublication(id);
  if (!pub) throw new ConsoleError(404, 'PUBLICATION_NOT_FOUND', `no publication ${id}`);
  const blobs = new R2BlobStore(c.env.RAW);
  const envelope = await loadEnvelope(blobs, pub);
  const previous = pub.supersedesId ? await s.getPublication(pub.supersedesId) : null;
  const prevEnvelope = previous ? await loadEnvelope(blobs, previous) : null;
  const pipeline = getPipeline(pub.pipeline);
  const changes = (envelope.changes ?? { added: [], removed: [], changed: [] }) as {
    added: string[];
    removed: string[];
    changed: string[];
    lifecycle?: LifecycleChange[];
  };
  const diff = pipeline
    ? entityDiff(pipeline, changes, envelope.payload, prevEnvelope?.payload)
    : { added: [], removed: [], changed: [], more: { added: 0, removed: 0, changed: 0 } };
  const text = JSON.stringify(envelope.payload, null, 2);
  return view(
    c,
    <PublicationPage
      csrf={c.get('session').csrf}
      pub={pub}
      diff={diff}
      payloadPreview={text.slice(0, PAYLOAD_PREVIEW_CHARS)}
      truncated={text.length > PAYLOAD_PREVIEW_CHARS}
      lifecycle={changes.lifecycle}
    />,
  );
});

pageRoutes.get('/schedules', async (c) =>
  view(c, <SchedulesPage csrf={c.get('session').csrf} schedules={await storeFor(c).listSchedules()} now={Date.now()} />),
);
