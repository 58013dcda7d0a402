/** The e2e CPU breakdown (scripts/bench/cpu-report.mjs): bindings costed from counts, the bound computed, not fixed. */
import { describe, expect, it } from 'vitest';
import { cpuBreakdown, cpuLines } from './bench/cpu-report.mjs';
import { BARE_IO, bindingCpuMs } from './bench/op-cost.mjs';

const unit = {
  n: 300,
  reps: 3,
  d1_round_trip: 1,
  d1_statement: 0.1,
  r2_put_40k: 3,
  r2_put_4k: 2,
  do_call_new: 4,
  do_call_existing: 0.5,
  log_line: 0.5,
  queue_send: 0.5,
};
const adapterIo = { d1_round_trips: 4, d1_statements: 16, r2_puts: 3, do_calls: 1.2, queue_sends: 1, log_lines: 6 };
const fmt = (v: number, d = 1) => v.toFixed(d);
const run = (cpu: number, jobsPerS: number) => ({ cpu_ms_per_job: cpu, jobs_per_s: jobsPerS, cpu_busy: 1, io_per_job: adapterIo });

describe('binding CPU of a job', () => {
  it('costs each kind from the counts: first put as a raw page, first DO call on a new object', () => {
    const b = bindingCpuMs(adapterIo, unit);
    expect(b.d1).toBeCloseTo(4 * 1 + 12 * 0.1);
    expect(b.r2).toBeCloseTo(3 + 2 * 2);
    expect(b.do).toBeCloseTo(4 + 0.2 * 0.5);
    expect(b.logs).toBeCloseTo(3);
    expect(b.total).toBeCloseTo(b.d1 + b.r2 + b.do + b.queue + b.logs);
    expect(bindingCpuMs(adapterIo, unit, { newObjects: 0 }).do).toBeCloseTo(1.2 * 0.5);
    // The bare Worker's job: 2 round trips with 3 statements, 1 put, 1 send.
    expect(bindingCpuMs(BARE_IO, unit, { newObjects: 0 }).total).toBeCloseTo(2 + 0.1 + 3 + 0.5);
  });

  it('bounds adapter / bare by the bindings plus the bare job`s own rest, and says whether 0.5 is reachable', () => {
    const e = { unit, adapter: run(30, 30), bare: { cpu_ms_per_job: 7, jobs_per_s: 120, cpu_busy: 1 }, ratio: 0.25 };
    const [fresh, bare] = cpuBreakdown(e)!;
    const bareRest = 7 - (2 + 0.1 + 3 + 0.5);
    expect(fresh!.bound).toBeCloseTo(7 / (bindingCpuMs(adapterIo, unit).total + bareRest));
    expect(bare!.name).toBe('bare');
    expect(cpuLines(e, fmt).join('\n')).toContain(`at most **${fmt(fresh!.bound, 2)}x**`);
    // Bindings cheap but for the log lines: the verdict names them.
    const chatty = { ...e, unit: { ...unit, d1_round_trip: 0, d1_statement: 0, r2_put_4k: 0, do_call_new: 0, log_line: 2 } };
    expect(cpuBreakdown(chatty)![0]!.boundNoLogs).toBeGreaterThanOrEqual(0.5);
    expect(cpuLines(chatty, fmt).join('\n')).toContain('0.5x would need fewer log lines per job');
    // Cheap enough bindings: the verdict turns to the adapter's own CPU.
    const cheap = { ...e, unit: { ...unit, d1_round_trip: 0, d1_statement: 0, r2_put_4k: 0, do_call_new: 0, log_line: 0 } };
    expect(cpuLines(cheap, fmt).join('\n')).toContain("the rest of the gap is the adapter's own CPU");
  });

  it('writes nothing without unit costs (off Linux)', () => {
    expect(cpuLines({ unit: null, adapter: run(30, 30), bare: { cpu_ms_per_job: 7 } }, fmt)).toEqual([]);
  });
});
