/** What a command writes to: lines for people, one JSON document for scripts (--json), and a progress sink. */
export interface ProgressSink {
  start(label: string, total: number): void;
  update(done: number, total: number, state: string): void;
  stop(): void;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  json: boolean;
  progress: ProgressSink;
  sleep(ms: number): Promise<void>;
}

export const silentProgress: ProgressSink = { start() {}, update() {}, stop() {} };

/** A plain text table: columns padded to their widest cell. */
export function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

/** Parses repeated `--param k=v`: values that read as JSON (numbers, booleans, objects) are taken as such. */
export function parseParams(pairs: string[], json?: string): Record<string, unknown> {
  let params: Record<string, unknown> = {};
  if (json !== undefined) {
    let v: unknown;
    try {
      v = JSON.parse(json);
    } catch (err) {
      throw new SyntaxError(`--params-json is not valid JSON: ${(err as Error).message}`);
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new SyntaxError('--params-json must be a JSON object');
    params = { ...(v as Record<string, unknown>) };
  }
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new SyntaxError(`--param must be key=value, got "${p}"`);
    const key = p.slice(0, i);
    const raw = p.slice(i + 1);
    let value: unknown = raw;
    if (/^(true|false|null|-?\d+(\.\d+)?|[[{].*)$/s.test(raw)) {
      try {
        value = JSON.parse(raw);
      } catch {
        value = raw;
      }
    }
    // Ids such as event_id stay strings when they look numeric: the pipeline's schema coerces them.
    params[key] = value;
  }
  return params;
}
