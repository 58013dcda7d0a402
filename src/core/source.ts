/**
 * Sources, file triggers, settling and partial acceptance: the contract between pipelines and the runtime for
 * providers that are not (only) HTTP. Pure types; the runtime executes them (src/runtime/), the edge wires the
 * concrete sources (src/wiring/env-ports.ts). See docs/adr-sources-and-continuations.md.
 *
 * Terms:
 * - source: where a resource's bytes come from. `http` is the provider transport (rate limiter, block detection,
 *   sessions, UPSTREAM_OVERRIDE); `r2` reads objects of the FILES bucket (dropped files, downloaded archives).
 * - locator: what names the resource within its source: the URL for `http`, the object key for `r2`. It is
 *   recorded in `raw_snapshots.url` as the URL itself or as `r2:<key>`.
 * - file trigger: a pipeline's claim on a FILES prefix; an object created under it (R2 event notification, or the
 *   cron/on-demand scan of the prefix, which produces the same message) becomes one job of that pipeline.
 * - settle: what happens to a file after its job reached a final state (moved to `archive/` or `failed/`, a sidecar
 *   written). Runs after the final transition, is idempotent under redelivery and crashes (copy, then delete).
 * - rejection: one input record a pipeline refused (locator, field, rule, message) while accepting the rest.
 */

export type SourceName = 'http' | 'r2';

/** Prefix of `raw_snapshots.url` for resources read from the FILES bucket. */
export const R2_LOCATOR_PREFIX = 'r2:';

/** One record a pipeline refused, beside the records it accepted. */
export interface Rejection {
  /** Where in the input: a JSON pointer (`/records/12`), `line:481`, `row:17`. */
  locator: string;
  /** The offending field, or null when the record as a whole is refused (malformed line). */
  field: string | null;
  /** Machine-readable rule id, e.g. `price_range`, `required`, `malformed_line`. */
  rule: string;
  message: string;
}

/** What a pipeline accepted and refused of its input (`Pipeline.acceptance`). */
export interface Acceptance {
  /** Input records seen (accepted + rejected). */
  seen: number;
  rejected: Rejection[];
}

/**
 * Partial-acceptance policy: a job whose rejected/seen ratio exceeds `maxRejectedRatio` fails as a validation
 * error (`REJECTION_THRESHOLD`) and publishes nothing; below it, the publication carries the counts.
 */
export interface AcceptancePolicy {
  maxRejectedRatio: number;
}

/** The object that triggered a file job: R2 event notification fields, or the same fields from a prefix scan. */
export interface FileObject {
  key: string;
  size: number;
  eTag?: string;
}

/** A pipeline's claim on a FILES prefix: objects created under `prefix` become jobs with `params(object)`. */
export interface FileTrigger<P> {
  /** Default prefix, e.g. `incoming/`; config may override it per pipeline (FILE_PREFIX_<PIPELINE>). */
  prefix: string;
  /** Params of the job for one object; null ignores the object (a sidecar, a temp file). */
  params(object: FileObject, prefix: string): P | null;
}

/** The job's final state as settle sees it. */
export interface SettleOutcome {
  state: 'succeeded' | 'failed' | 'cancelled';
  /** The publication decision when the job succeeded (PUBLISH_*, SKIP_NO_CHANGE, HOLD_DRIFT), else null. */
  decision: string | null;
  publicationId: string | null;
  /** The job's error when it failed: code, message and details (validation problems by JSON pointer). */
  error: { code: string; message: string; details?: unknown } | null;
}

/** One idempotent action on the FILES bucket after a job's final state. */
export type SettleAction = { kind: 'move'; from: string; to: string } | { kind: 'put'; key: string; body: string; contentType: string };
