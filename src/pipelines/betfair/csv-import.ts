/**
 * `betfair.csv_import {key, mapping, timezone?, currency?, captured_at?}`: a racing/odds CSV from the FILES bucket,
 * read through a named mapping profile (csv-profiles.ts), validated and normalized to the race-data shape. Files
 * dropped under `betfair/csv/<mapping>/` become jobs; settled files move to `betfair/archive/` or
 * `betfair/failed/` (with the error beside them) so a prefix scan never picks them up again.
 *
 * The 30-day start-time rule is judged against `captured_at` when the job states it (the time the file's producer
 * captured it), else the time the file was stored: never the wall clock at parse time.
 */
import { z } from 'zod';
import { parseError } from '../../core/errors';
import { definePipeline, type FetchedResource } from '../../core/pipeline';
import type { Rejection } from '../../core/source';
import { CSV_PROFILE_NAMES, CSV_PROFILES } from './csv-profiles';
import { csvRecords } from './csv-rows';
import { CSV_PREFIX } from './provider';
import { raceSchema, type RaceRecord } from './race-data';
import { isValidZone } from './times';
import { acceptanceFields, assembleRaces } from './validate';

const params = z.strictObject({
  key: z.string().min(1).max(1024),
  mapping: z.enum(CSV_PROFILE_NAMES),
  timezone: z.string().refine(isValidZone, 'not an IANA time zone').optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  captured_at: z.iso.datetime({ offset: true }).optional(),
});
type Params = z.infer<typeof params>;

interface Parsed {
  records: RaceRecord[];
  rejected: Rejection[];
  rows: number;
  columns: string[];
  capturedAt: number;
}

const rejectionSchema = z.object({ locator: z.string(), field: z.string().nullable(), rule: z.string(), message: z.string() });

export const csvImportOutput = z.object({
  key: z.string(),
  mapping: z.string(),
  captured_at: z.string(),
  columns: z.array(z.string()),
  rows: z.number(),
  races: z.array(raceSchema),
  records_seen: z.number(),
  rejected_by_rule: z.record(z.string(), z.number()),
  rejections: z.array(rejectionSchema),
});
export type CsvImportOutput = z.infer<typeof csvImportOutput>;

function file(fetched: readonly FetchedResource[]): FetchedResource {
  const r = fetched.find((f) => f.resourceType === 'csv_file');
  if (!r) throw parseError('CSV_FILE_MISSING', 'the CSV file was not read');
  return r;
}

export const csvImportPipeline = definePipeline<Params, Parsed, CsvImportOutput>({
  name: 'betfair.csv_import',
  provider: 'betfair',
  description: 'A racing/odds CSV from the FILES bucket through a named column mapping profile, validated and normalized to race data.',
  paramsSchema: params,
  scopeParams: ['key', 'mapping'],
  parserVersion: 'betfair.csv_import.parse/1',
  normalizerVersion: 'betfair.csv_import.norm/1',
  outputSchema: csvImportOutput,
  plan: (p, fetched) => (fetched.length ? [] : [{ source: 'r2', resourceType: 'csv_file', resourceKey: p.key, url: p.key }]),
  parse(p, fetched) {
    const f = file(fetched);
    const profile = CSV_PROFILES[p.mapping]!;
    // Bytes, not the runtime's text: TextDecoder drops a UTF-8 BOM, which some files of the same series carry.
    const text = new TextDecoder('utf-8').decode(f.bytes);
    const out = csvRecords(text, profile, { timezone: p.timezone ?? profile.timezone, currency: p.currency ?? profile.currency });
    const capturedAt = p.captured_at ? Date.parse(p.captured_at) : (f.fetchedAt ?? Number.NaN);
    if (!Number.isFinite(capturedAt))
      throw parseError(
        'CSV_CAPTURE_TIME_UNKNOWN',
        'the file has no stored time and the job no captured_at: the start-time rule cannot be judged',
      );
    return { ...out, capturedAt };
  },
  normalize(p, parsed) {
    const assembled = assembleRaces(parsed.records, { capturedAt: parsed.capturedAt }, parsed.rejected, parsed.rejected.length);
    return {
      key: p.key,
      mapping: p.mapping,
      captured_at: new Date(parsed.capturedAt).toISOString(),
      columns: parsed.columns,
      rows: parsed.rows,
      ...acceptanceFields(assembled),
    };
  },
  entities(out) {
    const rows: Array<readonly [string, unknown]> = [];
    for (const race of out.races) {
      const { selections, ...header } = race;
      const id = `${race.event_id}:${race.market_id ?? ''}`;
      rows.push([`race:${id}`, header]);
      for (const s of selections) rows.push([`selection:${id}:${s.selection_id}`, s]);
    }
    return rows;
  },
  acceptance: (_p, _parsed, out) => ({ seen: out.records_seen, rejected: out.rejections }),
  acceptancePolicy: { maxRejectedRatio: 0.5 },
  fileTrigger: {
    prefix: CSV_PREFIX,
    params(o, prefix) {
      const rest = o.key.startsWith(prefix) ? o.key.slice(prefix.length) : '';
      const slash = rest.indexOf('/');
      const mapping = slash > 0 ? rest.slice(0, slash) : '';
      if (!(mapping in CSV_PROFILES) || !/\.csv$/i.test(rest)) return null;
      return { key: o.key, mapping: mapping as Params['mapping'] };
    },
  },
  settle(p, outcome) {
    const base = p.key.startsWith(CSV_PREFIX) ? p.key.slice(CSV_PREFIX.length) : p.key;
    if (outcome.state === 'succeeded') return [{ kind: 'move', from: p.key, to: `betfair/archive/csv/${base}` }];
    return [
      { kind: 'move', from: p.key, to: `betfair/failed/csv/${base}` },
      {
        kind: 'put',
        key: `betfair/failed/csv/${base}.error.json`,
        body: JSON.stringify({ state: outcome.state, error: outcome.error }),
        contentType: 'application/json',
      },
    ];
  },
});
