/**
 * The runtime's fetch rounds (src/runtime/fetch-resources.ts) over fixtures instead of a provider: the audit runner
 * and pipeline tests replay a plan exactly as a job would (its round limit, repeated requests skipped, the
 * transport's status and block classification, PLAN_TOO_DEEP), with in-memory ports. No second fetch loop exists.
 */
import type { AnyPipeline, FetchedResource, ResourceRequest } from '../core/pipeline';
import type { BlobStore, ClaimRef, Store, Logger } from '../core/ports';
import type { ProviderProfile } from '../core/provider';
import type { Job } from '../core/types';
import { fetchResources } from '../runtime/fetch-resources';
import { LeaseKeeper } from '../runtime/lease';
import { ProviderClient, type Session } from '../runtime/provider-client';

/** One stored provider answer, served for its URL. */
export interface Fixture {
  url: string;
  body: string | Uint8Array;
  status?: number;
  contentType?: string | null;
  /** When the answer was captured (ms); without it the fetched resource has no `fetchedAt`, as a fixture file has none. */
  fetchedAt?: number;
}

export interface FixtureFetch {
  /** What the plan fetched, in fetch order, exactly as the normalize step will see it. */
  fetched: FetchedResource[];
  /** Every request the plan made, by round. */
  rounds: ResourceRequest[][];
  /** Requested URLs no fixture answers (the transport answered them 404). */
  missing: string[];
}

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => SILENT };

/**
 * The fetch loop of a first attempt reads nothing from the store and writes its snapshot rows with the attempt's
 * decision or finish, which this harness never makes: any store call is a bug in this harness and says so.
 */
function snapshotStore(): Store {
  return new Proxy(
    {},
    {
      get(_, name) {
        throw new Error(`fixture fetch: the fetch loop called store.${String(name)}, which this harness does not provide`);
      },
    },
  ) as unknown as Store;
}

function memoryBlobs(): BlobStore {
  const objects = new Map<string, Uint8Array>();
  return {
    async putIfAbsent(key, body) {
      if (objects.has(key)) return false;
      const value = typeof body === 'function' ? body() : body;
      objects.set(key, typeof value === 'string' ? new TextEncoder().encode(value) : new Uint8Array(value));
      return true;
    },
    async put(key, body) {
      objects.set(key, typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body));
    },
    getText: async (key) => (objects.has(key) ? new TextDecoder().decode(objects.get(key)) : null),
    getBytes: async (key) => objects.get(key) ?? null,
    list: async () => ({ keys: [], cursor: null }),
    copy: async () => false,
    delete: async (key) => void objects.delete(key),
  };
}

function fixtureJob(pipeline: AnyPipeline): Job {
  return {
    id: 'fixture-job',
    pipeline: pipeline.name,
    params: {},
    scopeKey: 'fixture',
    mode: 'fetch',
    force: false,
    state: 'running',
    idempotencyKey: null,
    requestId: null,
    requestedBy: null,
    parentJobId: null,
    attemptCount: 1,
    maxAttempts: 1,
    nextRetryAt: 0,
    claimedBy: null,
    claimToken: null,
    claimedAt: null,
    leaseUntil: null,
    lastHeartbeatAt: null,
    lastEnqueuedAt: null,
    lastErrorCategory: null,
    lastErrorCode: null,
    lastErrorMessage: null,
    lastErrorRetryable: null,
    parserVersion: null,
    normalizerVersion: null,
    progressDone: 0,
    progressTotal: 0,
    resourcesFetched: 0,
    snapshotsStored: 0,
    retryCount: 0,
    result: null,
    createdAt: 0,
    updatedAt: 0,
    finishedAt: null,
  };
}

/**
 * Runs `pipeline`'s plan rounds against `fixtures` (matched by URL) through the real ProviderClient and fetch loop.
 * A provider's session is taken as already held (fixtures are provider answers, not login pages). Throws what a
 * job's fetch step would throw (PROVIDER_BLOCKED, PROVIDER_NOT_FOUND, PLAN_TOO_DEEP, ...), with the progress so far
 * on `err.fixtureFetch`.
 */
export async function fetchFromFixtures(
  pipeline: AnyPipeline,
  profile: ProviderProfile,
  params: Record<string, unknown>,
  fixtures: readonly Fixture[],
): Promise<FixtureFetch> {
  const byUrl = new Map(fixtures.map((f) => [f.url, f]));
  const missing: string[] = [];
  const rounds: ResourceRequest[][] = [];
  const http = {
    async fetch(url: string): Promise<Response> {
      const f = byUrl.get(url);
      if (!f) {
        missing.push(url);
        return new Response('no fixture for this URL', { status: 404, headers: { 'content-type': 'text/plain' } });
      }
      const headers: Record<string, string> = {};
      const type = f.contentType === undefined ? contentTypeOf(f.url) : f.contentType;
      if (type) headers['content-type'] = type;
      return new Response(typeof f.body === 'string' ? f.body : f.body.slice(), { status: f.status ?? 200, headers });
    },
  };
  const sessions = new Map<string, Session>([[profile.name, { headers: {}, expiresAt: Number.MAX_SAFE_INTEGER }]]);
  const client = new ProviderClient({
    http,
    limiter: { acquire: async () => {} },
    upstreamOverride: null,
    userAgent: 'fixture-fetch',
    timeoutMs: 60_000,
    sessionCache: sessions,
  });
  const store = snapshotStore();
  const ref: ClaimRef = { jobId: 'fixture-job', claimToken: 'fixture', attemptNumber: 1, attemptId: 'fixture-attempt' };
  const clock = () => 0; // a still clock: no attempt budget runs out and the lease never renews
  const lease = new LeaseKeeper(store, ref, 60_000, 60_000, clock, SILENT);
  // The plan is observed, not changed: each round's requests are recorded as the loop asks for them.
  const observed: AnyPipeline = { ...pipeline, plan: (p, got) => record(rounds, pipeline.plan(p, got)) };
  try {
    const { fetched } = await fetchResources(
      { store, blobs: memoryBlobs(), client, now: clock },
      observed,
      profile,
      fixtureJob(pipeline),
      params,
      ref,
      lease,
      SILENT,
    );
    // The harness clock is not a time: a resource's fetch time is its capture time, or none (relative dates stay unresolved).
    const timed = fetched.map(({ fetchedAt: _clock, ...r }) => {
      const at = byUrl.get(r.url)?.fetchedAt;
      return at === undefined ? r : { ...r, fetchedAt: at };
    });
    return { fetched: timed, rounds: dedupeRounds(rounds), missing };
  } catch (err) {
    if (err && typeof err === 'object')
      (err as { fixtureFetch?: Omit<FixtureFetch, 'fetched'> }).fixtureFetch = { rounds: dedupeRounds(rounds), missing };
    throw err;
  }
}

function record(rounds: ResourceRequest[][], reqs: ResourceRequest[]): ResourceRequest[] {
  rounds.push(reqs);
  return reqs;
}

/** The loop calls plan once more after its last round to detect a too-deep plan; keep only rounds that asked for something new. */
function dedupeRounds(rounds: ResourceRequest[][]): ResourceRequest[][] {
  const seen = new Set<string>();
  const out: ResourceRequest[][] = [];
  for (const reqs of rounds) {
    const fresh = reqs.filter((r) => !seen.has(`${r.resourceType}\u0000${r.resourceKey}`));
    for (const r of fresh) seen.add(`${r.resourceType}\u0000${r.resourceKey}`);
    if (fresh.length) out.push(fresh);
  }
  return out;
}

/** The content type a stored fixture file was served with when its capture did not record one. */
export function contentTypeOf(file: string): string {
  return file.endsWith('.json') ? 'application/json' : file.endsWith('.txt') ? 'text/plain' : 'text/html; charset=utf-8';
}

/**
 * Pipeline tests' replay: `pages` maps a URL to its body (status 200) or to `[status, body]`. Returns every request
 * by round and the fetched set, through the same fetch rounds as a job (see fetchFromFixtures).
 */
export async function replayPages(
  pipeline: AnyPipeline,
  profile: ProviderProfile,
  params: unknown,
  pages: Record<string, string | [number, string]>,
): Promise<{ rounds: ResourceRequest[][]; fetched: FetchedResource[] }> {
  const fixtures = Object.entries(pages).map(([url, page]) => {
    const [status, body] = typeof page === 'string' ? [200, page] : page;
    return { url, status, body, contentType: /^\s*[{[]/.test(body) ? 'application/json' : 'text/html' };
  });
  const { rounds, fetched } = await fetchFromFixtures(
    pipeline,
    profile,
    pipeline.paramsSchema.parse(params) as Record<string, unknown>,
    fixtures,
  );
  return { rounds, fetched };
}
