// Where an e2e job's CPU goes, from the run's own figures: workerd's CPU per job (read from /proc around each
// trial), the unit cost of each binding operation (scripts/bench/op-cost.mjs, same run), and the counts per job.
// The verdict is computed: the best adapter / bare ratio the binding operations alone would allow.
import { BARE_IO, bindingCpuMs } from './op-cost.mjs';

const UNIT_ROWS = [
  ['d1_round_trip', 'D1 round trip (one insert, 2 indexes)'],
  ['d1_statement', 'each further statement in a D1 batch'],
  ['r2_put_40k', 'R2 put, 40 KB (a raw page)'],
  ['r2_put_4k', 'R2 put, 4 KB (a document)'],
  ['do_call_new', 'Durable Object call, new object (first call for a scope)'],
  ['do_call_existing', 'Durable Object call, existing object'],
  ['log_line', 'log line (wrangler dev: inspector + tail collector)'],
  ['queue_send', 'queue send and its delivery'],
];

/** The ratio bound: bare CPU over (adapter bindings + the bare job's own non-binding CPU). */
export function cpuBreakdown(e) {
  const u = e.unit;
  if (!u || !e.bare?.cpu_ms_per_job) return null;
  const bareB = bindingCpuMs(BARE_IO, u, { newObjects: 0 });
  const bareRest = Math.max(0, e.bare.cpu_ms_per_job - bareB.total);
  const row = (name, r, newObjects) => {
    const b = bindingCpuMs(r.io_per_job, u, { newObjects });
    return { name, cpu: r.cpu_ms_per_job, jobs_per_s: r.jobs_per_s, b, rest: r.cpu_ms_per_job - b.total };
  };
  const rows = [row('adapter, new scopes', e.adapter, 1)];
  if (e.known?.io_per_job) rows.push(row('adapter, known scopes', e.known, 0));
  rows.push({ name: 'bare', cpu: e.bare.cpu_ms_per_job, jobs_per_s: e.bare.jobs_per_s, b: bareB, rest: bareRest });
  // The same bound without any log line: logs are observability, not a guarantee, so the verdict shows both.
  return rows.map((r) => ({
    ...r,
    bound: e.bare.cpu_ms_per_job / (r.b.total + bareRest),
    boundNoLogs: e.bare.cpu_ms_per_job / (r.b.total - r.b.logs + bareRest),
  }));
}

export function cpuLines(e, f) {
  const rows = cpuBreakdown(e);
  if (!rows) return [];
  const u = e.unit;
  const L = ['### Where the CPU goes', ''];
  L.push(
    `workerd runs the Worker, its Durable Objects and the local D1, R2 and queue simulators; its CPU time per job is read from /proc around each trial (median over trials). Unit costs: each binding operation run ${u.n} times, 10 at once, by scripts/bench/op-cost/worker.js in its own wrangler dev in this run (CPU ms per operation, median of ${u.reps} rounds).`,
    '',
    '| operation | CPU ms |',
    '|---|---:|',
  );
  for (const [k, what] of UNIT_ROWS) L.push(`| ${what} | ${f(u[k], 2)} |`);
  L.push(
    '',
    '| job | jobs/s | workerd CPU ms/job | trial CPU busy | D1 | R2 | Durable Objects | queue | log lines | bindings total | the rest (own code, heavier statements) | adapter / bare bound from bindings |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  const busy = { 'adapter, new scopes': e.adapter.cpu_busy, 'adapter, known scopes': e.known?.cpu_busy, bare: e.bare.cpu_busy };
  for (const r of rows)
    L.push(
      `| ${r.name} | ${f(r.jobs_per_s, 1)} | ${f(r.cpu, 1)} | ${f(busy[r.name], 2)} | ${f(r.b.d1, 1)} | ${f(r.b.r2, 1)} | ${f(r.b.do, 1)} | ${f(r.b.queue, 1)} | ${f(r.b.logs, 1)} | ${f(r.b.total, 1)} | ${f(r.rest, 1)} | ${r.name === 'bare' ? '-' : f(r.bound, 2)} |`,
    );
  const [fresh] = rows;
  const bare = rows[rows.length - 1];
  const cpuRatio = bare.cpu / fresh.cpu;
  L.push(
    '',
    `Bindings: the job's counts per kind (section 4's table; the bare Worker's by construction: ${BARE_IO.d1_round_trips} D1 round trips with ${BARE_IO.d1_statements} statements, ${BARE_IO.r2_puts} put, ${BARE_IO.queue_sends} send, no log line) times the unit costs. "Trial CPU busy" is workerd CPU time over the trial's wall time: near 1.0 means one core was busy the whole trial, so jobs/s is set by CPU per job. Bare / adapter CPU per job is ${f(cpuRatio, 2)}, jobs/s adapter / bare ${f(e.ratio, 2)}.`,
    '',
  );
  const asIf =
    "With the binding operations an adapter job makes, at this run's unit costs, and none of the adapter's own code " +
    '(as if parsing, normalizing, hashing and the envelope were free and every statement as cheap as a plain insert), ' +
    `the adapter could reach at most **${f(fresh.bound, 2)}x** the bare Worker on new scopes ` +
    `(${f(fresh.boundNoLogs, 2)}x with no log line at all).`;
  let verdict;
  if (fresh.boundNoLogs < 0.5)
    verdict = `${asIf} The 0.5x goal is out of reach on this setup by the bindings alone; closing it needs fewer binding operations, not faster code.`;
  else if (fresh.bound < 0.5) verdict = `${asIf} 0.5x would need fewer log lines per job as well as no code of its own.`;
  else
    verdict = `The binding operations alone would allow ${f(fresh.bound, 2)}x; the rest of the gap is the adapter's own CPU (${f(fresh.rest, 1)} ms per job beyond the bindings).`;
  L.push(`Verdict (computed): ${verdict}`, '');
  return L;
}
