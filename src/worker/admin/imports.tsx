/** @jsxImportSource hono/jsx */
/**
 * Imports (the snapshot import ledger, seed 002's ImportRun / ImportFile): runs with their counts, files per object
 * version with status, size, sha256 and records, and failed files with every problem that failed them.
 */
import type { ImportFile, ImportRun } from '../../core/imports';
import { IMPORT_FILE_STATUSES, IMPORT_TRIGGERS } from '../../core/imports';
import type { Problem } from '../../pipelines/snapshots/validate';
import { bytes, Layout, PostButton, StateBadge, when } from './layout';
import { NextPage, Table, type Column } from './table';

/** Problems a listing shows per file: within the ledger's preview (IMPORT_PROBLEMS_PREVIEW), which listings read. */
const PROBLEMS_INLINE = 3;
/** A file can fail with thousands of problems; its page lists this many (the API has them all). */
const PROBLEMS_PAGE = 500;

/** A file's problems: the first few inline (lists), all of them on the file's page; `total` counts every one. */
export function Problems(p: { problems: Problem[]; total: number; all?: boolean }) {
  const shown = p.problems.slice(0, p.all ? PROBLEMS_PAGE : PROBLEMS_INLINE);
  if (shown.length === 0) return <span class="hint">–</span>;
  return (
    <ul class="problems">
      {shown.map((x) => (
        <li>
          <code>{x.rule}</code> {x.pointer && <code>{x.pointer}</code>} {x.message}
        </li>
      ))}
      {shown.length < p.total && <li class="hint">… {p.total - shown.length} more</li>}
    </ul>
  );
}

const fileLink = (f: ImportFile) => <a href={`/admin/imports/files/${f.id}`}>{f.key}</a>;

const RUN_COLS: Array<Column<ImportRun>> = [
  { head: 'run', cell: (r) => <a href={`/admin/imports/runs/${r.id}`}>{r.id.slice(0, 8)}</a> },
  { head: 'trigger', cell: (r) => r.trigger },
  { head: 'by', cell: (r) => r.requestedBy ?? '–' },
  { head: 'seen', cell: (r) => r.filesSeen, class: 'num' },
  { head: 'queued', cell: (r) => r.queued, class: 'num' },
  { head: 'imported', cell: (r) => r.imported, class: 'num' },
  { head: 'duplicate', cell: (r) => r.duplicate, class: 'num' },
  {
    head: 'failed',
    cell: (r) => (r.failed ? <a href={`/admin/imports/files?status=failed&run_id=${r.id}`}>{r.failed}</a> : 0),
    class: 'num',
  },
  { head: 'started', cell: (r) => when(r.startedAt) },
  { head: 'finished', cell: (r) => when(r.finishedAt) },
];

const FILE_COLS: Array<Column<ImportFile>> = [
  { head: 'file', cell: fileLink, class: 'msg' },
  { head: 'status', cell: (f) => <StateBadge state={f.status} /> },
  { head: 'size', cell: (f) => bytes(f.size), class: 'num' },
  { head: 'records', cell: (f) => f.recordCount ?? '–', class: 'num' },
  { head: 'sha256', cell: (f) => (f.sha256 ? <code>{f.sha256.slice(0, 12)}</code> : '–') },
  { head: 'job', cell: (f) => (f.jobId ? <a href={`/admin/jobs/${f.jobId}`}>{f.jobId.slice(0, 8)}</a> : '–') },
  { head: 'problems', cell: (f) => <Problems problems={f.problems} total={f.problemCount} />, class: 'msg' },
  { head: 'at', cell: (f) => when(f.updatedAt) },
];

export function ImportsPage(p: {
  csrf: string;
  runs: ImportRun[];
  failed: ImportFile[];
  trigger?: string;
  next: string | null;
  prefix: string;
}) {
  return (
    <Layout title="Imports" csrf={p.csrf} active="/admin/imports">
      <section class="actions">
        <PostButton action="/admin/imports/run" csrf={p.csrf} label="Import now" id="import-now" />
        <span class="hint">
          scans <code>{p.prefix}</code> and queues every object version not yet in the ledger · <a href="/admin/imports/files">all files</a>
        </span>
      </section>
      <form method="get" action="/admin/imports" class="filters">
        <select name="trigger" aria-label="trigger">
          <option value="">any trigger</option>
          {IMPORT_TRIGGERS.map((t) => (
            <option value={t} selected={p.trigger === t}>
              {t}
            </option>
          ))}
        </select>
        <button type="submit">Filter</button>
      </form>
      <h2>Runs</h2>
      <Table id="import-runs" rows={p.runs} cols={RUN_COLS} empty="No import runs yet." rowId={(r) => `run-${r.id}`} />
      <NextPage base="/admin/imports" query={{ trigger: p.trigger }} cursor={p.next} label="Older runs →" />
      <h2>Failed files</h2>
      <Table id="failed-files" rows={p.failed} cols={FILE_COLS} empty="No failed files." />
      {p.failed.length > 0 && (
        <p>
          <a href="/admin/imports/files?status=failed">every failed file →</a>
        </p>
      )}
    </Layout>
  );
}

export function ImportRunPage(p: { csrf: string; run: ImportRun; files: ImportFile[] }) {
  const r = p.run;
  return (
    <Layout title={`Import run ${r.id.slice(0, 8)}`} csrf={p.csrf} active="/admin/imports">
      <dl class="facts" id="import-run">
        <dt>trigger</dt>
        <dd>{r.trigger}</dd>
        <dt>prefix</dt>
        <dd>
          <code>{r.prefix}</code>
        </dd>
        <dt>requested by</dt>
        <dd>{r.requestedBy ?? '–'}</dd>
        <dt>files</dt>
        <dd>
          {r.filesSeen} seen · {r.queued} queued · {r.imported} imported · {r.duplicate} duplicate · {r.failed} failed
        </dd>
        <dt>started</dt>
        <dd>{when(r.startedAt)}</dd>
        <dt>finished</dt>
        <dd>{when(r.finishedAt)}</dd>
      </dl>
      <h2>Files</h2>
      <Table id="import-files" rows={p.files} cols={FILE_COLS} empty="No files in this run." />
    </Layout>
  );
}

export function ImportFilesPage(p: { csrf: string; files: ImportFile[]; filter: Record<string, string | undefined>; next: string | null }) {
  return (
    <Layout title="Import files" csrf={p.csrf} active="/admin/imports">
      <form method="get" action="/admin/imports/files" class="filters">
        <select name="status" aria-label="status">
          <option value="">any status</option>
          {IMPORT_FILE_STATUSES.map((s) => (
            <option value={s} selected={p.filter.status === s}>
              {s}
            </option>
          ))}
        </select>
        <input name="key_prefix" placeholder="key prefix" value={p.filter.key_prefix ?? ''} aria-label="key prefix" />
        {p.filter.run_id && <input type="hidden" name="run_id" value={p.filter.run_id} />}
        <button type="submit">Filter</button>
      </form>
      <Table id="import-files" rows={p.files} cols={FILE_COLS} empty="No files match." />
      <NextPage base="/admin/imports/files" query={p.filter} cursor={p.next} label="Older files →" />
    </Layout>
  );
}

export function ImportFilePage(p: { csrf: string; file: ImportFile }) {
  const f = p.file;
  return (
    <Layout title={`Import file ${f.key}`} csrf={p.csrf} active="/admin/imports">
      <dl class="facts" id="import-file">
        <dt>status</dt>
        <dd>
          <StateBadge state={f.status} />
        </dd>
        <dt>run</dt>
        <dd>
          <a href={`/admin/imports/runs/${f.runId}`}>{f.runId.slice(0, 8)}</a>
        </dd>
        <dt>size</dt>
        <dd>{bytes(f.size)}</dd>
        <dt>etag</dt>
        <dd>
          <code>{f.etag}</code>
        </dd>
        <dt>sha256</dt>
        <dd>
          <code>{f.sha256 ?? '–'}</code>
        </dd>
        <dt>records</dt>
        <dd>{f.recordCount ?? '–'}</dd>
        <dt>job</dt>
        <dd>{f.jobId ? <a href={`/admin/jobs/${f.jobId}`}>{f.jobId}</a> : '–'}</dd>
        <dt>publications</dt>
        <dd>
          {f.publicationIds.length === 0
            ? '–'
            : f.publicationIds.map((id) => (
                <>
                  <a href={`/admin/publications/${id}`}>{id.slice(0, 8)}</a>{' '}
                </>
              ))}
        </dd>
        <dt>settled as</dt>
        <dd>
          <code>{f.settledKey ?? '–'}</code>
        </dd>
        <dt>updated</dt>
        <dd>{when(f.updatedAt)}</dd>
      </dl>
      <h2>Problems ({f.problemCount})</h2>
      <div id="file-problems">
        <Problems problems={f.problems} total={f.problemCount} all />
      </div>
    </Layout>
  );
}
