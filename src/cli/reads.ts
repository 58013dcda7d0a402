/** Read commands: latest publication, a scope's history, schedules, the pipeline catalogue. */
import type { ApiClient } from './client';
import { EXIT } from './client';
import { table, type Io } from './io';
import type { WaitOptions } from './jobs';
import { showOperation } from './operations';

const scopeQuery = (pipeline: string, scope: Record<string, unknown>) =>
  new URLSearchParams({ pipeline, ...Object.fromEntries(Object.entries(scope).map(([k, v]) => [k, String(v)])) });

/** The fields of GET /publications/latest (an envelope, docs/openapi.json) that the text output prints. */
interface LatestAnswer {
  pipeline: string;
  scope_key: string;
  publication: { id: string; sequence: number; published_at: string };
  decision: { publication_decision: string; change_classification: string | null };
  changes: { added: unknown[]; removed: unknown[]; changed: unknown[] };
  hashes: { normalized_hash: string };
  source: { job_id: string };
}

export async function latest(api: ApiClient, io: Io, pipeline: string, scope: Record<string, unknown>): Promise<number> {
  const env = await api.call<LatestAnswer>('GET', `/publications/latest?${scopeQuery(pipeline, scope)}`);
  if (io.json) io.out(JSON.stringify(env));
  else {
    io.out(
      `publication ${env.publication.id} #${env.publication.sequence} of ${env.pipeline} [${env.scope_key}] at ${env.publication.published_at}`,
    );
    io.out(
      `decision ${env.decision.publication_decision} (${env.decision.change_classification ?? '-'}); ` +
        `changes +${env.changes.added.length} -${env.changes.removed.length} ~${env.changes.changed.length}`,
    );
    io.out(`normalized ${env.hashes.normalized_hash}; source job ${env.source.job_id}`);
  }
  return EXIT.OK;
}

export async function history(api: ApiClient, io: Io, pipeline: string, scope: Record<string, unknown>, limit?: number): Promise<number> {
  const q = scopeQuery(pipeline, scope);
  if (limit) q.set('limit', String(limit));
  const res = await api.call<{ scope_key: string; publications: Array<Record<string, unknown>>; next_cursor: string | null }>(
    'GET',
    `/publications?${q}`,
  );
  if (io.json) io.out(JSON.stringify(res));
  else io.out(table(res.publications, ['id', 'sequence', 'publication_decision', 'change_classification', 'published_at']));
  return EXIT.OK;
}

export async function schedules(api: ApiClient, io: Io): Promise<number> {
  const res = await api.call<{ schedules: Array<Record<string, unknown>> }>('GET', '/schedules');
  if (io.json) io.out(JSON.stringify(res));
  else io.out(table(res.schedules, ['id', 'pipeline', 'params', 'cron', 'enabled', 'next_due_at']));
  return EXIT.OK;
}

export async function setSchedule(
  api: ApiClient,
  io: Io,
  id: string,
  body: { pipeline: string; params: Record<string, unknown>; cron: string; enabled: boolean },
): Promise<number> {
  const res = await api.call<{ schedule: Record<string, unknown> }>('PUT', `/schedules/${encodeURIComponent(id)}`, body);
  io.out(io.json ? JSON.stringify(res) : table([res.schedule], ['id', 'pipeline', 'params', 'cron', 'enabled', 'next_due_at']));
  return EXIT.OK;
}

export async function pipelines(api: ApiClient, io: Io): Promise<number> {
  const res = await api.call<{ pipelines: Array<Record<string, unknown>> }>('GET', '/pipelines');
  if (io.json) io.out(JSON.stringify(res));
  else io.out(table(res.pipelines, ['name', 'scope_params', 'parser_version', 'normalizer_version']));
  return EXIT.OK;
}

/** POST /operations/bulk-retry; prints the operation id, counts and the retried job ids; with wait, follows it. */
export async function bulkRetryCmd(api: ApiClient, io: Io, body: Record<string, unknown>, wait?: WaitOptions): Promise<number> {
  const clean = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
  const r = await api.call<{
    operation_id: string;
    dry_run: boolean;
    matched: number;
    retried: number;
    batches: number;
    truncated: boolean;
    job_ids: string[];
    skipped: unknown[];
  }>('POST', '/operations/bulk-retry', clean);
  const follow = Boolean(wait) && !r.dry_run;
  // With --wait and --json the one document is the operation's (its record holds this report).
  if (io.json) {
    if (!follow) io.out(JSON.stringify(r));
  } else {
    io.out(
      `${r.operation_id}: ${r.dry_run ? 'dry run, would retry' : 'retried'} ` +
        `${r.dry_run ? r.matched : `${r.retried} of ${r.matched} in ${r.batches} batches`}` +
        `${r.truncated ? ' (truncated: raise --max-jobs or narrow the filter)' : ''}`,
    );
    if (r.skipped.length) io.out(`skipped: ${JSON.stringify(r.skipped)}`);
    io.out(r.job_ids.join('\n'));
  }
  return follow ? showOperation(api, io, r.operation_id, true, wait) : EXIT.OK;
}

/** POST /operations/renormalize: one replay job per scope; with wait, follows them (`ingest operations show <id>`). */
export async function renormalizeCmd(api: ApiClient, io: Io, body: Record<string, unknown>, wait?: WaitOptions): Promise<number> {
  const clean = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
  const r = await api.call<{
    operation_id: string;
    dry_run: boolean;
    scopes: number;
    enqueued: number;
    deduplicated: number;
    batches: number;
    truncated: boolean;
    job_ids: string[];
  }>('POST', '/operations/renormalize', clean);
  const follow = Boolean(wait) && !r.dry_run;
  if (io.json) {
    if (!follow) io.out(JSON.stringify(r));
  } else {
    io.out(
      `${r.operation_id}: ` +
        (r.dry_run
          ? `dry run, ${r.scopes} scopes would be replayed`
          : `${r.enqueued} replay jobs enqueued (${r.deduplicated} already queued) in ${r.batches} batches`) +
        (r.truncated ? ' (truncated: raise --max-scopes)' : ''),
    );
    if (r.job_ids.length) io.out(r.job_ids.join('\n'));
  }
  return follow ? showOperation(api, io, r.operation_id, true, wait) : EXIT.OK;
}
