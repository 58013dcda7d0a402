/**
 * `files.json_lines`: the smallest real file-source pipeline, and the proof of the r2 source end to end. A JSON
 * Lines file dropped under `incoming/json-lines/` becomes one job (file trigger); the job reads it from the FILES
 * bucket (no HTTP provider profile), accepts the well-formed records and rejects the others (a line that is not
 * JSON, a record without a string `id` or a finite number `value`), fails REJECTION_THRESHOLD above 5% rejected,
 * and settles the file to `archive/` (succeeded) or `failed/` with an `.error.json` sidecar.
 * Each record: {"id": "a1", "value": 3.5, "label"?: "..."}.
 */
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors';
import { definePipeline } from '../../core/pipeline';
import type { Rejection, SettleAction } from '../../core/source';

const Params = z.object({ key: z.string().min(1).max(200) });
type Params = z.infer<typeof Params>;

const Record_ = z.strictObject({ id: z.string().min(1), value: z.number(), label: z.string().nullable() });
const Output = z.strictObject({ file: z.string(), records: z.array(Record_) });
type Output = z.infer<typeof Output>;

interface Parsed {
  seen: number;
  records: Array<z.infer<typeof Record_>>;
  rejected: Rejection[];
}

export const TRIGGER_PREFIX = 'incoming/json-lines/';

/** `incoming/a/b.jsonl` -> `<folder>/a/b.jsonl`: the folder replaces the first path segment. */
export function settledKey(key: string, folder: 'archive' | 'failed'): string {
  const slash = key.indexOf('/');
  return `${folder}/${slash >= 0 ? key.slice(slash + 1) : key}`;
}

export function parseJsonLines(text: string): Parsed {
  const out: Parsed = { seen: 0, records: [], rejected: [] };
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    out.seen++;
    const locator = `line:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      out.rejected.push({ locator, field: null, rule: 'malformed_line', message: 'not a JSON value' });
      return;
    }
    const rec = value as Record<string, unknown> | null;
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      out.rejected.push({ locator, field: null, rule: 'not_an_object', message: 'a record must be a JSON object' });
    } else if (typeof rec.id !== 'string' || rec.id === '') {
      out.rejected.push({ locator, field: 'id', rule: 'required', message: 'id must be a non-empty string' });
    } else if (typeof rec.value !== 'number' || !Number.isFinite(rec.value)) {
      out.rejected.push({ locator, field: 'value', rule: 'number', message: 'value must be a finite number' });
    } else {
      out.records.push({ id: rec.id, value: rec.value, label: typeof rec.label === 'string' ? rec.label : null });
    }
  });
  return out;
}

export const jsonLinesPipeline = definePipeline<Params, Parsed, Output>({
  name: 'files.json_lines',
  // No provider profile exists for it: every request is read from the FILES bucket.
  provider: 'files',
  description: 'Records of a JSON Lines file dropped into the FILES bucket under incoming/json-lines/ (test and reference file pipeline).',
  paramsSchema: Params,
  scopeParams: ['key'],
  parserVersion: 'files.json_lines.parse/1',
  normalizerVersion: 'files.json_lines.norm/1',
  outputSchema: Output,
  plan: (p, fetched) => (fetched.length ? [] : [{ source: 'r2', resourceType: 'file', resourceKey: p.key, url: p.key }]),
  maxRounds: 1,
  parse(_p, fetched) {
    const file = fetched[0];
    if (!file) throw new NonRetryableError('FILE_MISSING', 'parse', 'no file was read');
    return parseJsonLines(file.body); // decoded by the runtime (decodeBody: BOM, charset, UTF-8)
  },
  normalize: (p, parsed) => {
    const byId = new Map(parsed.records.map((r) => [r.id, r])); // a repeated id: the last line wins
    return { file: p.key, records: [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
  },
  entities: (n) => n.records.map((r) => [r.id, r] as const),
  drift: false,
  acceptance: (_p, parsed) => ({ seen: parsed.seen, rejected: parsed.rejected }),
  acceptancePolicy: { maxRejectedRatio: 0.05 },
  fileTrigger: {
    prefix: TRIGGER_PREFIX,
    params: (object) => (/\.(jsonl|ndjson)$/i.test(object.key) ? { key: object.key } : null),
  },
  settle(p, outcome): SettleAction[] {
    if (outcome.state === 'succeeded') return [{ kind: 'move', from: p.key, to: settledKey(p.key, 'archive') }];
    const target = settledKey(p.key, 'failed');
    // The sidecar first: if the move then crashes, a redelivery writes the same sidecar again and finishes the move.
    return [
      {
        kind: 'put',
        key: `${target}.error.json`,
        body: JSON.stringify({ state: outcome.state, error: outcome.error }),
        contentType: 'application/json',
      },
      { kind: 'move', from: p.key, to: target },
    ];
  },
});
