/**
 * Operations (bulk retry, re-normalize): each run, dry or real, is written once as a JSON document in the blob store
 * under `operations/<id>.json` (who asked, when, the request and the report with its job ids). A document written
 * once and read by id needs no table, and it serves the D1 and the Postgres store alike. Its status is computed on
 * read from the live state of its jobs (one batched store read), so it is never stale and never needs updating.
 */
import type { BlobStore, Store } from '../../core/ports';
import type { OperationRecord, OperationStatus } from '../../core/operations';
import { TERMINAL_STATES, type Job } from '../../core/types';

export type { OperationKind, OperationRecord, OperationStatus } from '../../core/operations';

export const OPERATION_ID = /^op-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const operationKey = (id: string) => `operations/${id}.json`;

export async function saveOperation(blobs: BlobStore, r: OperationRecord): Promise<void> {
  await blobs.put(operationKey(r.operation_id), JSON.stringify(r), 'application/json');
}

export async function loadOperation(blobs: BlobStore, id: string): Promise<OperationRecord | null> {
  const text = await blobs.getText(operationKey(id));
  return text === null ? null : (JSON.parse(text) as OperationRecord);
}

/** Failures listed in a status answer; the counts cover every job. */
const MAX_FAILURES_LISTED = 50;

export async function operationStatus(store: Store, r: OperationRecord): Promise<OperationStatus> {
  const ids = r.report.job_ids;
  const found = await store.getJobs(ids);
  const byId = new Map(found.map((j) => [j.id, j] as [string, Job]));
  const byState: Record<string, number> = {};
  const decisions: Record<string, number> = {};
  const failures: OperationStatus['jobs']['failures'] = [];
  let finished = 0;
  for (const id of ids) {
    const j = byId.get(id);
    if (!j) continue;
    byState[j.state] = (byState[j.state] ?? 0) + 1;
    if (TERMINAL_STATES.includes(j.state)) finished++;
    const decision = j.result?.decision;
    if (j.state === 'succeeded' && typeof decision === 'string') decisions[decision] = (decisions[decision] ?? 0) + 1;
    if ((j.state === 'failed' || j.state === 'exhausted') && failures.length < MAX_FAILURES_LISTED)
      failures.push({ job_id: j.id, state: j.state, error_code: j.lastErrorCode });
  }
  const present = ids.filter((id) => byId.has(id)).length;
  return {
    state: r.dry_run ? 'dry_run' : finished === present ? 'done' : 'running',
    jobs: { total: ids.length, finished, by_state: byState, decisions, failures, missing: ids.length - present },
  };
}
