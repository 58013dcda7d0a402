/**
 * CSV text to race records through a mapping profile. papaparse does the RFC 4180 work (quoted fields, embedded
 * commas and newlines, CRLF); this module maps columns, trims stray spaces, and turns each cell into a typed value
 * or a refusal with its row and field. Rows are numbered as a spreadsheet shows them: the header is row 1.
 */
import Papa from 'papaparse';
import { NonRetryableError } from '../../core/errors';
import type { Rejection } from '../../core/source';
import type { CsvField, CsvProfile } from './csv-profiles';
import { parseAmount, parsePrice } from './prices';
import type { RaceRecord, Selection } from './race-data';
import { parseTime } from './times';

export interface CsvOptions {
  timezone: string;
  currency: string | null;
}

export interface CsvRecords {
  records: RaceRecord[];
  rejected: Rejection[];
  rows: number;
  columns: string[];
}

const norm = (h: string): string =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

function columnIndex(header: string[], profile: CsvProfile): Map<CsvField, number> {
  const byName = new Map(header.map((h, i) => [norm(h), i] as const));
  const out = new Map<CsvField, number>();
  const missing: string[] = [];
  for (const [field, names] of Object.entries(profile.columns) as Array<[CsvField, readonly string[]]>) {
    const hit = names.map((n) => byName.get(n.toLowerCase())).find((i) => i !== undefined);
    if (hit !== undefined) out.set(field, hit);
    else if (profile.required.includes(field)) missing.push(names[0]!);
  }
  if (missing.length > 0) {
    throw new NonRetryableError(
      'CSV_COLUMNS_MISSING',
      'validation',
      `profile ${profile.name} needs columns ${missing.join(', ')}; the file has ${header.map((h) => h.trim()).join(', ')}`,
      { details: { profile: profile.name, missing, found: header.map((h) => h.trim()) } },
    );
  }
  return out;
}

const STATUS: Record<string, Selection['status']> = {
  active: 'active',
  winner: 'active',
  loser: 'active',
  placed: 'active',
  inactive: 'inactive',
  hidden: 'inactive',
  removed: 'scratched',
  scratched: 'scratched',
  nr: 'scratched',
  'non-runner': 'scratched',
  removed_vacant: 'scratched',
};
const RESULT: Record<string, Selection['result']> = {
  winner: 'winner',
  won: 'winner',
  '1': 'winner',
  placed: 'placed',
  loser: 'loser',
  lost: 'loser',
  '0': 'loser',
};

export function csvRecords(text: string, profile: CsvProfile, opts: CsvOptions): CsvRecords {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: 'greedy' });
  const [header, ...rows] = parsed.data;
  if (!header) throw new NonRetryableError('CSV_EMPTY', 'validation', 'the CSV has no header row', { details: { profile: profile.name } });
  const idx = columnIndex(header, profile);
  const records: RaceRecord[] = [];
  const rejected: Rejection[] = [];
  nextRow: for (const [i, cells] of rows.entries()) {
    const locator = `row:${i + 2}`;
    const reject = (field: string | null, rule: string, message: string) => rejected.push({ locator, field, rule, message });
    if (cells.length !== header.length) {
      reject(null, 'malformed_row', `row ${i + 2} has ${cells.length} cells, the header ${header.length}`);
      continue;
    }
    const raw: Partial<Record<CsvField, string>> = {};
    for (const [field, at] of idx) raw[field] = (cells[at] ?? '').trim();
    const v = { ...raw, ...(profile.derive?.(raw) ?? {}) };
    for (const f of ['event_id', 'selection_id'] as const)
      if (!v[f]) {
        reject(f, 'required', `${f} is empty`);
        continue nextRow;
      }
    const start = parseTime(v.start_time, opts.timezone);
    if (!start.ok) {
      reject('start_time', 'start_time_format', start.message);
      continue;
    }
    const priceCell = v.price ?? '';
    if (!profile.inferPriceFormat && priceCell !== '' && !/^\d+(?:\.\d+)?$/.test(priceCell)) {
      reject('price', 'price_format', `price "${priceCell}" is not decimal (profile ${profile.name} takes decimal prices only)`);
      continue;
    }
    const price = parsePrice(priceCell);
    if (!price.ok) {
      reject('price', 'price_format', price.message);
      continue;
    }
    const volume = parseAmount(v.volume);
    if (!volume.ok) {
      reject('volume', 'volume_format', volume.message);
      continue;
    }
    const statusWord = (v.status ?? '').toLowerCase();
    const result = RESULT[(v.result ?? '').toLowerCase()] ?? RESULT[statusWord] ?? (v.is_winner ? (RESULT[v.is_winner] ?? null) : null);
    const currency = v.currency ? v.currency.toUpperCase() : opts.currency;
    records.push({
      locator,
      race: {
        event_id: v.event_id!,
        event_name: v.event_name || null,
        market_id: v.market_id || null,
        track: v.track || null,
        country_code: v.country_code || null,
        start_time_ms: start.ms,
        race_type: v.race_type || null,
        market_type: v.market_type || null,
        currency,
      },
      selection: {
        selection_id: v.selection_id!,
        name: v.selection_name ?? '',
        price: price.price?.decimal ?? null,
        price_fraction: price.price?.fraction ?? null,
        volume: volume.value,
        status: STATUS[statusWord] ?? 'active',
        result,
        bsp: null,
      },
    });
  }
  return { records, rejected, rows: rows.length, columns: header.map((h) => h.trim()) };
}
