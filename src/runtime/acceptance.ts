/**
 * Partial acceptance: a pipeline reports the records it saw and refused beside its output. The runtime turns that
 * into a summary (counts by rule and a bounded sample, stored in the job's result), the counts the envelope
 * carries, and the threshold check: above the pipeline's `maxRejectedRatio` the job fails REJECTION_THRESHOLD
 * (validation, not retryable) before anything is published.
 */
import type { AcceptanceCounts } from '../core/envelope';
import { AdapterError, NonRetryableError } from '../core/errors';
import type { AnyPipeline } from '../core/pipeline';
import type { Rejection } from '../core/source';

/** Rejections kept verbatim on the job; the counts cover all of them. */
export const REJECTION_SAMPLE_LIMIT = 20;

export interface AcceptanceSummary extends AcceptanceCounts {
  rejected_ratio: number;
  max_rejected_ratio: number | null;
  sample: Rejection[];
  sample_truncated: boolean;
}

export function summarizeAcceptance(seen: number, rejected: readonly Rejection[], maxRejectedRatio: number | null): AcceptanceSummary {
  const byRule: Record<string, number> = {};
  for (const r of rejected) byRule[r.rule] = (byRule[r.rule] ?? 0) + 1;
  const recordsSeen = Math.max(seen, rejected.length);
  return {
    records_seen: recordsSeen,
    accepted: recordsSeen - rejected.length,
    rejected: rejected.length,
    rejected_by_rule: Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => (a < b ? -1 : 1))),
    rejected_ratio: recordsSeen === 0 ? 0 : rejected.length / recordsSeen,
    max_rejected_ratio: maxRejectedRatio,
    sample: rejected
      .slice(0, REJECTION_SAMPLE_LIMIT)
      .map((r) => ({ locator: r.locator, field: r.field, rule: r.rule, message: r.message.slice(0, 500) })),
    sample_truncated: rejected.length > REJECTION_SAMPLE_LIMIT,
  };
}

/** The envelope's member: counts only (the sample stays on the job). */
export function acceptanceCounts(s: AcceptanceSummary): AcceptanceCounts {
  return { records_seen: s.records_seen, accepted: s.accepted, rejected: s.rejected, rejected_by_rule: s.rejected_by_rule };
}

/**
 * Runs the pipeline's acceptance hook (null when it has none) and enforces its policy. The summary travels in the
 * thrown error's details, so the failed job still shows what was refused.
 */
export function checkAcceptance(
  pipeline: AnyPipeline,
  params: Record<string, unknown>,
  parsed: unknown,
  normalized: unknown,
): AcceptanceSummary | null {
  if (!pipeline.acceptance) return null;
  let reported;
  try {
    reported = pipeline.acceptance(params, parsed, normalized);
  } catch (err) {
    if (err instanceof AdapterError) throw err;
    throw new NonRetryableError('PARSE_FAILED', 'parse', `${pipeline.name} acceptance threw: ${String(err)}`, { cause: err });
  }
  const max = pipeline.acceptancePolicy?.maxRejectedRatio ?? null;
  const summary = summarizeAcceptance(reported.seen, reported.rejected, max);
  if (max !== null && summary.rejected_ratio > max) {
    throw new NonRetryableError(
      'REJECTION_THRESHOLD',
      'validation',
      `${summary.rejected} of ${summary.records_seen} records rejected (${(summary.rejected_ratio * 100).toFixed(1)}% > ${(max * 100).toFixed(1)}%); nothing published`,
      { details: { acceptance: summary } },
    );
  }
  return summary;
}
