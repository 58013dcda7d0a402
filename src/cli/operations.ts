/** `ingest operations show <id> [--wait]`: an operation's record and live status, followed with a progress bar. */
import type { OperationAnswer } from '../core/operations';
import { CliError, EXIT, type ApiClient } from './client';
import { table, type Io } from './io';
import type { WaitOptions } from './jobs';

/** `GET /operations/{id}`: the record and its live status (src/core/operations.ts). */
export type OperationJson = OperationAnswer;

const counts = (o: Record<string, number>) =>
  Object.entries(o)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '-';

/** Polls GET /operations/:id until no job of it is still running (a dry run answers at once). */
export async function waitForOperation(api: ApiClient, io: Io, id: string, o: WaitOptions = {}): Promise<OperationJson> {
  const deadline = Date.now() + (o.timeoutMs ?? 30 * 60_000);
  io.progress.start(id, 1);
  try {
    for (;;) {
      const op = await api.call<OperationJson>('GET', `/operations/${encodeURIComponent(id)}`);
      const j = op.status.jobs;
      io.progress.update(j.finished, Math.max(j.total, 1), op.status.state);
      if (op.status.state !== 'running') return op;
      if (Date.now() > deadline)
        throw new CliError(
          EXIT.TIMEOUT,
          `gave up waiting for operation ${id} (${j.finished}/${j.total} jobs finished); it keeps running: ingest operations show ${id}`,
        );
      await io.sleep(o.intervalMs ?? 500);
    }
  } finally {
    io.progress.stop();
  }
}

/** Non-zero when the operation finished with jobs that did not succeed (a retried job failed again). */
export const operationExitCode = (op: OperationJson) =>
  op.status.state === 'done' && op.status.jobs.total - (op.status.jobs.by_state.succeeded ?? 0) - op.status.jobs.missing > 0
    ? EXIT.FAILED
    : EXIT.OK;

export async function showOperation(api: ApiClient, io: Io, id: string, wait: boolean, o: WaitOptions = {}): Promise<number> {
  const op = wait ? await waitForOperation(api, io, id, o) : await api.call<OperationJson>('GET', `/operations/${encodeURIComponent(id)}`);
  const code = wait ? operationExitCode(op) : EXIT.OK;
  if (io.json) {
    io.out(JSON.stringify({ ...op, ...(wait ? { exit_code: code } : {}) }));
    return code;
  }
  const { operation: r, status: s } = op;
  io.out(
    `${r.operation_id} ${r.kind}${r.dry_run ? ' (dry run)' : ''} by ${r.requested_by} at ${r.created_at}: ` +
      `${s.state}, ${s.jobs.finished}/${s.jobs.total} jobs finished`,
  );
  io.out(
    `states: ${counts(s.jobs.by_state)}; decisions: ${counts(s.jobs.decisions)}` +
      (s.jobs.missing ? `; ${s.jobs.missing} jobs no longer exist` : ''),
  );
  if (s.jobs.failures.length) io.out(table(s.jobs.failures, ['job_id', 'state', 'error_code']));
  return code;
}
