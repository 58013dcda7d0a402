/**
 * Strict snapshot validation (seed 002): the bytes of one file to either the typed document or EVERY problem found,
 * each named by a JSON pointer (`/records/12/fg_pct: expected number, got "51.1"`). Pure and synchronous, so the
 * import pipeline, the extractors (their output must pass the importer's own check) and the upload route all use
 * the same function. Hand-written rather than zod: the messages are part of the contract and it runs in one pass.
 */
import { DEFAULT_MAX_SNAPSHOT_BYTES, FILE_FIELDS, RECORD_FIELDS, type FieldSpec, type SnapshotDoc } from './schema';

export interface Problem {
  /** JSON pointer (RFC 6901) of the offending value; `` (empty) for the file as a whole. */
  pointer: string;
  /** Machine-readable rule: size_limit, empty_file, encoding, json_syntax, type, unknown_field, required, ... */
  rule: string;
  message: string;
}

export type Validation =
  | { ok: true; doc: SnapshotDoc; recordCount: number }
  | { ok: false; problems: Problem[]; recordCount: number | null };

/** Problems beyond this many are counted, not listed (a 50 000-record file of numeric strings stays readable). */
export const MAX_LISTED_PROBLEMS = 1000;

export function formatProblem(p: Problem): string {
  return `${p.pointer || '(file)'}: ${p.message}`;
}

export function validateSnapshotBytes(bytes: Uint8Array, opts: { maxBytes?: number } = {}): Validation {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES;
  if (bytes.byteLength === 0) return fail('', 'empty_file', 'the file is empty (0 bytes)');
  if (bytes.byteLength > maxBytes) return fail('', 'size_limit', `the file is ${bytes.byteLength} bytes, over the ${maxBytes}-byte limit`);
  let text: string;
  try {
    // `ignoreBOM: false` strips a UTF-8 BOM; anything that is not UTF-8 is refused rather than guessed.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return fail('', 'encoding', 'the file is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail('', 'json_syntax', `invalid JSON: ${(e as Error).message}`);
  }
  return validateSnapshotValue(value);
}

export function validateSnapshotValue(value: unknown): Validation {
  const out = new Collector();
  if (!isPlainObject(value)) {
    out.add('', 'type', `expected a JSON object at the top level, got ${describe(value)}`);
    return { ok: false, problems: out.problems, recordCount: null };
  }
  checkObject(out, '', value, FILE_FIELDS);
  const records = value.records;
  let recordCount: number | null = null;
  if ('records' in value) {
    if (!Array.isArray(records)) out.add('/records', 'type', `expected array, got ${describe(records)}`);
    else if (records.length === 0) out.add('/records', 'empty_records', 'records is empty: a snapshot has at least one record');
    else {
      recordCount = records.length;
      records.forEach((r, i) => {
        const at = `/records/${i}`;
        if (!isPlainObject(r)) out.add(at, 'type', `expected object, got ${describe(r)}`);
        else checkObject(out, at, r, RECORD_FIELDS);
      });
      if (out.count === 0) checkConsistency(out, value as unknown as SnapshotDoc);
    }
  }
  if (out.count > 0) return { ok: false, problems: out.listed(), recordCount };
  return { ok: true, doc: value as unknown as SnapshotDoc, recordCount: recordCount ?? 0 };
}

class Collector {
  problems: Problem[] = [];
  count = 0;
  add(pointer: string, rule: string, message: string): void {
    this.count++;
    if (this.problems.length < MAX_LISTED_PROBLEMS) this.problems.push({ pointer, rule, message });
  }
  listed(): Problem[] {
    if (this.count <= this.problems.length) return this.problems;
    return [
      ...this.problems,
      { pointer: '', rule: 'truncated', message: `${this.count - this.problems.length} more problems not listed (${this.count} in all)` },
    ];
  }
}

// Each table's entries once, not per record: the validator's inner loop runs fields x records times.
const entriesOf = new WeakMap<Record<string, FieldSpec>, Array<[string, FieldSpec]>>();
function entries(fields: Record<string, FieldSpec>): Array<[string, FieldSpec]> {
  let e = entriesOf.get(fields);
  if (!e) entriesOf.set(fields, (e = Object.entries(fields)));
  return e;
}

function checkObject(out: Collector, at: string, obj: Record<string, unknown>, fields: Record<string, FieldSpec>): void {
  for (const key in obj) {
    if (Object.hasOwn(obj, key) && !Object.hasOwn(fields, key)) out.add(`${at}/${escapePointer(key)}`, 'unknown_field', 'unknown field');
  }
  for (const [name, spec] of entries(fields)) {
    if (!Object.hasOwn(obj, name)) {
      if (!spec.optional) out.add(`${at}/${name}`, 'required', 'required field missing');
      continue;
    }
    if (name === 'records') continue; // checked by the caller, record by record
    checkValue(out, at, name, obj[name], spec);
  }
}

/** The pointer is `${at}/${name}`, built only when there is a problem to report (valid files build none). */
function checkValue(out: Collector, at: string, name: string, v: unknown, spec: FieldSpec): void {
  const ptr = () => `${at}/${name}`;
  if (v === null) {
    if (!spec.nullable) out.add(ptr(), 'not_null', `expected ${expected(spec)}, got null`);
    return;
  }
  switch (spec.kind) {
    case 'string':
    case 'source_name':
    case 'nationality':
    case 'season':
    case 'date': {
      if (typeof v !== 'string') {
        out.add(ptr(), 'type', `expected ${expected(spec)}, got ${describe(v)}`);
        return;
      }
      if (v.trim() === '') {
        out.add(ptr(), 'empty_string', 'must not be empty');
        return;
      }
      if (spec.kind === 'date' && !isRealDate(v)) out.add(ptr(), 'date', `expected a real date YYYY-MM-DD, got ${describe(v)}`);
      if (spec.kind === 'season' && !isSeason(v))
        out.add(ptr(), 'season', `expected a season YYYY or YYYY-YYYY (consecutive years), got ${describe(v)}`);
      if (spec.kind === 'nationality' && !/^[A-Z]{2,3}$/.test(v))
        out.add(ptr(), 'nationality', `expected an ISO 3166 country code (2-3 capital letters), got ${describe(v)}`);
      if (spec.kind === 'source_name' && !/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/.test(v))
        out.add(ptr(), 'source_name', `expected letters, digits and _.:- (at most 100), got ${describe(v)}`);
      return;
    }
    case 'integer':
    case 'number':
    case 'pct': {
      // JSON has no NaN; `1e999` parses to Infinity, and "NaN", "-", "" arrive as strings: all refused here.
      if (typeof v !== 'number') {
        out.add(ptr(), 'type', `expected number, got ${describe(v)}`);
        return;
      }
      if (!Number.isFinite(v)) {
        out.add(ptr(), 'finite', `expected a finite number, got ${String(v)}`);
        return;
      }
      if (spec.kind === 'integer' && !Number.isInteger(v)) {
        out.add(ptr(), 'integer', `expected an integer, got ${v}`);
        return;
      }
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
        const unit = spec.kind === 'pct' ? ' (percent, 0-100: 51.1 not 0.511)' : '';
        out.add(ptr(), 'range', `must be between ${spec.min} and ${spec.max}${unit}, got ${v}`);
      }
      return;
    }
    case 'object':
      if (!isPlainObject(v)) out.add(ptr(), 'type', `expected object, got ${describe(v)}`);
      return;
    case 'json':
      if (typeof v !== 'object') out.add(ptr(), 'type', `expected object or array, got ${describe(v)}`);
      return;
  }
}

/** Cross-record rules: one stat line per (competition, season, team, player); one name per id; born before the snapshot. */
function checkConsistency(out: Collector, doc: SnapshotDoc): void {
  const lines = new Map<string, number>();
  const names = new Map<string, { value: unknown; index: number }>();
  const same = (kind: string, id: string, field: string, value: unknown, i: number) => {
    const key = `${kind}\u0000${id}\u0000${field}`;
    const seen = names.get(key);
    if (!seen) names.set(key, { value, index: i });
    else if (seen.value !== value)
      out.add(
        `/records/${i}/${field}`,
        'conflict',
        `${kind} ${JSON.stringify(id)} has ${describe(seen.value)} at /records/${seen.index}, ${describe(value)} here`,
      );
  };
  doc.records.forEach((r, i) => {
    const key = [r.competition_external_id, r.season, r.team_external_id, r.player_external_id].join('\u0000');
    const first = lines.get(key);
    if (first !== undefined) out.add(`/records/${i}`, 'duplicate_record', `same competition, season, team and player as /records/${first}`);
    else lines.set(key, i);
    same('competition', r.competition_external_id, 'competition_name', r.competition_name, i);
    same('team', r.team_external_id, 'team_name', r.team_name, i);
    same('player', r.player_external_id, 'full_name', r.full_name, i);
    same('player', r.player_external_id, 'birth_date', r.birth_date, i);
    if (r.birth_date && r.birth_date >= doc.snapshot_date)
      out.add(`/records/${i}/birth_date`, 'range', `birth date ${r.birth_date} is not before snapshot_date ${doc.snapshot_date}`);
  });
}

export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

function isSeason(s: string): boolean {
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(s);
  return !!m && (m[2] === undefined || Number(m[2]) === Number(m[1]) + 1);
}

function expected(spec: FieldSpec): string {
  if (spec.kind === 'integer') return 'integer';
  if (spec.kind === 'number' || spec.kind === 'pct') return 'number';
  if (spec.kind === 'object') return 'object';
  if (spec.kind === 'json') return 'object or array';
  return 'string';
}

/** The offending value as the message shows it: JSON, cut at 60 characters. */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `array`;
  if (isPlainObject(v)) return 'object';
  const s = typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function fail(pointer: string, rule: string, message: string): Validation {
  return { ok: false, problems: [{ pointer, rule, message }], recordCount: null };
}
