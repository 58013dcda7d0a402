/**
 * parse -> normalize -> schema check -> hashes. Pure apart from hashing; shared by fetch jobs, replays, the audit
 * runner and the benchmarks so they all measure and check the same code path.
 */
import { canonicalHash, canonicalJson, entityHash } from '../core/canonical-json';
import { AdapterError, NonRetryableError } from '../core/errors';
import type { AnyPipeline, FetchedResource } from '../core/pipeline';

export interface NormalizedOutput {
  normalized: unknown;
  entityHashes: Record<string, string>;
  entityCount: number;
  normalizedHash: string;
  sourceSnapshotHash: string;
}

export function parseAndNormalize(
  pipeline: AnyPipeline,
  params: Record<string, unknown>,
  fetched: readonly FetchedResource[],
  memo?: WeakMap<object, string>,
): { normalized: unknown; entityHashes: Record<string, string> } {
  let normalized: unknown;
  try {
    normalized = pipeline.normalize(params, pipeline.parse(params, fetched));
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
    if (key in entityHashes) throw new NonRetryableError('DUPLICATE_ENTITY_KEY', 'parse', `${pipeline.name} produced entity key ${key} twice`);
    entityHashes[key] = entityHash(canonicalJson(value, memo));
  }
  return { normalized: checked.data, entityHashes };
}

/** Stable hash of a fetched resource set: what was asked for, what came back. Order-independent. */
export function sourceSnapshotHash(fetched: readonly FetchedResource[]): Promise<string> {
  const items = fetched
    .map((f) => ({ type: f.resourceType, key: f.resourceKey, status: f.status, sha256: f.sha256 }))
    .sort((a, b) => (`${a.type}\u0000${a.key}` < `${b.type}\u0000${b.key}` ? -1 : 1));
  return canonicalHash(items);
}

export async function runNormalizeStep(pipeline: AnyPipeline, params: Record<string, unknown>, fetched: readonly FetchedResource[]): Promise<NormalizedOutput> {
  // Entities are usually subtrees of the output: the memo lets the whole-output hash reuse their canonical text.
  const memo = new WeakMap<object, string>();
  const { normalized, entityHashes } = parseAndNormalize(pipeline, params, fetched, memo);
  return {
    normalized,
    entityHashes,
    entityCount: Object.keys(entityHashes).length,
    normalizedHash: await canonicalHash(normalized, memo),
    sourceSnapshotHash: await sourceSnapshotHash(fetched),
  };
}
