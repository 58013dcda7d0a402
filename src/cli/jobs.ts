/** Job commands: enqueue, wait with progress (children included), list, show, cancel, retry. */
import { type ApiClient, CliError, EXIT } from './client';
import { table, type Io } from './io';

export interface JobJson {
  id: string;
  pipeline: string;
  state: string;
  scope_key: string;
  params: Record<string, unknown>;
  requested_by: string | null;
  progress: { done: number; total: number };
  result: Record<string, unknown> | null;
  last_error: { code: string; message: string } | null;
  created_at: string;
  finished_at: string | null;
  attempt_count: number;
}

const TERMINAL = new Set(['succeeded', 'failed', 'exhausted', 'cancelled']);

export interface WaitOptions {
  intervalMs?: number;
  timeoutMs?: number;
}

/** Polls a job until it ends, feeding its progress (done/total of its fetch plan) to the progress sink. */
export async function waitForJob(api: ApiClient, io: Io, id: string, label: string, o: WaitOptions = {}): Promise<JobJson> {
  const deadline = Date.now() + (o.timeoutMs ?? 10 * 60_000);
  io.progress.start(label, 1);
  try {
    for (;;) {
      const { job } = await api.call<{ job: JobJson }>('GET', `/jobs/${id}`);
      const total = Math.max(job.progress.total, job.progress.done, 1);
      // A finished job's bar is full even when it ran too fast for a poll to see its fetch plan.
      io.progress.update(job.state === 'succeeded' ? total : job.progress.done, total, job.state);
      if (TERMINAL.has(job.state)) return job;
      if (Date.now() > deadline)
        throw new CliError(EXIT.TIMEOUT, `gave up waiting for job ${id} (${job.state}); it keeps running: ingest jobs show ${id}`);
      await io.sleep(o.intervalMs ?? 500);
    }
  } finally {
    io.progress.stop();
  }
}

/** Waits for every child of a job (follow-ups such as LiveRC laps_full event ingestions): the bar counts children. */
export async function waitForChildren(api: ApiClient, io: Io, parentId: string, o: WaitOptions = {}): Promise<JobJson[]> {
  const deadline = Date.now() + (o.timeoutMs ?? 30 * 60_000);
  let children: JobJson[] = [];
  io.progress.start('child jobs', 1);
  try {
    for (;;) {
      children = await listAll(api, `/jobs?parent_job_id=${parentId}&limit=100`);
      const done = children.filter((c) => TERMINAL.has(c.state)).length;
      io.progress.update(done, Math.max(children.length, 1), `${done}/${children.length} children done`);
      if (done === children.length) return children;
      if (Date.now() > deadline) throw new CliError(EXIT.TIMEOUT, `gave up waiting for the children of ${parentId}`);
      await io.sleep(o.intervalMs ?? 500);
    }
  } finally {
    io.progress.stop();
  }
}

async function listAll(api: ApiClient, path: string): Promise<JobJson[]> {
  const out: JobJson[] = [];
  let cursor: string | null = null;
  do {
    const page: { jobs: JobJson[]; next_cursor: string | null } = await api.call(
      'GET',
      cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path,
    );
    out.push(...page.jobs);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

/** The exit code a finished job stands for: failure states are non-zero; a skipped complete event is distinct. */
export function exitCodeOf(job: JobJson): number {
  if (job.state !== 'succeeded') return EXIT.FAILED;
  return job.result?.skip_reason === 'EVENT_ALREADY_COMPLETE' ? EXIT.ALREADY_COMPLETE : EXIT.OK;
}

export function describeJob(job: JobJson): string {
  const r = job.result ?? {};
  const outcome =
    job.state === 'succeeded'
      ? `${r.decision ?? r.outcome ?? ''} ${r.summary ? `(${String(r.summary)})` : ''}`.trim()
      : job.last_error
        ? `${job.last_error.code}: ${job.last_error.message}`
        : '';
  return `job ${job.id} ${job.pipeline} [${job.scope_key}] ${job.state}${outcome ? ` - ${outcome}` : ''}`;
}

export interface EnqueueArgs {
  pipeline: string;
  params: Record<string, unknown>;
  force?: boolean;
  mode?: 'fetch' | 'replay';
  wait?: boolean;
  children?: boolean;
  idempotencyKey?: string;
}

/** Enqueues a job; with wait, follows it (and its children) and answers the exit code of the outcome. */
export async function enqueue(api: ApiClient, io: Io, a: EnqueueArgs, o: WaitOptions = {}): Promise<number> {
  const body = {
    pipeline: a.pipeline,
    params: a.params,
    ...(a.force ? { force: true } : {}),
    ...(a.mode ? { mode: a.mode } : {}),
    ...(a.idempotencyKey ? { idempotency_key: a.idempotencyKey } : {}),
  };
  const res = await api.call<{ job: JobJson; deduplicated: boolean }>('POST', '/jobs', body);
  if (!io.json) io.err(`${res.deduplicated ? 'already queued' : 'enqueued'}: ${res.job.id} ${res.job.pipeline} [${res.job.scope_key}]`);
  if (!a.wait) {
    if (io.json) io.out(JSON.stringify(res));
    return EXIT.OK;
  }
  const job = await waitForJob(api, io, res.job.id, a.pipeline, o);
  const children = a.children && job.state === 'succeeded' ? await waitForChildren(api, io, job.id, o) : [];
  const failedChildren = children.filter((c) => c.state !== 'succeeded');
  const code = exitCodeOf(job) !== EXIT.OK ? exitCodeOf(job) : failedChildren.length ? EXIT.FAILED : EXIT.OK;
  if (io.json) io.out(JSON.stringify({ job, children, exit_code: code }));
  else {
    io.out(describeJob(job));
    if (children.length) io.out(table(children.map(jobRow), JOB_COLUMNS));
    if (code === EXIT.ALREADY_COMPLETE)
      io.out(
        'already complete: the event was ingested in full before; nothing fetched (events ingest --refetch, or --param refetch=true, ' +
          'fetches again)',
      );
  }
  return code;
}

const JOB_COLUMNS = ['id', 'pipeline', 'scope', 'state', 'progress', 'by', 'created'];
const jobRow = (j: JobJson) => ({
  id: j.id,
  pipeline: j.pipeline,
  scope: j.scope_key,
  state: j.state,
  progress: `${j.progress.done}/${j.progress.total}`,
  by: j.requested_by,
  created: j.created_at,
});

export async function listJobs(api: ApiClient, io: Io, filters: Record<string, string | undefined>): Promise<number> {
  const q = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await api.call<{ jobs: JobJson[]; next_cursor: string | null }>('GET', `/jobs?${q}`);
  if (io.json) io.out(JSON.stringify(res));
  else io.out(table(res.jobs.map(jobRow), JOB_COLUMNS) + (res.next_cursor ? `\nmore: --cursor ${res.next_cursor}` : ''));
  return EXIT.OK;
}

export async function showJob(api: ApiClient, io: Io, id: string): Promise<number> {
  const res = await api.call<{ job: JobJson; transitions: Array<Record<string, unknown>>; attempts: Array<Record<string, unknown>> }>(
    'GET',
    `/jobs/${id}`,
  );
  if (io.json) io.out(JSON.stringify(res));
  else {
    io.out(describeJob(res.job));
    io.out(
      `requested by ${res.job.requested_by ?? '-'}; attempts ${res.job.attempt_count}; ` +
        `progress ${res.job.progress.done}/${res.job.progress.total}`,
    );
    io.out(table(res.transitions, ['at', 'from', 'to', 'actor', 'requested_by', 'reason']));
  }
  return EXIT.OK;
}

export async function jobAction(api: ApiClient, io: Io, id: string, action: 'cancel' | 'retry'): Promise<number> {
  const res = await api.call<{ job: JobJson }>('POST', `/jobs/${id}/${action}`, {});
  if (io.json) io.out(JSON.stringify(res));
  else io.out(describeJob(res.job));
  return EXIT.OK;
}
