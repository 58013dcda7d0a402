/**
 * The pipeline contract. A pipeline is a plug-in: everything here is pure and runs without the Workers runtime,
 * so parsers are unit-testable on stored bodies and a re-normalization replay needs no provider request.
 */
import type { z } from 'zod';
import type { Acceptance, AcceptancePolicy, FileTrigger, SettleAction, SettleOutcome, SourceName } from './source';

/**
 * One resource a pipeline wants read. For the `http` source (the default) `url` is always the real provider URL;
 * for `r2` it is the object key in the FILES bucket (recorded as `r2:<key>`).
 */
export interface ResourceRequest {
  /** Which source reads it; `http` when absent. */
  source?: SourceName;
  /** Kind of page or endpoint, e.g. `entry_list`, `race_result`. Part of the snapshot's identity. */
  resourceType: string;
  /** Which one of that kind, e.g. a race id or a page number. Part of the snapshot's identity. */
  resourceKey: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /**
   * A 404/410 for this resource is recorded and handed to `parse` (status kept) instead of failing the job.
   * Other failures still follow the normal retry contract.
   */
  optional?: boolean;
  /**
   * Other statuses the provider uses for a meaningful answer (Smoothcomp's 403 "Brackets is not published"):
   * handed to `parse` with their status instead of failing the job. Block pages are still detected first.
   */
  acceptStatuses?: readonly number[];
  /** The provider's session (CSRF token and cookies) must be attached; the transport obtains it. */
  session?: boolean;
  /**
   * Also keep the body in the FILES bucket under this key, written once (put-if-absent) before the snapshot is
   * recorded: a downloaded archive becomes a file other pipelines read from the `r2` source (Betfair historic sync).
   */
  storeAs?: string;
}

/** A fetched (or replayed) response, as parse sees it. */
export interface FetchedResource {
  resourceType: string;
  resourceKey: string;
  url: string;
  status: number;
  contentType: string | null;
  /** The body as text, decoded by the runtime with decodeBody (BOM, then charset, then UTF-8). */
  body: string;
  /** The body byte for byte as the source delivered it; `sha256` is its hash. Binary formats parse these. */
  bytes: Uint8Array;
  sha256: string;
  /** When the body was fetched (epoch ms), for pipelines that read fetch-relative text; absent in hand-built sets. */
  fetchedAt?: number;
}

/**
 * The one resource of a streamed parse (`Pipeline.parseStream`): its request and its bytes as they arrive. The
 * runtime hashes the bytes as they pass; the parser reads `body` once, to its end.
 */
export interface StreamedResource {
  resourceType: string;
  resourceKey: string;
  url: string;
  contentType: string | null;
  /** Size the source announced (an R2 object's size). */
  size: number;
  body: ReadableStream<Uint8Array>;
}

/** A job the pipeline asks the runtime to enqueue after it succeeded (LiveRC `laps_full` child jobs). */
export interface FollowUpJob {
  pipeline: string;
  params: Record<string, unknown>;
}

export interface FollowUpContext {
  /** Entity keys of the scope's previous effective publication; null when this is the first. */
  previousEntityKeys: ReadonlySet<string> | null;
}

/**
 * A lifecycle change an optional pipeline hook reports between two publications of one scope (a match reaching a
 * final status, a final result corrected). `settlement_key` is deterministic: the same transition always gets the
 * same key, a correction gets a new one, so a downstream worker can use it as its idempotency key.
 */
export interface LifecycleChange {
  entity_key: string;
  kind: 'final' | 'corrected';
  from: Record<string, unknown> | null;
  to: Record<string, unknown>;
  /** Provider time of the status (UTC ISO). */
  status_time: string | null;
  settlement_key: string;
}

/** Drift guard: hold a publication that lost most of the previous publication's entities. */
export interface DriftPolicy {
  /** Only guard scopes whose previous publication had at least this many entities. */
  minPreviousEntities: number;
  /** Hold when new count / previous count falls below this ratio. */
  minRetainedRatio: number;
}

/** The latest publication of another scope a pipeline reads through `carryOver` (see `Pipeline.related`). */
export interface RelatedPublication {
  scopeKey: string;
  /** When that scope's latest publication was written (epoch ms). */
  publishedAt: number;
}

/**
 * What `carryOver` sees besides the two payloads. Every field comes from stored state (snapshot fetch times,
 * publication rows), never from the wall clock, so a replay of the same snapshots gives the same output and hash.
 */
export interface CarryOverContext {
  /** Latest fetch time among this result's resources (epoch ms); null in hand-built sets without fetch times. */
  fetchedAt: number | null;
  /**
   * Last time the provider was seen serving the previous payload's content: the fetch time of the scope's newest
   * fetch whose output hashed like the previous publication (an unchanged re-sync confirms it without publishing).
   */
  previousSeenAt: number | null;
  /** Latest publications of the scopes `related` names, by scope key; empty without `related`. */
  related: ReadonlyMap<string, RelatedPublication>;
}

export const DEFAULT_DRIFT_POLICY: DriftPolicy = { minPreviousEntities: 5, minRetainedRatio: 0.5 };

export interface Pipeline<P extends Record<string, unknown> = Record<string, unknown>, Parsed = unknown, N = unknown> {
  /** `provider.kind`; part of the public API. */
  name: string;
  /** Provider profile name: rate limiter bucket, block detection, session handling. */
  provider: string;
  description: string;
  paramsSchema: z.ZodType<P>;
  /** Scope params in canonical order. Params not listed (depth, refetch) do not change the scope. */
  scopeParams: readonly string[];
  parserVersion: string;
  normalizerVersion: string;
  outputSchema: z.ZodType<N>;
  /**
   * Requests for the next round, given what the previous rounds fetched (empty on the first call).
   * Return [] when nothing more is needed. Called until it returns [] or `maxRounds` is reached.
   */
  plan(params: P, fetched: readonly FetchedResource[]): ResourceRequest[];
  maxRounds?: number;
  /**
   * Optional, pure: progress in the pipeline's own unit (`progressUnit`, e.g. Smoothcomp's "bracket n of N")
   * instead of resources done of resources planned; null while the unit's total is not known yet.
   */
  progress?(params: P, fetched: readonly FetchedResource[]): { done: number; total: number } | null;
  progressUnit?: string;
  /** Pure: stored bodies to a parsed structure. Throws AdapterError (category `parse`) on drift. */
  parse(params: P, fetched: readonly FetchedResource[]): Parsed;
  /**
   * Optional: `parse` over a byte stream, for pipelines whose plan is one `r2` object that may be too large to hold
   * (Betfair historic recordings). The runtime uses it for such a plan where the FILES bucket can stream
   * (src/runtime/stream-source.ts): the object is hashed as it is read, never held whole. Must give what `parse`
   * gives over the same bytes: replays, the audit and the benchmarks still call `parse`.
   */
  parseStream?(params: P, resource: StreamedResource): Promise<Parsed>;
  /** Pure: parsed structure to the canonical normalized output (checked against `outputSchema`). */
  normalize(params: P, parsed: Parsed): N;
  /** Entity keys and their values, for added/removed/changed diffs and the drift guard. Keys must be unique. */
  entities(normalized: N): Iterable<readonly [key: string, value: unknown]>;
  drift?: DriftPolicy | false;
  /** May run on a schedule (proactively). Schedules of other pipelines are refused: they run on request only. */
  schedulable?: boolean;
  /**
   * Before fetching: a reason to skip the provider entirely given the scope's latest publication payload
   * (LiveRC never re-fetches a complete deep event unless asked). Null means fetch.
   */
  skipFetch?(params: P, latest: N | null): string | null;
  /**
   * Optional, pure: the sha256 naming the content this job imports (a dropped file's bytes), read off what was
   * fetched. When another job of this pipeline already published from the same bytes, whatever their key, the
   * runtime stops before parse: outcome SKIPPED with reason DUPLICATE_CONTENT (a value, not an error), nothing
   * published, no follow-ups; the job succeeds, so settle still archives the file. Null: no check.
   */
  contentSha?(params: P, fetched: readonly FetchedResource[]): string | null;
  followUps?(params: P, normalized: N, ctx: FollowUpContext): FollowUpJob[];
  /**
   * Optional, pure: merges state the provider no longer shows from the scope's previous published payload (null
   * for the first) into the new output, before the schema check and hashing (LiveRC tracks that vanished stay,
   * marked inactive). Called on every run; the audit and the benchmarks call it with no previous and nothing related.
   */
  carryOver?(params: P, previous: N | null, next: N, ctx: CarryOverContext): N;
  /**
   * Optional: other scopes whose latest publications `carryOver` reads (the LiveRC event catalogue reads the
   * `liverc.event_deep` publications of its track): a pipeline and a scope-key prefix, looked up in one query.
   */
  related?(params: P): { pipeline: string; scopeKeyPrefix: string } | null;

  /**
   * Optional, pure: lifecycle changes between the scope's previous published payload (null for the first) and the
   * one being published. Called only when a publication is written, so an unchanged re-sync never reports one.
   * Pipelines without it publish envelopes without `changes.lifecycle`.
   */
  lifecycle?(previous: N | null, next: N): LifecycleChange[];
  /**
   * Optional, pure: records seen and refused beside the accepted output (file imports, CSVs, stream lines).
   * With `acceptancePolicy`, a rejected ratio above the threshold fails the job as a validation error.
   */
  acceptance?(params: P, parsed: Parsed, normalized: N): Acceptance;
  acceptancePolicy?: AcceptancePolicy;
  /** Objects created under this FILES prefix become jobs of this pipeline (notification or prefix scan). */
  fileTrigger?: FileTrigger<P>;
  /** Optional, pure: what to do with the job's files once it reached a final state (move, write a sidecar). */
  settle?(params: P, outcome: SettleOutcome): SettleAction[];
}

/** Identity helper that keeps the generic types inferred at the definition site. */
export function definePipeline<P extends Record<string, unknown>, Parsed, N>(p: Pipeline<P, Parsed, N>): Pipeline<P, Parsed, N> {
  return p;
}

// biome-ignore lint: registry holds heterogeneous pipelines
export type AnyPipeline = Pipeline<any, any, any>;
