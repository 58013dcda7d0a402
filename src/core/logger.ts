/** Structured JSON logs: one object per line with request_id, job_id, attempt, pipeline, scope_key, state. */
import type { Logger } from './ports';

export function jsonLogger(base: Record<string, unknown> = {}, sink: (line: string) => void = (l) => console.log(l)): Logger {
  const emit = (level: string, msg: string, fields?: Record<string, unknown>) => {
    sink(JSON.stringify({ level, msg, ts: new Date().toISOString(), ...base, ...fields }));
  };
  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => jsonLogger({ ...base, ...fields }, sink),
  };
}
