/** @jsxImportSource hono/jsx */
/**
 * One job: live progress (console.js polls /admin/jobs/:id/live.json while it runs), attempts, transitions with
 * their actor, fetched resources linking to the raw snapshot, the publication decision, cancel/retry.
 */
import type { JobAttempt, JobTransition, NormalizedResult, RawSnapshot, Job } from '../../core/types';
import { TERMINAL_STATES } from '../../core/types';
import { bytes, Layout, PostButton, StateBadge, when } from './layout';
import { type Column, Table } from './table';

const ATTEMPT_COLS: Array<Column<JobAttempt>> = [
  { head: '#', cell: (a) => a.attemptNumber },
  { head: 'state', cell: (a) => <StateBadge state={a.state} /> },
  { head: 'worker', cell: (a) => a.workerId },
  { head: 'category', cell: (a) => a.errorCategory ?? '' },
  { head: 'code', cell: (a) => <code>{a.errorCode ?? ''}</code> },
  { head: 'message', cell: (a) => a.errorMessage ?? '', class: 'msg' },
  { head: 'started', cell: (a) => when(a.startedAt) },
  { head: 'duration', cell: (a) => (a.durationMs === null ? '–' : `${a.durationMs} ms`), class: 'num' },
];

const TRANSITION_COLS: Array<Column<JobTransition>> = [
  { head: 'at', cell: (t) => when(t.at) },
  { head: 'from', cell: (t) => t.fromState ?? '∅' },
  { head: 'to', cell: (t) => t.toState },
  { head: 'by', cell: (t) => t.actor },
  { head: 'attempt', cell: (t) => t.attemptNumber ?? '' },
  { head: 'reason', cell: (t) => t.reason, class: 'msg' },
];

const SNAPSHOT_COLS: Array<Column<RawSnapshot>> = [
  { head: 'attempt', cell: (s) => s.attemptNumber },
  { head: 'type', cell: (s) => s.resourceType },
  { head: 'key', cell: (s) => s.resourceKey },
  { head: 'status', cell: (s) => s.status, class: 'num' },
  { head: 'size', cell: (s) => bytes(s.sizeBytes), class: 'num' },
  { head: 'url', cell: (s) => s.url, class: 'msg' },
  { head: 'raw', cell: (s) => <a href={`/admin/snapshots/${s.sha256}`}>{s.sha256.slice(0, 12)}</a> },
];

export interface JobDetail {
  job: Job;
  attempts: JobAttempt[];
  transitions: JobTransition[];
  snapshots: RawSnapshot[];
  normalized: NormalizedResult | null;
}

/** What the page's live parts show; also the JSON the script polls. */
export function liveJson(j: Job) {
  return {
    id: j.id,
    state: j.state,
    terminal: TERMINAL_STATES.includes(j.state),
    progress: { done: j.progressDone, total: j.progressTotal },
    attempt_count: j.attemptCount,
    last_error_code: j.lastErrorCode,
    updated_at: j.updatedAt,
  };
}

export function JobPage(p: { csrf: string; d: JobDetail }) {
  const { job, attempts, transitions, snapshots, normalized } = p.d;
  const live = !TERMINAL_STATES.includes(job.state);
  const pubId = normalized?.publicationId ?? (typeof job.result?.publication_id === 'string' ? job.result.publication_id : null);
  return (
    <Layout title={`Job ${job.id.slice(0, 8)}`} csrf={p.csrf} active="/admin/jobs">
      <section id="job" data-job-id={job.id} data-live={live ? 'true' : undefined}>
        <dl class="facts">
          <dt>state</dt>
          <dd id="job-state">
            <StateBadge state={job.state} />
          </dd>
          <dt>progress</dt>
          <dd>
            <progress id="job-progress" value={job.progressDone} max={Math.max(1, job.progressTotal)}></progress>{' '}
            <span id="job-progress-text">
              {job.progressDone}/{job.progressTotal}
            </span>
          </dd>
          <dt>pipeline</dt>
          <dd>{job.pipeline}</dd>
          <dt>scope</dt>
          <dd>{job.scopeKey}</dd>
          <dt>params</dt>
          <dd>
            <code>{JSON.stringify(job.params)}</code>
          </dd>
          <dt>mode</dt>
          <dd>
            {job.mode}
            {job.force ? ' · forced' : ''}
          </dd>
          <dt>attempts</dt>
          <dd id="job-attempts">
            {job.attemptCount}/{job.maxAttempts}
          </dd>
          <dt>created</dt>
          <dd>{when(job.createdAt)}</dd>
          <dt>finished</dt>
          <dd>{when(job.finishedAt)}</dd>
          {job.parentJobId && (
            <>
              <dt>parent</dt>
              <dd>
                <a href={`/admin/jobs/${job.parentJobId}`}>{job.parentJobId.slice(0, 8)}</a>
              </dd>
            </>
          )}
        </dl>
        <p class="buttons">
          {(job.state === 'pending' || job.state === 'running') && (
            <PostButton action={`/admin/jobs/${job.id}/cancel`} csrf={p.csrf} label="Cancel" id="cancel-job" danger />
          )}
          {(job.state === 'failed' || job.state === 'exhausted') && (
            <PostButton action={`/admin/jobs/${job.id}/retry`} csrf={p.csrf} label="Retry" id="retry-job" />
          )}
          {!live && <PostButton action={`/admin/jobs/${job.id}/rerun`} csrf={p.csrf} label="Re-ingest (force)" id="rerun-job" />}
          <a href={`/admin/jobs?parent_job_id=${job.id}`}>child jobs</a>
        </p>
      </section>
      <h2>Decision</h2>
      {normalized ? (
        <p id="decision">
          <code>{normalized.publicationDecision ?? 'undecided'}</code>{' '}
          {normalized.changeClassification && <>({normalized.changeClassification})</>} — {normalized.publicationReason ?? ''}
          {pubId && (
            <>
              {' '}
              ·{' '}
              <a href={`/admin/publications/${pubId}`} id="publication-link">
                publication
              </a>
            </>
          )}
          <br />
          <small>
            {normalized.entityCount} entities · normalized {normalized.normalizedHash.slice(0, 16)}…
          </small>
        </p>
      ) : (
        <p id="decision">
          {job.result?.summary ? String(job.result.summary) : 'No normalized result yet.'}
          {pubId && (
            <>
              {' '}
              ·{' '}
              <a href={`/admin/publications/${pubId}`} id="publication-link">
                publication
              </a>
            </>
          )}
        </p>
      )}
      <h2>Attempts</h2>
      <Table id="attempts" rows={attempts} cols={ATTEMPT_COLS} empty="No attempts yet." />
      <h2>Transitions</h2>
      <Table id="transitions" rows={transitions} cols={TRANSITION_COLS} />
      <h2>Fetched resources</h2>
      <Table id="snapshots" rows={snapshots} cols={SNAPSHOT_COLS} empty="Nothing fetched yet." />
    </Layout>
  );
}
