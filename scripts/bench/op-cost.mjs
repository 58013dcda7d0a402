// Unit CPU costs of the binding operations in `wrangler dev --local`, measured in the bench's own run: each kind
// runs N times inside one request to scripts/bench/op-cost/worker.js while the workerd processes' CPU time is read
// before and after (the wait after each kind lets the queue deliver what was sent). With the counts per job these
// give the CPU a job's bindings alone cost (bindingCpuMs), for the adapter and for the bare Worker.
import { join } from 'node:path';
import { ROOT, newState, sleep, startWrangler } from './stack.mjs';

const KINDS = [
  'noop',
  'd1_round_trip',
  'd1_batch_4',
  'd1_batch_16',
  'r2_put_40k',
  'r2_put_4k',
  'do_call_new',
  'do_call_existing',
  'log_line',
  'queue_send',
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU ms per operation, median over `reps` rounds of `n` operations each; null where /proc is not readable. */
export async function measureOpCosts({ n = 300, reps = 3, log = () => {} } = {}) {
  const dir = join(ROOT, 'scripts', 'bench', 'op-cost');
  const w = await startWrangler({ config: join(dir, 'wrangler.toml'), cwd: dir, state: newState('op-cost-'), readyPath: '/ready' });
  try {
    if (w.workerdCpuMs() === null) return null;
    const run = (kind, count) => fetch(`${w.url}/run?kind=${kind}&n=${count}`).then((r) => r.json());
    for (const k of KINDS) await run(k, 20); // warm every path once
    await sleep(1500);
    const samples = Object.fromEntries(KINDS.map((k) => [k, []]));
    for (let rep = 0; rep < reps; rep++) {
      log(`op costs round ${rep + 1}/${reps}`);
      for (const k of KINDS) {
        const c0 = w.workerdCpuMs();
        await run(k, n);
        await sleep(1200); // the queue's delivery of what was sent, R2/DO work that settles after the answer
        samples[k].push((w.workerdCpuMs() - c0) / n);
      }
    }
    const per = Object.fromEntries(KINDS.map((k) => [k, median(samples[k])]));
    const idle = per.noop; // the request, the wait and the idle process, spread over n
    const net = (k) => Math.max(0, per[k] - idle);
    return {
      n,
      reps,
      d1_round_trip: net('d1_round_trip'),
      // One more statement inside a batch: the slope between a 4- and a 16-statement batch.
      d1_statement: Math.max(0, (per.d1_batch_16 - per.d1_batch_4) / 12),
      r2_put_40k: net('r2_put_40k'),
      r2_put_4k: net('r2_put_4k'),
      do_call_new: net('do_call_new'),
      do_call_existing: net('do_call_existing'),
      log_line: net('log_line'),
      queue_send: net('queue_send'),
      idle_per_op: idle,
    };
  } finally {
    await w.stop();
  }
}

/**
 * CPU ms a job's binding operations alone cost, from its counts per job and the unit costs. A D1 round trip's
 * first statement is in d1_round_trip; each further statement adds d1_statement. The first R2 put is the raw body
 * (40 KB class), the rest are documents (4 KB class); the first Durable Object call is to an object made for the
 * job's new scope, the rest to existing objects. Plain inserts and blobs: the adapter's statements are heavier, so
 * for it this is a lower bound.
 */
export function bindingCpuMs(io, unit, { newObjects = 1 } = {}) {
  const parts = {
    d1: io.d1_round_trips * unit.d1_round_trip + Math.max(0, io.d1_statements - io.d1_round_trips) * unit.d1_statement,
    r2: Math.min(1, io.r2_puts) * unit.r2_put_40k + Math.max(0, io.r2_puts - 1) * unit.r2_put_4k,
    do: Math.min(newObjects, io.do_calls) * unit.do_call_new + Math.max(0, io.do_calls - newObjects) * unit.do_call_existing,
    queue: io.queue_sends * unit.queue_send,
    logs: (io.log_lines ?? 0) * unit.log_line,
  };
  return { ...parts, total: Object.values(parts).reduce((a, b) => a + b, 0) };
}

/** The bare Worker's job by construction (scripts/bare-worker/worker.js): enqueue batch of 2 + 1 insert, 1 put, 1 send. */
export const BARE_IO = { d1_round_trips: 2, d1_statements: 3, r2_puts: 1, do_calls: 0, queue_sends: 1, log_lines: 0 };
