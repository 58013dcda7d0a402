/**
 * Streamed parses (`Pipeline.parseStream`): a plan of one `r2` object is read as the object's body stream, hashed
 * as it passes (sha256 and size, the same snapshot row the bytes path records) and handed to the pipeline's
 * `parseStream`, so a large file is never held whole. The raw evidence of such a resource is the FILES object
 * itself, named by the row's `r2:<key>` locator and checked against the row's sha256 when replayed; no copy of it
 * is written to `raw/<sha256>`. Every other plan, pipeline or source takes the bytes path (fetch-resources.ts).
 */
import { toHex } from '../core/canonical-json';
import { AdapterError, NonRetryableError, RetryableError } from '../core/errors';
import type { AnyPipeline, FetchedResource, ResourceRequest, StreamedResource } from '../core/pipeline';
import type { BlobStore, ClaimRef, Logger, Store } from '../core/ports';
import { R2_LOCATOR_PREFIX } from '../core/source';
import type { Job, RawSnapshot } from '../core/types';
import { rawKey } from './blob-keys';
import type { FetchStats } from './fetch-resources';
import type { LeaseKeeper } from './lease';
import type { PendingSnapshots } from './pending-snapshots';
import { locatorOf, type Sources } from './sources';

/** An incremental sha256: chunks in order, then the hex digest. */
export interface Sha256Stream {
  update(chunk: Uint8Array): void | Promise<void>;
  hex(): Promise<string>;
}

/** workerd's native incremental hash, `crypto.DigestStream` (a Node caller, the benchmark, passes its own). */
export function digestStreamSha256(): Sha256Stream {
  // Typed here: the Node typecheck of this file (benchmarks) knows no workerd globals.
  const { DigestStream } = crypto as unknown as {
    DigestStream: new (algorithm: string) => WritableStream<ArrayBufferView> & { digest: Promise<ArrayBuffer> };
  };
  const ds = new DigestStream('SHA-256');
  const writer = ds.getWriter();
  return {
    update: (chunk) => writer.write(chunk),
    async hex() {
      await writer.close();
      return toHex(new Uint8Array(await ds.digest));
    },
  };
}

export interface StreamObject {
  body: ReadableStream<Uint8Array>;
  size: number;
  contentType: string | null;
}

/** What a streamed parse produced: the parse's outcome (a parse error is an outcome: the snapshot is kept first). */
export interface StreamedParse {
  outcome: { ok: true; parsed: unknown } | { ok: false; error: unknown };
  sha256: string;
  size: number;
}

/**
 * Object body -> incremental sha256 -> `pipeline.parseStream`. Chunks are hashed before the parser sees them and
 * pulled only when the parser asks (no queue builds up), and whatever the parser leaves unread is drained through
 * the hash, so sha256 and size always cover the whole object. A failed read of the object is a retryable storage
 * error, not a parse error.
 */
export async function parseStreamed(
  pipeline: AnyPipeline,
  params: Record<string, unknown>,
  req: Pick<ResourceRequest, 'resourceType' | 'resourceKey' | 'url'>,
  object: StreamObject,
  sha: () => Sha256Stream = digestStreamSha256,
): Promise<StreamedParse> {
  if (!pipeline.parseStream) throw new NonRetryableError('STREAM_PARSE_MISSING', 'internal', `${pipeline.name} has no parseStream`);
  const hash = sha();
  const reader = object.body.getReader();
  let size = 0;
  let finished = false;
  let parsing = true;
  const next = async (): Promise<Uint8Array | null> => {
    const r = await reader.read().catch((err: unknown) => {
      throw new RetryableError('FILE_READ_FAILED', 'storage', `reading ${req.url} failed: ${String(err)}`, { cause: err });
    });
    if (r.done) {
      finished = true;
      return null;
    }
    // Counted and handed to the hash in read order, before any await: a read still in flight when the drain below
    // ends is in both when the digest is taken.
    size += r.value.byteLength;
    await hash.update(r.value);
    return r.value;
  };
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // A pipe the parser left behind (its DecompressionStream) must not race the drain below.
        if (!parsing) return controller.close();
        const chunk = await next();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
      // A parser that stops early cancels only its view: the rest is still read below, for the hash.
    },
    { highWaterMark: 0 },
  );
  const resource: StreamedResource = { ...req, contentType: object.contentType, size: object.size, body };
  let outcome: StreamedParse['outcome'];
  try {
    outcome = { ok: true, parsed: await pipeline.parseStream(params, resource) };
  } catch (error) {
    if (error instanceof AdapterError && error.code === 'FILE_READ_FAILED') throw error;
    // As parse-and-normalize classifies a throwing parse (normalize-step.ts).
    const classified =
      error instanceof AdapterError
        ? error
        : new NonRetryableError('PARSE_FAILED', 'parse', `${pipeline.name} parseStream threw: ${String(error)}`, { cause: error });
    outcome = { ok: false, error: classified };
  }
  parsing = false;
  while (!finished) await next();
  reader.releaseLock();
  if (size !== object.size)
    throw new RetryableError('FILE_READ_FAILED', 'storage', `${req.url}: read ${size} bytes of ${object.size}`, {
      details: { read: size, size: object.size },
    });
  return { outcome, sha256: await hash.hex(), size };
}

/** The fetched entry of a streamed resource: metadata only, its bytes were never held. */
function streamedEntry(
  r: Pick<RawSnapshot, 'resourceType' | 'resourceKey' | 'url' | 'contentType' | 'sha256' | 'fetchedAt'>,
): FetchedResource {
  const unavailable = (): never => {
    throw new NonRetryableError('STREAMED_BODY_UNAVAILABLE', 'internal', `${r.url} was streamed through parseStream, never held`);
  };
  return {
    resourceType: r.resourceType,
    resourceKey: r.resourceKey,
    url: r.url,
    status: 200,
    contentType: r.contentType,
    sha256: r.sha256,
    fetchedAt: r.fetchedAt,
    get body(): string {
      return unavailable();
    },
    get bytes(): Uint8Array {
      return unavailable();
    },
  };
}

export interface StreamedRun {
  fetched: FetchedResource[];
  stats: FetchStats;
  parsed: unknown;
}

interface StreamDeps {
  store: Store;
  files?: BlobStore;
  sources?: Sources;
  now: () => number;
}

/**
 * The streamed fetch of a job, or null when it does not apply (no parseStream, an injected r2 source, a FILES
 * store that cannot stream, a plan that is not one r2 object, or no such object: the bytes path reports that).
 */
export async function streamResources(
  deps: StreamDeps,
  pipeline: AnyPipeline,
  job: Job,
  params: Record<string, unknown>,
  ref: ClaimRef,
  lease: LeaseKeeper,
  pending: PendingSnapshots,
  log?: Logger,
): Promise<StreamedRun | null> {
  if (!pipeline.parseStream || deps.sources?.r2 || !deps.files?.getStream) return null;
  const plan = pipeline.plan(params, []);
  const req = plan.length === 1 ? plan[0] : undefined;
  if (req?.source !== 'r2' || req.storeAs) return null;
  lease.setProgress(0, 1);
  lease.assertHeld();
  const started = deps.now();
  const object = await deps.files.getStream(req.url);
  if (!object) return null;
  const run = await parseStreamed(pipeline, params, req, object);
  const fetchedAt = deps.now();
  const url = locatorOf(req);
  log?.info('resource fetched', {
    url,
    resource_type: req.resourceType,
    status: 200,
    bytes: run.size,
    ms: fetchedAt - started,
    streamed: true,
  });
  const row = {
    resourceType: req.resourceType,
    resourceKey: req.resourceKey,
    url,
    contentType: object.contentType,
    sha256: run.sha256,
    fetchedAt,
  };
  // The row rides the attempt's next guarded write (the decision, or the finish when the parse failed).
  pending.add(
    {
      ...row,
      id: crypto.randomUUID(),
      jobId: job.id,
      attemptNumber: ref.attemptNumber,
      pipeline: job.pipeline,
      scopeKey: job.scopeKey,
      status: 200,
      sizeBytes: run.size,
    },
    fetchedAt,
  );
  if (!run.outcome.ok) throw run.outcome.error;
  const fetched = [streamedEntry(row)];
  if (pipeline.plan(params, fetched).length > 0)
    throw new NonRetryableError('PLAN_NOT_STREAMABLE', 'internal', `${pipeline.name} has parseStream but planned more than one resource`);
  lease.setProgress(1, 1);
  return { fetched, stats: { resources: 1, reused: 0, blobWrites: 0, snapshotRows: 1 }, parsed: run.outcome.parsed };
}

/** The snapshots a replay of a scope reads: the final attempt's rows of its latest successful fetch job. */
export async function replayRows(store: Store, pipeline: string, scopeKey: string): Promise<{ rows: RawSnapshot[]; sourceJobId: string }> {
  const source = await store.latestFetchedNormalized(pipeline, scopeKey);
  if (!source)
    throw new NonRetryableError('REPLAY_SOURCE_MISSING', 'validation', `no successful fetch of ${pipeline}/${scopeKey} to replay`);
  const snapshots = await store.listSnapshots(source.jobId);
  const lastAttempt = Math.max(...snapshots.map((s) => s.attemptNumber));
  return { rows: snapshots.filter((s) => s.attemptNumber === lastAttempt), sourceJobId: source.jobId };
}

/**
 * A streamed replay: the one snapshot's bytes from `raw/<sha256>` (recorded by the bytes path) or else from the
 * FILES object its locator names, hashed as they stream; bytes that no longer match the row fail the replay.
 * Null when it does not apply; the bytes path then replays (or reports the body missing).
 */
export async function streamReplay(
  deps: StreamDeps & { blobs: BlobStore },
  pipeline: AnyPipeline,
  job: Job,
  params: Record<string, unknown>,
): Promise<(StreamedRun & { sourceJobId: string }) | null> {
  if (!pipeline.parseStream) return null;
  const { rows, sourceJobId } = await replayRows(deps.store, job.pipeline, job.scopeKey);
  const s = rows.length === 1 ? rows[0] : undefined;
  if (s?.status !== 200 || !s.url.startsWith(R2_LOCATOR_PREFIX)) return null;
  const key = s.url.slice(R2_LOCATOR_PREFIX.length);
  const object = (await deps.blobs.getStream?.(rawKey(s.sha256))) ?? (await deps.files?.getStream?.(key)) ?? null;
  if (!object) return null;
  const run = await parseStreamed(pipeline, params, { resourceType: s.resourceType, resourceKey: s.resourceKey, url: key }, object);
  if (run.sha256 !== s.sha256)
    throw new NonRetryableError('REPLAY_BODY_CHANGED', 'storage', `${key} no longer holds the bytes snapshot ${s.sha256} recorded`, {
      details: { key, recorded: s.sha256, found: run.sha256 },
    });
  if (!run.outcome.ok) throw run.outcome.error;
  const stats = { resources: 0, reused: 0, blobWrites: 0, snapshotRows: 0 };
  return { fetched: [streamedEntry(s)], stats, parsed: run.outcome.parsed, sourceJobId };
}
