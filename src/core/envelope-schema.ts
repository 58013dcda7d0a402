/**
 * The envelope contract (`ingestion.publication` v1, src/core/envelope.ts) as a zod schema, so downstream gets a
 * JSON Schema it can validate on receipt: one for the envelope with any payload, one per pipeline with its output
 * schema as the payload. Tests check real envelopes against it, so it cannot drift from what is published.
 */
import { z } from 'zod';
import { CHANGE_CLASSIFICATIONS, PUBLICATION_DECISIONS } from './types';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const isoWithOffset = z.iso.datetime({ offset: true });

export function envelopeSchema<P extends z.ZodType>(payload: P) {
  return z.strictObject({
    contract: z.strictObject({ schema: z.literal('ingestion.publication'), version: z.literal(1) }),
    publication: z.strictObject({
      id: z.uuid(),
      sequence: z.number().int().min(1),
      supersedes_id: z.uuid().nullable(),
      published_at: isoWithOffset,
    }),
    pipeline: z.string(),
    scope_key: z.string(),
    /** Canonical scope values: trimmed, lowercase strings; the scope key derives from them. */
    scope: z.record(z.string(), z.string()),
    decision: z.strictObject({
      publication_decision: z.enum(PUBLICATION_DECISIONS),
      change_classification: z.enum(CHANGE_CLASSIFICATIONS),
      reason: z.string(),
    }),
    hashes: z.strictObject({ source_snapshot_hash: sha256, normalized_hash: sha256, envelope_hash: sha256 }),
    versions: z.strictObject({ parser_version: z.string(), normalizer_version: z.string() }),
    source: z.strictObject({ job_id: z.uuid() }),
    /** Entity keys added, removed and changed since the superseded publication. */
    changes: z.strictObject({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()) }),
    /** Input records seen and refused, for pipelines that accept partially (file imports, CSVs); else absent. */
    acceptance: z
      .strictObject({
        records_seen: z.number().int().min(0),
        accepted: z.number().int().min(0),
        rejected: z.number().int().min(0),
        rejected_by_rule: z.record(z.string(), z.number().int().min(0)),
      })
      .optional(),
    payload,
  });
}

export const anyEnvelopeSchema = envelopeSchema(z.unknown());

export function toJsonSchema(schema: z.ZodType, id: string): Record<string, unknown> {
  return { $id: id, ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) };
}
