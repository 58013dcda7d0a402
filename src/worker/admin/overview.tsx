/** @jsxImportSource hono/jsx */
/** Overview: jobs by state and pipeline, queue depth, oldest pending age, failures, publications per hour, providers under pressure. */
import type { Store } from '../../core/ports';
import type { Job } from '../../core/types';
import { getPipeline } from '../../pipelines/registry';
import { age, Layout, StateBadge, when } from './layout';
import { Table, type Column } from './table';

/** Error codes that mean "the provider is pushing back right now". */
const PRESSURE_CODES = new Set(['PROVIDER_RATE_LIMITED', 'PROVIDER_BLOCKED', 'PROVIDER_SESSION_EXPIRED']);
const PRESSURE_WINDOW_MS = 15 * 60_000;
const DAY_MS = 24 * 3600_000;

export async function loadOverview(store: Store, now: number) {
  const [metrics, failed, exhausted, pending, recent] = await Promise.all([
    store.metrics(),
    store.listJobs({ state: 'failed', limit: 10 }),
    store.listJobs({ state: 'exhausted', limit: 10 }),
    store.listJobs({ state: 'pending', limit: 100 }),
    store.listJobs({ createdFrom: now - DAY_MS, limit: 200 }),
  ]);
  const failures = [...failed, ...exhausted].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 10);
  // Pressure: jobs whose latest error, within the window, is a rate limit or block page, grouped by provider.
  const pressure = new Map<string, { codes: Set<string>; jobs: number; last: number }>();
  for (const j of [...pending, ...recent, ...failures]) {
    if (!j.lastErrorCode || !PRESSURE_CODES.has(j.lastErrorCode) || now - j.updatedAt > PRESSURE_WINDOW_MS) continue;
    const provider = getPipeline(j.pipeline)?.provider ?? j.pipeline;
    const p = pressure.get(provider) ?? { codes: new Set(), jobs: 0, last: 0 };
    p.codes.add(j.lastErrorCode);
    p.jobs += 1;
    p.last = Math.max(p.last, j.updatedAt);
    pressure.set(provider, p);
  }
  // Publications per hour over the last day, from the jobs that published (the job result names the publication).
  const perHour = new Map<number, number>();
  for (const j of recent) {
    if (j.state !== 'succeeded' || typeof j.result?.publication_id !== 'string' || !String(j.result?.decision ?? '').startsWith('PUBLISH'))
      continue;
    const hour = Math.floor((j.finishedAt ?? j.updatedAt) / 3600_000) * 3600_000;
    perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
  }
  return { metrics, failures, pressure, perHour: [...perHour].sort((a, b) => b[0] - a[0]) };
}

export function OverviewPage(p: { csrf: string; now: number; data: Awaited<ReturnType<typeof loadOverview>> }) {
  const { metrics, failures, pressure, perHour } = p.data;
  const states = [...new Set(metrics.jobsByStateAndPipeline.map((r) => r.state))].sort();
  const pipelines = [...new Set(metrics.jobsByStateAndPipeline.map((r) => r.pipeline))].sort();
  const count = (s: string, pl: string) => metrics.jobsByStateAndPipeline.find((r) => r.state === s && r.pipeline === pl)?.count ?? 0;
  const queued = metrics.jobsByStateAndPipeline.filter((r) => r.state === 'pending').reduce((n, r) => n + r.count, 0);
  return (
    <Layout title="Overview" csrf={p.csrf} active="/admin">
      <section class="cards">
        <div class="card">
          <span>queue depth (pending)</span>
          <b id="queue-depth">{queued}</b>
        </div>
        <div class="card">
          <span>oldest pending</span>
          <b id="oldest-pending">{metrics.oldestPendingCreatedAt === null ? '–' : age(p.now - metrics.oldestPendingCreatedAt)}</b>
        </div>
        <div class="card">
          <span>publications (all time)</span>
          <b>{metrics.publicationsTotal}</b>
        </div>
        <div class="card">
          <span>retries scheduled</span>
          <b>{metrics.retriesTotal}</b>
        </div>
      </section>
      <h2>Jobs by state and pipeline</h2>
      {pipelines.length === 0 ? (
        <p>
          No jobs yet. Start one from <a href="/admin/pipelines">Pipelines</a>.
        </p>
      ) : (
        <table id="jobs-by-state">
          <thead>
            <tr>
              <th>pipeline</th>
              {states.map((s) => (
                <th>
                  <StateBadge state={s} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {pipelines.map((pl) => (
              <tr>
                <td>{pl}</td>
                {states.map((s) => (
                  <td class="num">
                    <a href={`/admin/jobs?pipeline=${encodeURIComponent(pl)}&state=${s}`}>{count(s, pl)}</a>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Providers rate-limited or blocked now</h2>
      {pressure.size === 0 ? (
        <p id="pressure">None in the last 15 minutes.</p>
      ) : (
        <table id="pressure">
          <thead>
            <tr>
              <th>provider</th>
              <th>codes</th>
              <th>jobs</th>
              <th>last seen</th>
            </tr>
          </thead>
          <tbody>
            {[...pressure].map(([name, v]) => (
              <tr>
                <td>{name}</td>
                <td>{[...v.codes].join(', ')}</td>
                <td class="num">{v.jobs}</td>
                <td>{when(v.last)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Recent failures</h2>
      <Table id="failures" rows={failures} cols={FAILURE_COLS} empty="None." />
      <h2>Publications per hour (last 24 h)</h2>
      {perHour.length === 0 ? (
        <p>None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>hour (UTC)</th>
              <th>publications</th>
            </tr>
          </thead>
          <tbody>
            {perHour.map(([h, n]) => (
              <tr>
                <td>{when(h)}</td>
                <td class="num">{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

const FAILURE_COLS: Array<Column<Job>> = [
  { head: 'job', cell: (j) => <a href={`/admin/jobs/${j.id}`}>{j.id.slice(0, 8)}</a> },
  { head: 'pipeline', cell: (j) => j.pipeline },
  { head: 'state', cell: (j) => <StateBadge state={j.state} /> },
  { head: 'category', cell: (j) => j.lastErrorCategory ?? '–' },
  { head: 'code', cell: (j) => <code>{j.lastErrorCode ?? '–'}</code> },
  { head: 'message', cell: (j) => j.lastErrorMessage ?? '', class: 'msg' },
  { head: 'at', cell: (j) => when(j.updatedAt) },
];
