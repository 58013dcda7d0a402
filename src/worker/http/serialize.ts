/** Wire shapes of the internal API: snake_case, ISO-8601 times. */
import type { Job, JobAttempt, JobTransition, Publication, RawSnapshot, ScheduleConfig } from '../../core/types';
import { getPipeline } from '../../pipelines/registry';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function jobJson(j: Job) {
  return {
    id: j.id,
    pipeline: j.pipeline,
    params: j.params,
    scope_key: j.scopeKey,
    mode: j.mode,
    force: j.force,
    state: j.state,
    idempotency_key: j.idempotencyKey,
    request_id: j.requestId,
    requested_by: j.requestedBy,
    parent_job_id: j.parentJobId,
    attempt_count: j.attemptCount,
    max_attempts: j.maxAttempts,
    retry_count: j.retryCount,
    next_retry_at: iso(j.nextRetryAt),
    claimed_by: j.claimedBy,
    claimed_at: iso(j.claimedAt),
    lease_until: iso(j.leaseUntil),
    last_heartbeat_at: iso(j.lastHeartbeatAt),
    last_error: j.lastErrorCode
      ? { category: j.lastErrorCategory, code: j.lastErrorCode, message: j.lastErrorMessage, retryable: j.lastErrorRetryable }
      : null,
    parser_version: j.parserVersion,
    normalizer_version: j.normalizerVersion,
    progress: { done: j.progressDone, total: j.progressTotal, unit: getPipeline(j.pipeline)?.progressUnit ?? 'resource' },
    result: j.result,
    created_at: iso(j.createdAt),
    updated_at: iso(j.updatedAt),
    finished_at: iso(j.finishedAt),
  };
}

export function attemptJson(a: JobAttempt) {
  return {
    attempt_number: a.attemptNumber,
    worker_id: a.workerId,
    state: a.state,
    error: a.errorCode ? { category: a.errorCategory, code: a.errorCode, message: a.errorMessage, retryable: a.retryable } : null,
    started_at: iso(a.startedAt),
    finished_at: iso(a.finishedAt),
    duration_ms: a.durationMs,
  };
}

export function transitionJson(t: JobTransition) {
  return {
    from: t.fromState,
    to: t.toState,
    reason: t.reason,
    actor: t.actor,
    requested_by: t.requestedBy,
    attempt_number: t.attemptNumber,
    at: iso(t.at),
  };
}

export function snapshotJson(s: RawSnapshot) {
  return {
    attempt_number: s.attemptNumber,
    resource_type: s.resourceType,
    resource_key: s.resourceKey,
    url: s.url,
    status: s.status,
    content_type: s.contentType,
    size_bytes: s.sizeBytes,
    sha256: s.sha256,
    fetched_at: iso(s.fetchedAt),
  };
}

export function publicationJson(p: Publication) {
  return {
    id: p.id,
    pipeline: p.pipeline,
    scope_key: p.scopeKey,
    job_id: p.jobId,
    sequence: p.sequence,
    supersedes_id: p.supersedesId,
    publication_decision: p.publicationDecision,
    change_classification: p.changeClassification,
    publication_reason: p.publicationReason,
    source_snapshot_hash: p.sourceSnapshotHash,
    normalized_hash: p.normalizedHash,
    envelope_hash: p.envelopeHash,
    parser_version: p.parserVersion,
    normalizer_version: p.normalizerVersion,
    entity_count: p.entityCount,
    // Counts, under their own name: `changes` is the envelope's lists of entity keys, one shape everywhere.
    change_counts: { added: p.addedCount, removed: p.removedCount, changed: p.changedCount },
    published_at: iso(p.publishedAt),
  };
}

export function scheduleJson(s: ScheduleConfig) {
  return {
    id: s.id,
    pipeline: s.pipeline,
    params: s.params,
    cron: s.cron,
    enabled: s.enabled,
    next_due_at: iso(s.nextDueAt),
    last_enqueued_slot: iso(s.lastEnqueuedSlot),
  };
}

/** Cursor encoding for newest-first lists. */
export function encodeCursor(parts: Array<string | number>): string {
  return btoa(parts.join('|')).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(cursor: string): string[] | null {
  try {
    return atob(cursor.replace(/-/g, '+').replace(/_/g, '/')).split('|');
  } catch {
    return null;
  }
}
