/** The work of one claimed attempt: fetch (or replay), normalize, store, publish through the scope's publisher. */
import type { AnyPipeline, FetchedResource } from '../core/pipeline';
import type { ClaimedJob, ClaimRef, Logger } from '../core/ports';
import type { ProviderProfile } from '../core/provider';
import { canonicalScope } from '../core/scope-key';
import { normalizedKey } from './blob-keys';
import { loadCarryInput, loadPrevious, loadPublicationDoc } from './carry-context';
import { decidedResult, entityCounts } from './job-result';
import type { RuntimeDeps } from './deps';
import { enqueueJob } from './enqueue';
import { fetchResources, loadReplaySnapshots } from './fetch-resources';
import type { LeaseKeeper } from './lease';
import { type PreParsed, runNormalizeStep } from './normalize-step';
import { streamReplay, streamResources } from './stream-source';
import { acceptanceCounts, checkAcceptance } from './acceptance';
import type { PendingSnapshots } from './pending-snapshots';

/** What an attempt produced; `finished`: the publisher already wrote the job's success with the decision. */
export interface JobRun {
  result: Record<string, unknown>;
  finished: boolean;
}

export async function runAttempt(
  deps: RuntimeDeps,
  job: ClaimedJob,
  pipeline: AnyPipeline,
  profile: ProviderProfile | null,
  ref: ClaimRef,
  lease: LeaseKeeper,
  log: Logger,
  /** This attempt's raw_snapshots rows not stored yet: the decision carries them (else the caller's finish does). */
  pending: PendingSnapshots,
  startedAt: number = deps.now(),
): Promise<JobRun> {
  const params = pipeline.paramsSchema.parse(job.params) as Record<string, unknown>;
  // The scope's latest publication (what carryOver merges from, what the publisher decides against), read while
  // the provider answers: no round trip of its own on the job's path.
  const previousRead = loadPrevious(deps, job.pipeline, job.scopeKey, job.latestPublication);
  previousRead.catch(() => undefined); // awaited below; a fetch failure first must not leave it unhandled

  let fetched;
  let stats = { resources: 0, reused: 0, blobWrites: 0, snapshotRows: 0 };
  let replayOf: string | null = null;
  // A pipeline that parses a stream (one large FILES object) gets it parsed while it is read: stream-source.ts.
  let pre: PreParsed | null = null;
  if (job.mode === 'replay') {
    const replay = (pre = await streamReplay(deps, pipeline, job, params)) ?? (await loadReplaySnapshots(deps, job.pipeline, job.scopeKey));
    fetched = replay.fetched;
    replayOf = replay.sourceJobId;
    lease.setProgress(fetched.length, fetched.length); // a replay's work is its stored snapshots, all at hand
  } else {
    if (pipeline.skipFetch) {
      const latest = await previousRead;
      const skip = pipeline.skipFetch(params, latest?.payload ?? null);
      if (skip) {
        log.info('provider fetch skipped', { reason: skip });
        const result = {
          summary: `skipped: ${skip}`,
          outcome: 'SKIPPED',
          job_id: job.id,
          skip_reason: skip,
          publication_id: latest?.publication.id ?? null,
          provider_requests: 0,
        };
        return { result, finished: false };
      }
    }
    const run =
      (pre = await streamResources(deps, pipeline, job, params, ref, lease, pending, log)) ??
      (await fetchResources(deps, pipeline, profile, job, params, ref, lease, log, pending));
    fetched = run.fetched;
    stats = run.stats;
    const duplicate = await duplicateContent(deps, pipeline, job, params, fetched);
    if (duplicate) {
      log.info('duplicate content skipped', { sha256: duplicate.sha256, duplicate_of_job_id: duplicate.jobId });
      const result = {
        summary: `skipped: DUPLICATE_CONTENT of job ${duplicate.jobId}`,
        outcome: 'SKIPPED',
        job_id: job.id,
        skip_reason: 'DUPLICATE_CONTENT',
        content_sha256: duplicate.sha256,
        duplicate_of_job_id: duplicate.jobId,
        duplicate_of_publication_id: duplicate.publicationId,
        publication_id: null,
        provider_requests: stats.resources,
      };
      return { result, finished: false };
    }
  }

  const previous = await previousRead;
  const carry = await loadCarryInput(deps, pipeline, params, job.scopeKey, previous, job.id);
  const out = await runNormalizeStep(pipeline, params, fetched, carry, pre ?? undefined);
  // Partial acceptance: above the pipeline's threshold this throws REJECTION_THRESHOLD and nothing is published.
  const acceptance = checkAcceptance(pipeline, params, out.parsed, out.normalized);
  if (acceptance?.rejected)
    log.warn('records rejected', {
      rejected: acceptance.rejected,
      records_seen: acceptance.records_seen,
      by_rule: acceptance.rejected_by_rule,
    });
  // Pipelines report parse anomalies in `_anomalies` (outside the hash): each one is a warning, not an error.
  const anomalies = (out.normalized as { _anomalies?: unknown })._anomalies;
  if (Array.isArray(anomalies)) for (const a of anomalies.slice(0, 50)) log.warn('parse anomaly', { anomaly: String(a) });
  log.debug('normalized', { entity_count: out.entityCount, normalized_hash: out.normalizedHash, resources: fetched.length });
  const payloadKey = normalizedKey(out.normalizedHash);
  // Content-addressed: the document of unchanged content is the one this attempt just read as the previous
  // publication's, so it is known to be stored; no conditional put (a refused one is still a round trip).
  const stored = previous?.publication.payloadKey === payloadKey;
  const payloadWritten =
    !stored &&
    (await deps.blobs.putIfAbsent(
      payloadKey,
      () => JSON.stringify({ payload: out.normalized, entity_hashes: out.entityHashes }),
      'application/json',
    ));
  // No renewal round trip here: the publisher writes only while this attempt's claim token still holds the job.
  lease.assertHeld();
  const now = deps.now();
  const scope = canonicalScope(pipeline.scopeParams, params);
  const own = {
    job_id: job.id,
    normalized_hash: out.normalizedHash,
    source_snapshot_hash: out.sourceSnapshotHash,
    entity_count: out.entityCount,
    provider_requests: stats.resources,
    resources_reused: stats.reused,
    raw_bodies_written: stats.blobWrites,
    snapshot_rows: stats.snapshotRows,
    payload_written: payloadWritten,
    replay_of: replayOf,
    child_job_ids: [] as string[],
    ...(acceptance ? { acceptance } : {}),
  };
  // Follow-ups depend on the base publication's entity keys: planned against the one read, re-planned below if the
  // publisher decided against a newer one. None planned: the job ends with its decision, in the same transaction.
  const followUpsAgainst = (keys: Set<string> | null) =>
    pipeline.followUps && job.mode === 'fetch' ? pipeline.followUps(params, out.normalized, { previousEntityKeys: keys }) : [];
  const keysOf = (p: { entityHashes: Record<string, string> } | null) => (p ? new Set(Object.keys(p.entityHashes)) : null);
  let follows = followUpsAgainst(keysOf(previous));
  const hasFollowUps = follows.length > 0;
  const snapshots = pending.rows;
  const outcome = await deps.publisher.publish({
    pipeline: job.pipeline,
    scopeKey: job.scopeKey,
    jobId: job.id,
    force: job.force,
    now,
    scope,
    claimToken: ref.claimToken,
    ...(snapshots.length ? { snapshots } : {}),
    ...(acceptance ? { acceptance: acceptanceCounts(acceptance) } : {}),
    doc: { payload: out.normalized, entity_hashes: out.entityHashes },
    basedOn: previous
      ? { publication: previous.publication, doc: { payload: previous.payload, entity_hashes: previous.entityHashes } }
      : null,
    // Nothing follows the decision: the publisher ends the job in the decision's own transaction.
    ...(hasFollowUps
      ? {}
      : {
          finish: {
            ref,
            outcome: {
              actor: deps.workerId,
              startedAt,
              progress: lease.currentProgress,
              parserVersion: pipeline.parserVersion,
              normalizerVersion: pipeline.normalizerVersion,
            },
            result: own,
          },
        }),
    normalized: {
      jobId: job.id,
      pipeline: job.pipeline,
      scopeKey: job.scopeKey,
      sourceSnapshotHash: out.sourceSnapshotHash,
      normalizedHash: out.normalizedHash,
      parserVersion: pipeline.parserVersion,
      normalizerVersion: pipeline.normalizerVersion,
      entityCount: out.entityCount,
      payloadKey,
      createdAt: now,
      updatedAt: now,
    },
  });
  if (outcome.finishedResult) lease.stop(); // the job is finished: a renewal now could only fail
  if (outcome.snapshotsSaved) pending.stored(snapshots);
  // Against the publication the decision was taken on (another job may have published in between).
  const base =
    (previous?.publication.id ?? null) === outcome.previousPublicationId
      ? previous
      : await loadPublicationDoc(deps, outcome.previousPublicationId);
  const counts = entityCounts(base?.entityHashes ?? null, out.entityHashes);
  // The seed's "summary of state changes (new/updated/skipped)": one structured line per publication decision.
  log.info('publication decided', {
    decision: outcome.decision,
    classification: outcome.classification,
    publication_id: outcome.publicationId,
    ...counts,
  });
  // A publication nobody subscribes to fanned out no delivery: nothing to kick, no round trip for it.
  if (outcome.publicationId && deps.afterPublish && outcome.deliveries !== 0) {
    await deps
      .afterPublish(outcome.publicationId)
      .catch((err) => log.warn('delivery kick failed; the outbox relay will send them', { error: String(err) }));
  }
  if (outcome.finishedResult) return { result: outcome.finishedResult, finished: true };

  const children: string[] = [];
  if (base !== previous) follows = followUpsAgainst(keysOf(base));
  for (const follow of follows) {
    const child = await enqueueJob(
      { store: deps.store, queue: deps.queue, log, now: deps.now, defaultMaxAttempts: deps.config.maxAttempts },
      {
        pipeline: follow.pipeline,
        params: follow.params,
        parentJobId: job.id,
        requestId: job.requestId,
        idempotencyKey: `child:${job.id}:${follow.pipeline}:${JSON.stringify(follow.params)}`,
        actor: `job:${job.id}`,
        requestedBy: job.requestedBy ?? undefined,
        reason: 'follow-up of parent job',
      },
    );
    children.push(child.job.id);
  }
  return { result: decidedResult({ ...own, child_job_ids: children }, outcome, counts), finished: false };
}

/** The earlier job of this pipeline that published from the same content (the pipeline's contentSha), if any. */
async function duplicateContent(
  deps: RuntimeDeps,
  pipeline: AnyPipeline,
  job: ClaimedJob,
  params: Record<string, unknown>,
  fetched: readonly FetchedResource[],
): Promise<{ sha256: string; jobId: string; publicationId: string } | null> {
  const sha256 = pipeline.contentSha?.(params, fetched) ?? null;
  if (!sha256) return null;
  const first = await deps.store.firstPublishedWithContent(job.pipeline, sha256, job.id);
  return first ? { sha256, ...first } : null;
}
