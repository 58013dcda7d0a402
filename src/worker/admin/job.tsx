/** @jsxImportSource hono/jsx */
/**
 * One job: live progress (console.js polls /admin/jobs/:id/live.json while it runs), attempts, transitions with
 * their actor, fetched resources linking to the raw snapshot, the publication decision, cancel/retry.
 */
import type { JobAttempt, JobTransition, NormalizedResult, RawSnapshot, Job } from '../../core/types';
import { TERMINAL_STATES } from '../../core/types';
import { bytes, Layout, PostButton, StateBadge, when } from './layout';

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
      <table id="attempts">
        <thead>
          <tr>
            <th>#</th>
            <th>state</th>
            <th>worker</th>
            <th>category</th>
            <th>code</th>
            <th>message</th>
            <th>started</th>
            <th>duration</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <tr>
              <td>{a.attemptNumber}</td>
              <td>
                <StateBadge state={a.state} />
              </td>
              <td>{a.workerId}</td>
              <td>{a.errorCategory ?? ''}</td>
              <td>
                <code>{a.errorCode ?? ''}</code>
              </td>
              <td class="msg">{a.errorMessage ?? ''}</td>
              <td>{when(a.startedAt)}</td>
              <td class="num">{a.durationMs === null ? '–' : `${a.durationMs} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Transitions</h2>
      <table id="transitions">
        <thead>
          <tr>
            <th>at</th>
            <th>from</th>
            <th>to</th>
            <th>by</th>
            <th>attempt</th>
            <th>reason</th>
          </tr>
        </thead>
        <tbody>
          {transitions.map((t) => (
            <tr>
              <td>{when(t.at)}</td>
              <td>{t.fromState ?? '∅'}</td>
              <td>{t.toState}</td>
              <td>{t.actor}</td>
              <td>{t.attemptNumber ?? ''}</td>
              <td class="msg">{t.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Fetched resources</h2>
      <table id="snapshots">
        <thead>
          <tr>
            <th>attempt</th>
            <th>type</th>
            <th>key</th>
            <th>status</th>
            <th>size</th>
            <th>url</th>
            <th>raw</th>
          </tr>
        </thead>
        <tbody>
          {snapshots.map((s) => (
            <tr>
              <td>{s.attemptNumber}</td>
              <td>{s.resourceType}</td>
              <td>{s.resourceKey}</td>
              <td class="num">{s.status}</td>
              <td class="num">{bytes(s.sizeBytes)}</td>
              <td class="msg">{s.url}</td>
              <td>
                <a href={`/admin/snapshots/${s.sha256}`}>{s.sha256.slice(0, 12)}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
