/**
 * Runs a pipeline's plan rounds: read each requested resource through its source (src/runtime/sources.ts), store the body in
 * the blob store by sha256 (only when not already there) and record a raw_snapshots row per response (pending: it
 * rides the attempt's next guarded write, src/runtime/pending-snapshots.ts).
 */
import { lazyText } from '../core/body-text';
import { sha256Hex } from '../core/canonical-json';
import { NonRetryableError } from '../core/errors';
import type { AnyPipeline, FetchedResource, ResourceRequest } from '../core/pipeline';
import type { BlobStore, ClaimRef, Store, Logger } from '../core/ports';
import type { ProviderProfile } from '../core/provider';
import type { Job, RawSnapshot } from '../core/types';
import { ContinuationSignal } from './continuation';
import type { LeaseKeeper } from './lease';
import type { ProviderClient, ProviderResponse } from './provider-client';
import { evidenceOf } from './response-evidence';
import { rawKey } from './blob-keys';
import { locatorOf, sourceFor, type Sources } from './sources';
import { PendingSnapshots } from './pending-snapshots';
import { replayRows } from './stream-source';

export interface FetchStats {
  /** Provider requests made by this attempt. */
  resources: number;
  /** Resources taken from an earlier attempt of the same job (row and body exist) instead of being refetched. */
  reused: number;
  blobWrites: number;
  snapshotRows: number;
}

export async function fetchResources(
  deps: {
    store: Store;
    blobs: BlobStore;
    client?: ProviderClient;
    files?: BlobStore;
    sources?: Sources;
    now: () => number;
    config?: { attemptBudgetSec: number };
  },
  pipeline: AnyPipeline,
  /** Null when the pipeline's provider has no profile: only non-http sources can serve it then. */
  profile: ProviderProfile | null,
  job: Job,
  params: Record<string, unknown>,
  ref: ClaimRef,
  lease: LeaseKeeper,
  log?: Logger,
  pending: PendingSnapshots = new PendingSnapshots(),
): Promise<{ fetched: FetchedResource[]; stats: FetchStats }> {
  const fetched: FetchedResource[] = [];
  const seen = new Set<string>();
  const stats: FetchStats = { resources: 0, reused: 0, blobWrites: 0, snapshotRows: 0 };
  const maxRounds = pipeline.maxRounds ?? 5;
  const startedAt = deps.now();
  const budgetMs = (deps.config?.attemptBudgetSec ?? Infinity) * 1000;
  // What earlier attempts of this job already fetched (the latest attempt's row per resource).
  const earlier = new Map<string, RawSnapshot>();
  for (const s of ref.attemptNumber > 1 ? await deps.store.listSnapshots(job.id) : []) {
    const k = `${s.resourceType}\u0000${s.resourceKey}`;
    // Only accepted responses are reused: a refused one (a 5xx, a block page kept as evidence) is asked again.
    if (s.status < 200 || s.status > 299) continue;
    if (s.attemptNumber < ref.attemptNumber && (earlier.get(k)?.attemptNumber ?? 0) <= s.attemptNumber) earlier.set(k, s);
  }
  let done = 0;
  let total = 0;
  // Resources done of resources planned, or the pipeline's own unit when it has one (Smoothcomp: bracket n of N).
  const report = (n: number) => {
    const own = pipeline.progress?.(params, fetched) ?? null;
    lease.setProgress(own ? own.done : n, own ? own.total : total);
  };
  // Before the snapshot row: a recorded download always has its file (a crash between the two re-downloads).
  const storeFile = async (key: string, bytes: Uint8Array, contentType: string | null) => {
    if (!deps.files) throw new NonRetryableError('SOURCE_UNAVAILABLE', 'internal', `no FILES bucket to store ${key} in`);
    if (await deps.files.putIfAbsent(key, bytes, contentType ?? 'application/octet-stream')) stats.blobWrites++;
  };
  // The bytes, not the decoded text: a BOM, a gzip file or a legacy charset must survive unchanged.
  const record = async (
    req: { resourceType: string; resourceKey: string; url: string; source?: ResourceRequest['source']; storeAs?: string },
    res: ProviderResponse,
    fetchedAt: number,
  ): Promise<string> => {
    const sha256 = await sha256Hex(res.bytes);
    if (await deps.blobs.putIfAbsent(rawKey(sha256), res.bytes, res.contentType ?? 'application/octet-stream')) stats.blobWrites++;
    if (req.storeAs && res.status >= 200 && res.status <= 299) await storeFile(req.storeAs, res.bytes, res.contentType);
    const row = {
      id: crypto.randomUUID(),
      jobId: job.id,
      attemptNumber: ref.attemptNumber,
      pipeline: job.pipeline,
      scopeKey: job.scopeKey,
      resourceType: req.resourceType,
      resourceKey: req.resourceKey,
      url: locatorOf(req),
      status: res.status,
      contentType: res.contentType,
      sizeBytes: res.bytes.byteLength,
      sha256,
      fetchedAt,
    };
    pending.add(row, deps.now());
    stats.snapshotRows++;
    await pending.flushIfDue(deps.store, ref, deps.now());
    return sha256;
  };
  for (let round = 0; round < maxRounds; round++) {
    const requests = pipeline.plan(params, fetched).filter((r) => !seen.has(`${r.resourceType}\u0000${r.resourceKey}`));
    if (requests.length === 0) return { fetched, stats };
    total += requests.length;
    report(done);
    for (const req of requests) {
      const k = `${req.resourceType}\u0000${req.resourceKey}`;
      seen.add(k);
      lease.assertHeld();
      const prior = earlier.get(k);
      const priorBytes = prior ? await deps.blobs.getBytes(rawKey(prior.sha256)) : null;
      if (prior && priorBytes) {
        if (req.storeAs) await storeFile(req.storeAs, priorBytes, prior.contentType);
        // Recorded for this attempt too, so a replay (which reads the final attempt's rows) sees the whole plan.
        const own = { id: crypto.randomUUID(), jobId: job.id, attemptNumber: ref.attemptNumber };
        pending.add({ ...prior, ...own, pipeline: job.pipeline, scopeKey: job.scopeKey }, deps.now());
        stats.snapshotRows++;
        await pending.flushIfDue(deps.store, ref, deps.now());
        const priorText = lazyText(priorBytes, prior.contentType);
        fetched.push({
          resourceType: prior.resourceType,
          resourceKey: prior.resourceKey,
          url: prior.url,
          status: prior.status,
          contentType: prior.contentType,
          get body() {
            return priorText();
          },
          bytes: priorBytes,
          sha256: prior.sha256,
          fetchedAt: prior.fetchedAt,
        });
        stats.reused++;
        report(++done);
        continue;
      }
      // Out of time: stop before the next provider request (never mid-resource) and continue in a new attempt.
      if (stats.resources > 0 && deps.now() - startedAt >= budgetMs) throw new ContinuationSignal(done, total);
      const started = deps.now();
      let res;
      try {
        res = await sourceFor(deps, req, pipeline.provider).fetch(req, profile);
      } catch (err) {
        // A refused response (block page, error status) is kept as evidence before the job fails or retries.
        const refused = evidenceOf(err);
        if (refused) await record(req, refused, deps.now()).catch(() => undefined); // the provider's error, not a storage one, is the outcome
        throw err;
      }
      const fetchedAt = deps.now();
      // The seed's per-URL line: what was asked, what came back, how big and how long (rate wait included).
      log?.info('resource fetched', {
        url: locatorOf(req),
        resource_type: req.resourceType,
        status: res.status,
        bytes: res.bytes.byteLength,
        ms: fetchedAt - started,
      });
      const sha256 = await record(req, res, fetchedAt);
      stats.resources++;
      fetched.push({
        resourceType: req.resourceType,
        resourceKey: req.resourceKey,
        url: locatorOf(req),
        status: res.status,
        contentType: res.contentType,
        // Passed through as a getter: an r2 object's text is decoded only if its parser reads it.
        get body() {
          return res.body;
        },
        bytes: res.bytes,
        sha256,
        fetchedAt,
      });
      report(++done);
    }
  }
  if (pipeline.plan(params, fetched).some((r) => !seen.has(`${r.resourceType}\u0000${r.resourceKey}`))) {
    throw new NonRetryableError('PLAN_TOO_DEEP', 'parse', `${pipeline.name} still wanted resources after ${maxRounds} rounds`);
  }
  return { fetched, stats };
}

/** Replays a scope's stored snapshots (the last successful fetch job's final attempt) without any provider request. */
export async function loadReplaySnapshots(
  deps: { store: Store; blobs: BlobStore },
  pipeline: string,
  scopeKey: string,
): Promise<{ fetched: FetchedResource[]; sourceJobId: string }> {
  const { rows, sourceJobId } = await replayRows(deps.store, pipeline, scopeKey);
  const fetched: FetchedResource[] = [];
  for (const s of rows) {
    const bytes = await deps.blobs.getBytes(rawKey(s.sha256));
    if (bytes === null) throw new NonRetryableError('REPLAY_BODY_MISSING', 'storage', `raw body ${s.sha256} is missing from R2`);
    const text = lazyText(bytes, s.contentType);
    fetched.push({
      resourceType: s.resourceType,
      resourceKey: s.resourceKey,
      url: s.url,
      status: s.status,
      contentType: s.contentType,
      get body() {
        return text();
      },
      bytes,
      sha256: s.sha256,
      fetchedAt: s.fetchedAt,
    });
  }
  return { fetched, sourceJobId };
}
