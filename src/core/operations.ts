/**
 * An operation (bulk retry, re-normalize) as the API answers it: its stored record and its status computed from its
 * jobs. One definition for the Worker (src/worker/http/operation-record.ts writes and reads it) and the CLI.
 */
export type OperationKind = 'bulk_retry' | 'renormalize';

export interface OperationRecord {
  operation_id: string;
  kind: OperationKind;
  requested_by: string;
  created_at: string;
  dry_run: boolean;
  request: Record<string, unknown>;
  report: { job_ids: string[] } & Record<string, unknown>;
}

export interface OperationStatus {
  /** `dry_run` (nothing was changed), `running` (some jobs not finished), `done` (all finished). */
  state: 'dry_run' | 'running' | 'done';
  jobs: {
    total: number;
    finished: number;
    by_state: Record<string, number>;
    /** Publication decisions of the succeeded jobs (NORMALIZATION_CHANGED, SKIP_NO_CHANGE, ...). */
    decisions: Record<string, number>;
    failures: Array<{ job_id: string; state: string; error_code: string | null }>;
    /** Ids in the record whose job no longer exists (pruned). */
    missing: number;
  };
}

/** `GET /operations/{id}`. */
export interface OperationAnswer {
  operation: OperationRecord;
  status: OperationStatus;
}
