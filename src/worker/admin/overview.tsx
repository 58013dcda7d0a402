/** @jsxImportSource hono/jsx */
/** Overview: jobs by state and pipeline, queue depth, oldest pending age, failures, publications per hour, providers under pressure. */
import { PRESSURE_WINDOW_MS, type ConsoleReads } from '../../core/console-reads';
import type { Store } from '../../core/ports';
import type { Job } from '../../core/types';
import { getPipeline } from '../../pipelines/registry';
import { age, Layout, StateBadge, when } from './layout';
import { Table, type Column } from './table';

/**
 * The overview's figures: the database's aggregates (ConsoleReads, sized to what the page shows) and the ten most
 * recent failures and exhaustions. Pressure rows are per pipeline and code; the page shows them per provider.
 */
export async function loadOverview(store: Store, reads: ConsoleReads, now: number) {
  const [figures, failed, exhausted] = await Promise.all([
    reads.overview(now),
    store.listJobs({ state: 'failed', limit: 10 }),
    store.listJobs({ state: 'exhausted', limit: 10 }),
  ]);
  const failures = [...failed, ...exhausted].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 10);
  const pressure = new Map<string, { codes: Set<string>; jobs: number; last: number }>();
  for (const r of figures.pressure) {
    const provider = getPipeline(r.pipeline)?.provider ?? r.pipeline;
    const p = pressure.get(provider) ?? { codes: new Set(), jobs: 0, last: 0 };
    p.codes.add(r.code);
    p.jobs += r.jobs;
    p.last = Math.max(p.last, r.last);
    pressure.set(provider, p);
  }
  const perHour = figures.publicationsPerHour.map((h): [number, number] => [h.hour, h.count]);
  return { metrics: figures, failures, pressure, perHour };
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
        <p id="pressure">None in the last {PRESSURE_WINDOW_MS / 60_000} minutes.</p>
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
