/**
 * parse -> normalize -> schema check -> hashes. Pure apart from hashing; shared by fetch jobs, replays, the audit
 * runner and the benchmarks so they all measure and check the same code path.
 */
import { canonicalHash, canonicalJson, entityHash } from '../core/canonical-json';
import { AdapterError, NonRetryableError } from '../core/errors';
import type { AnyPipeline, CarryOverContext, FetchedResource, RelatedPublication } from '../core/pipeline';

export interface NormalizedOutput {
  normalized: unknown;
  entityHashes: Record<string, string>;
  entityCount: number;
  normalizedHash: string;
  sourceSnapshotHash: string;
  /** What parse returned, for the acceptance hook (src/runtime/acceptance.ts). */
  parsed?: unknown;
}

/** What the runtime loaded for `carryOver` from stored state; absent in the audit and the benchmarks. */
export interface CarryInput {
  previous: unknown | null;
  previousSeenAt: number | null;
  related: ReadonlyMap<string, RelatedPublication>;
}

export const NO_CARRY: CarryInput = { previous: null, previousSeenAt: null, related: new Map() };

/** The newest fetch time of a resource set: the moment the output describes (never the wall clock). */
export function latestFetchedAt(fetched: readonly { fetchedAt?: number }[]): number | null {
  let at: number | null = null;
  for (const f of fetched) if (f.fetchedAt !== undefined && (at === null || f.fetchedAt > at)) at = f.fetchedAt;
  return at;
}

/** What a streamed parse already produced (src/runtime/stream-source.ts): `parse` is not called again. */
export interface PreParsed {
  parsed: unknown;
}

export function parseAndNormalize(
  pipeline: AnyPipeline,
  params: Record<string, unknown>,
  fetched: readonly FetchedResource[],
  memo?: WeakMap<object, string>,
  carry: CarryInput = NO_CARRY,
  pre?: PreParsed,
): { normalized: unknown; entityHashes: Record<string, string>; parsed: unknown } {
  let normalized: unknown;
  let parsed: unknown;
  try {
    parsed = pre ? pre.parsed : pipeline.parse(params, fetched);
    normalized = pipeline.normalize(params, parsed);
    if (pipeline.carryOver) {
      const ctx: CarryOverContext = { fetchedAt: latestFetchedAt(fetched), previousSeenAt: carry.previousSeenAt, related: carry.related };
      normalized = pipeline.carryOver(params, carry.previous, normalized, ctx);
    }
  } catch (err) {
    if (err instanceof AdapterError) throw err;
    throw new NonRetryableError('PARSE_FAILED', 'parse', `${pipeline.name} parse/normalize threw: ${String(err)}`, { cause: err });
  }
  const checked = pipeline.outputSchema.safeParse(normalized);
  if (!checked.success) {
    throw new NonRetryableError('NORMALIZED_SCHEMA_MISMATCH', 'parse', `${pipeline.name} output failed its schema`, {
      details: checked.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const entityHashes: Record<string, string> = {};
  for (const [key, value] of pipeline.entities(checked.data)) {
    if (key in entityHashes)
      throw new NonRetryableError('DUPLICATE_ENTITY_KEY', 'parse', `${pipeline.name} produced entity key ${key} twice`);
    entityHashes[key] = entityHash(canonicalJson(value, memo));
  }
  return { normalized: checked.data, entityHashes, parsed };
}

/** Stable hash of a fetched resource set: what was asked for, what came back. Order-independent. */
export function sourceSnapshotHash(fetched: readonly FetchedResource[]): Promise<string> {
  const items = fetched
    .map((f) => ({ type: f.resourceType, key: f.resourceKey, status: f.status, sha256: f.sha256 }))
    .sort((a, b) => (`${a.type}\u0000${a.key}` < `${b.type}\u0000${b.key}` ? -1 : 1));
  return canonicalHash(items);
}

export async function runNormalizeStep(
  pipeline: AnyPipeline,
  params: Record<string, unknown>,
  fetched: readonly FetchedResource[],
  carry: CarryInput = NO_CARRY,
  pre?: PreParsed,
): Promise<NormalizedOutput> {
  // Entities are usually subtrees of the output: the memo lets the whole-output hash reuse their canonical text.
  const memo = new WeakMap<object, string>();
  const { normalized, entityHashes, parsed } = parseAndNormalize(pipeline, params, fetched, memo, carry, pre);
  return {
    parsed,
    normalized,
    entityHashes,
    entityCount: Object.keys(entityHashes).length,
    normalizedHash: await canonicalHash(normalized, memo),
    sourceSnapshotHash: await sourceSnapshotHash(fetched),
  };
}
