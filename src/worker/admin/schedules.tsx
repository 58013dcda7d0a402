/** @jsxImportSource hono/jsx */
/** Schedules: enable/disable, edit the cron (validated by src/core/cron.ts) with the next run times. */
import { CronError, nextCronTime, parseCron } from '../../core/cron';
import type { ScheduleConfig } from '../../core/types';
import { Csrf, Layout, PostButton, Submit, when } from './layout';

/** The next `n` run times, or the cron's error. */
export function nextRuns(cron: string, from: number, n = 3): { times: number[]; error?: string } {
  try {
    const spec = parseCron(cron);
    const times: number[] = [];
    let t = from;
    for (let i = 0; i < n; i++) times.push((t = nextCronTime(spec, t)));
    return { times };
  } catch (err) {
    if (err instanceof CronError) return { times: [], error: err.message };
    throw err;
  }
}

export function SchedulesPage(p: { csrf: string; schedules: ScheduleConfig[]; now: number }) {
  return (
    <Layout title="Schedules" csrf={p.csrf} active="/admin/schedules">
      {p.schedules.length === 0 ? (
        <p>No schedules yet (the cron handler seeds the defaults on its first run).</p>
      ) : (
        <table id="schedules">
          <thead>
            <tr>
              <th>id</th>
              <th>pipeline</th>
              <th>params</th>
              <th>cron</th>
              <th>next runs (UTC)</th>
              <th>state</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {p.schedules.map((s) => {
              const runs = nextRuns(s.cron, p.now);
              return (
                <tr id={`schedule-${s.id}`}>
                  <td>{s.id}</td>
                  <td>{s.pipeline}</td>
                  <td>
                    <code>{JSON.stringify(s.params)}</code>
                  </td>
                  <td>
                    <form method="post" action={`/admin/schedules/${s.id}/cron`} class="inline">
                      <Csrf token={p.csrf} />
                      <input name="cron" value={s.cron} required aria-label={`cron of ${s.id}`} />
                      <Submit label="Save" />
                    </form>
                  </td>
                  <td>{s.enabled ? runs.times.map((t) => <div>{when(t)}</div>) : '–'}</td>
                  <td>{s.enabled ? 'enabled' : 'disabled'}</td>
                  <td>
                    <PostButton
                      action={`/admin/schedules/${s.id}/${s.enabled ? 'disable' : 'enable'}`}
                      csrf={p.csrf}
                      label={s.enabled ? 'Disable' : 'Enable'}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
