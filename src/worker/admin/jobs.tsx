/** @jsxImportSource hono/jsx */
/** Jobs: a filterable list, newest first, cursor paginated. */
import type { Job } from '../../core/types';
import { JOB_STATES } from '../../core/types';
import { Layout, StateBadge, when } from './layout';
import { Table, type Column } from './table';

const JOB_COLS: Array<Column<Job>> = [
  { head: 'job', cell: (j) => <a href={`/admin/jobs/${j.id}`}>{j.id.slice(0, 8)}</a> },
  { head: 'pipeline', cell: (j) => j.pipeline },
  { head: 'scope', cell: (j) => j.scopeKey },
  { head: 'state', cell: (j) => <StateBadge state={j.state} /> },
  { head: 'progress', cell: (j) => (j.progressTotal ? `${j.progressDone}/${j.progressTotal}` : '–'), class: 'num' },
  { head: 'attempts', cell: (j) => `${j.attemptCount}/${j.maxAttempts}`, class: 'num' },
  { head: 'last error', cell: (j) => <code>{j.lastErrorCode ?? ''}</code> },
  { head: 'created', cell: (j) => when(j.createdAt) },
];

export interface JobListFilter {
  state?: string;
  pipeline?: string;
  scope_key?: string;
  parent_job_id?: string;
}

export function JobsPage(p: { csrf: string; jobs: Job[]; filter: JobListFilter; pipelines: string[]; next: string | null }) {
  const f = p.filter;
  const nextHref = p.next ? `/admin/jobs?${new URLSearchParams({ ...(f as Record<string, string>), cursor: p.next })}` : null;
  return (
    <Layout title="Jobs" csrf={p.csrf} active="/admin/jobs">
      <form method="get" action="/admin/jobs" class="filters">
        <select name="state" aria-label="state">
          <option value="">any state</option>
          {JOB_STATES.map((s) => (
            <option value={s} selected={f.state === s}>
              {s}
            </option>
          ))}
        </select>
        <select name="pipeline" aria-label="pipeline">
          <option value="">any pipeline</option>
          {p.pipelines.map((n) => (
            <option value={n} selected={f.pipeline === n}>
              {n}
            </option>
          ))}
        </select>
        <input name="scope_key" placeholder="scope key" value={f.scope_key ?? ''} aria-label="scope key" />
        {f.parent_job_id && <input type="hidden" name="parent_job_id" value={f.parent_job_id} />}
        <button type="submit">Filter</button>
      </form>
      <Table id="jobs" rows={p.jobs} cols={JOB_COLS} empty="No jobs match." />
      {nextHref && (
        <p>
          <a href={nextHref} id="next-page">
            Older jobs →
          </a>
        </p>
      )}
    </Layout>
  );
}
