/** Structured JSON logs: one object per line with request_id, job_id, attempt, pipeline, scope_key, state. */
import type { Logger } from './ports';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function jsonLogger(
  base: Record<string, unknown> = {},
  sink: (line: string) => void = (l) => console.log(l),
  minLevel: LogLevel = 'info',
): Logger {
  const min = LOG_LEVELS.indexOf(minLevel);
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    sink(JSON.stringify({ level, msg, ts: new Date().toISOString(), ...base, ...fields }));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => jsonLogger({ ...base, ...fields }, sink, minLevel),
  };
}
