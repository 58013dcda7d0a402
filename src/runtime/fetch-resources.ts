/**
 * Runs a pipeline's plan rounds: fetch each requested resource through the provider client, store the body in
 * the blob store by sha256 (only when not already there) and record a raw_snapshots row per response.
 */
import { sha256Hex } from '../core/canonical-json';
import { NonRetryableError } from '../core/errors';
import type { AnyPipeline, FetchedResource } from '../core/pipeline';
import type { BlobStore, ClaimRef, JobStore, Logger } from '../core/ports';
import type { ProviderProfile } from '../core/provider';
import type { Job } from '../core/types';
import type { LeaseKeeper } from './lease';
import type { ProviderClient } from './provider-client';
import { rawKey } from './blob-keys';

export interface FetchStats {
  resources: number;
  blobWrites: number;
  snapshotRows: number;
}

export async function fetchResources(
  deps: { store: JobStore; blobs: BlobStore; client: ProviderClient; now: () => number },
  pipeline: AnyPipeline,
  profile: ProviderProfile,
  job: Job,
  params: Record<string, unknown>,
  ref: ClaimRef,
  lease: LeaseKeeper,
  log?: Logger,
): Promise<{ fetched: FetchedResource[]; stats: FetchStats }> {
  const fetched: FetchedResource[] = [];
  const seen = new Set<string>();
  const stats: FetchStats = { resources: 0, blobWrites: 0, snapshotRows: 0 };
  const maxRounds = pipeline.maxRounds ?? 5;
  let total = 0;
  for (let round = 0; round < maxRounds; round++) {
    const requests = pipeline.plan(params, fetched).filter((r) => !seen.has(`${r.resourceType}\u0000${r.resourceKey}`));
    if (requests.length === 0) return { fetched, stats };
    total += requests.length;
    lease.setProgress(stats.resources, total);
    for (const req of requests) {
      seen.add(`${req.resourceType}\u0000${req.resourceKey}`);
      lease.assertHeld();
      const started = deps.now();
      const res = await deps.client.fetch(profile, req);
      const sha256 = await sha256Hex(res.body);
      const fetchedAt = deps.now();
      const bytes = new TextEncoder().encode(res.body).byteLength;
      // The seed's per-URL line: what was asked, what came back, how big and how long (rate wait included).
      log?.info('resource fetched', { url: req.url, resource_type: req.resourceType, status: res.status, bytes, ms: fetchedAt - started });
      if (await deps.blobs.putIfAbsent(rawKey(sha256), res.body, res.contentType ?? 'application/octet-stream')) stats.blobWrites++;
      const inserted = await deps.store.insertSnapshot({
        id: crypto.randomUUID(),
        jobId: job.id,
        attemptNumber: ref.attemptNumber,
        pipeline: job.pipeline,
        scopeKey: job.scopeKey,
        resourceType: req.resourceType,
        resourceKey: req.resourceKey,
        url: req.url,
        status: res.status,
        contentType: res.contentType,
        sizeBytes: bytes,
        sha256,
        fetchedAt,
      });
      if (inserted) stats.snapshotRows++;
      stats.resources++;
      fetched.push({ resourceType: req.resourceType, resourceKey: req.resourceKey, url: req.url, status: res.status, contentType: res.contentType, body: res.body, sha256, fetchedAt });
      lease.setProgress(stats.resources, total);
    }
  }
  if (pipeline.plan(params, fetched).some((r) => !seen.has(`${r.resourceType}\u0000${r.resourceKey}`))) {
    throw new NonRetryableError('PLAN_TOO_DEEP', 'parse', `${pipeline.name} still wanted resources after ${maxRounds} rounds`);
  }
  return { fetched, stats };
}

/** Replays a scope's stored snapshots (the last successful fetch job's final attempt) without any provider request. */
export async function loadReplaySnapshots(
  deps: { store: JobStore; blobs: BlobStore },
  pipeline: string,
  scopeKey: string,
): Promise<{ fetched: FetchedResource[]; sourceJobId: string }> {
  const source = await deps.store.latestFetchedNormalized(pipeline, scopeKey);
  if (!source) throw new NonRetryableError('REPLAY_SOURCE_MISSING', 'validation', `no successful fetch of ${pipeline}/${scopeKey} to replay`);
  const snapshots = await deps.store.listSnapshots(source.jobId);
  const lastAttempt = Math.max(...snapshots.map((s) => s.attemptNumber));
  const fetched: FetchedResource[] = [];
  for (const s of snapshots.filter((x) => x.attemptNumber === lastAttempt)) {
    const body = await deps.blobs.getText(rawKey(s.sha256));
    if (body === null) throw new NonRetryableError('REPLAY_BODY_MISSING', 'storage', `raw body ${s.sha256} is missing from R2`);
    fetched.push({ resourceType: s.resourceType, resourceKey: s.resourceKey, url: s.url, status: s.status, contentType: s.contentType, body, sha256: s.sha256, fetchedAt: s.fetchedAt });
  }
  return { fetched, sourceJobId: source.jobId };
}
