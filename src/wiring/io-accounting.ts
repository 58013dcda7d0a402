/**
 * Counted, not estimated: with IO_ACCOUNTING=true (the bench sets it; never in production) the D1, R2, queue and
 * Durable Object bindings the ports use are wrapped so every round trip is counted where it leaves the isolate,
 * and D1 rows written come from D1's own result metadata (`meta.rows_written`). Counters live in the isolate (wrangler
 * dev runs the Worker and its Durable Objects in one), read by the bench through GET /internal/v1/debug/io.
 */
export interface IoCounters {
  d1_round_trips: number;
  d1_statements: number;
  d1_rows_written: number;
  d1_rows_read: number;
  r2_puts: number;
  r2_gets: number;
  r2_heads: number;
  r2_other: number;
  queue_sends: number;
  do_calls: number;
  /** Log lines written (in wrangler dev each one crosses to the inspector and the tail collector). */
  log_lines: number;
}

const zero = (): IoCounters => ({
  d1_round_trips: 0,
  d1_statements: 0,
  d1_rows_written: 0,
  d1_rows_read: 0,
  r2_puts: 0,
  r2_gets: 0,
  r2_heads: 0,
  r2_other: 0,
  queue_sends: 0,
  do_calls: 0,
  log_lines: 0,
});
let counters = zero();

export const ioCounters = (): IoCounters => ({ ...counters });
export const resetIoCounters = (): void => {
  counters = zero();
};
export const ioAccountingOn = (env: object): boolean => (env as { IO_ACCOUNTING?: unknown }).IO_ACCOUNTING === 'true';

type Meta = { meta?: { rows_written?: number; rows_read?: number } };
const addMeta = (r: unknown) => {
  const m = (r as Meta | null)?.meta;
  counters.d1_rows_written += Number(m?.rows_written ?? 0);
  counters.d1_rows_read += Number(m?.rows_read ?? 0);
};

const real = new WeakMap<object, D1PreparedStatement>();

function statement(s: D1PreparedStatement): D1PreparedStatement {
  const p = new Proxy(s, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t);
      if (typeof v !== 'function') return v;
      if (prop === 'bind') return (...args: unknown[]) => statement(v.apply(t, args));
      if (prop === 'run' || prop === 'all') {
        return async (...args: unknown[]) => {
          counters.d1_round_trips++;
          counters.d1_statements++;
          const r = await v.apply(t, args);
          addMeta(r);
          return r;
        };
      }
      if (prop === 'first' || prop === 'raw') {
        // first/raw do not return meta: counted as a round trip; their writes (none in this code) would be missed.
        return (...args: unknown[]) => {
          counters.d1_round_trips++;
          counters.d1_statements++;
          return v.apply(t, args);
        };
      }
      return v.bind(t);
    },
  });
  real.set(p, s);
  return p;
}

export function accountedD1(db: D1Database): D1Database {
  return new Proxy(db, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t);
      if (typeof v !== 'function') return v;
      if (prop === 'prepare') return (sql: string) => statement(v.call(t, sql));
      if (prop === 'batch') {
        return async (stmts: D1PreparedStatement[]) => {
          counters.d1_round_trips++;
          counters.d1_statements += stmts.length;
          const rs = await v.call(
            t,
            stmts.map((s) => real.get(s) ?? s),
          );
          for (const r of rs as unknown[]) addMeta(r);
          return rs;
        };
      }
      return v.bind(t);
    },
  });
}

export function accountedR2(bucket: R2Bucket): R2Bucket {
  const kind: Record<string, keyof IoCounters> = { put: 'r2_puts', get: 'r2_gets', head: 'r2_heads' };
  return new Proxy(bucket, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        counters[kind[String(prop)] ?? 'r2_other']++;
        return v.apply(t, args);
      };
    },
  });
}

export const countQueueSend = (n = 1): void => {
  counters.queue_sends += n;
};
export const countLogLine = (): void => {
  counters.log_lines++;
};
export const countDoCall = (): void => {
  counters.do_calls++;
};
