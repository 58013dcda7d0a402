/**
 * A publication's readable diff: the envelope lists the added/removed/changed entity keys; the pipeline's own
 * `entities()` over this payload and the superseded one gives each entity's value, and changed entities are
 * compared field by field (canonical JSON, so key order never shows up as a change).
 */
import { canonicalJson } from '../../core/canonical-json';
import type { AnyPipeline } from '../../core/pipeline';

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}
export interface EntityDiff {
  added: Array<{ key: string; value: string }>;
  removed: Array<{ key: string; value: string }>;
  changed: Array<{ key: string; fields: FieldChange[] }>;
  /** Keys beyond the rendering cap, per kind. */
  more: { added: number; removed: number; changed: number };
}

const CAP = 200;
const show = (v: unknown) => (v === undefined ? '(absent)' : canonicalJson(v));

function entityMap(pipeline: AnyPipeline, payload: unknown): Map<string, unknown> {
  const m = new Map<string, unknown>();
  if (payload === null || payload === undefined) return m;
  for (const [k, v] of pipeline.entities(payload as never)) m.set(k, v);
  return m;
}

function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(before) || !isObj(after)) return [{ field: '(value)', before: show(before), after: show(after) }];
  const out: FieldChange[] = [];
  for (const f of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const b = show(before[f]);
    const a = show(after[f]);
    if (a !== b) out.push({ field: f, before: b, after: a });
  }
  return out;
}

export function entityDiff(
  pipeline: AnyPipeline,
  changes: { added: string[]; removed: string[]; changed: string[] },
  payload: unknown,
  previousPayload: unknown,
): EntityDiff {
  const now = entityMap(pipeline, payload);
  const before = entityMap(pipeline, previousPayload);
  return {
    added: changes.added.slice(0, CAP).map((key) => ({ key, value: show(now.get(key)) })),
    removed: changes.removed.slice(0, CAP).map((key) => ({ key, value: show(before.get(key)) })),
    changed: changes.changed.slice(0, CAP).map((key) => ({ key, fields: fieldChanges(before.get(key), now.get(key)) })),
    more: {
      added: Math.max(0, changes.added.length - CAP),
      removed: Math.max(0, changes.removed.length - CAP),
      changed: Math.max(0, changes.changed.length - CAP),
    },
  };
}
