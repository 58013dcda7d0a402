/**
 * The result a succeeded job keeps (GET /jobs/{id} shows it): the job's own figures plus its publication decision.
 * One definition, used by the job when it finishes itself and by the publisher when the decision ends the job.
 */
import { diffEntities } from '../core/decision';
import type { PublishOutcome } from '../core/ports';

/** New, changed, unchanged and removed entities against the scope's latest publication (all new for the first). */
export function entityCounts(previous: Record<string, string> | null, current: Record<string, string>) {
  const d = diffEntities(previous, current);
  const total = Object.keys(current).length;
  return {
    entities_new: d.added.length,
    entities_changed: d.changed.length,
    entities_unchanged: total - d.added.length - d.changed.length,
    entities_removed: d.removed.length,
  };
}

export function decidedResult(
  own: Record<string, unknown>,
  outcome: Pick<PublishOutcome, 'decision' | 'classification' | 'reason' | 'publicationId' | 'previousPublicationId'>,
  counts: ReturnType<typeof entityCounts>,
): Record<string, unknown> {
  return {
    summary: `${outcome.decision}: ${outcome.reason}`,
    outcome: 'NORMALIZED',
    decision: outcome.decision,
    classification: outcome.classification,
    reason: outcome.reason,
    publication_id: outcome.publicationId,
    supersedes_id: outcome.publicationId ? outcome.previousPublicationId : null,
    ...counts,
    ...own,
  };
}
