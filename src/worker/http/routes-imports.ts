/**
 * /internal/v1/imports and /extractors: the snapshot import ledger (runs, files), the upload route, "import now"
 * (the seed's `import_snapshots`: a scan of incoming/) and extractor runs (the seed's `run_extractor`). Listing
 * reconciles queued files from their finished jobs first, so the ledger a reader sees is current.
 */
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { sha256Hex } from '../../core/canonical-json';
import type { ImportFile, ImportRun, ImportStore } from '../../core/imports';
import { getExtractor, listExtractors, runExtractor } from '../../pipelines/snapshots/extractors';
import { getProvider } from '../../pipelines/registry';
import { queueSnapshotFiles, reconcileImports, scanIncoming } from '../../runtime/snapshot-imports';
import { buildDeps, CloudflareJobQueue, filesOf, getConfig, snapshotImportConfig, type JobMessage } from '../../wiring/env-ports';
import { HttpError } from './errors';
import { callerOf, readJsonObject, requireRole, storeOf, type AppEnv } from './middleware';
import { fieldErrors, parseQuery } from './query';
import { ExtractorRunBody, ImportNowBody, ListImportFilesQuery, ListImportRunsQuery, UploadQuery } from './schemas';
import { decodeCursor, encodeCursor } from './serialize';

export const importRoutes = new Hono<AppEnv>();
export const extractorRoutes = new Hono<AppEnv>();

function ledgerOf(c: Context<AppEnv>): ImportStore {
  const imports = (storeOf(c) as unknown as { imports?: ImportStore }).imports;
  if (!imports) throw new HttpError(503, 'IMPORTS_UNAVAILABLE', 'this store has no import ledger');
  return imports;
}

function filesBucket(c: Context<AppEnv>) {
  const files = filesOf(c.env);
  if (!files) throw new HttpError(503, 'FILES_UNAVAILABLE', 'the FILES bucket is not bound');
  return files;
}

function deps(c: Context<AppEnv>) {
  return {
    store: storeOf(c),
    imports: ledgerOf(c),
    queue: new CloudflareJobQueue(c.env.JOBS_QUEUE as Queue<JobMessage>),
    log: c.get('log'),
    now: Date.now,
    defaultMaxAttempts: getConfig(c.env).maxAttempts,
  };
}

const runJson = (r: ImportRun) => ({
  id: r.id,
  trigger: r.trigger,
  prefix: r.prefix,
  requested_by: r.requestedBy,
  files_seen: r.filesSeen,
  queued: r.queued,
  imported: r.imported,
  duplicate: r.duplicate,
  failed: r.failed,
  started_at: new Date(r.startedAt).toISOString(),
  finished_at: r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
});
const fileJson = (f: ImportFile) => ({
  id: f.id,
  run_id: f.runId,
  key: f.key,
  size: f.size,
  etag: f.etag,
  sha256: f.sha256,
  status: f.status,
  record_count: f.recordCount,
  problem_count: f.problemCount,
  problems: f.problems,
  job_id: f.jobId,
  publication_ids: f.publicationIds,
  settled_key: f.settledKey,
  duplicate_of: f.duplicateOf,
  created_at: new Date(f.createdAt).toISOString(),
  updated_at: new Date(f.updatedAt).toISOString(),
});

function cursorOf(raw: string | undefined): { at: number; id: string } | undefined {
  if (!raw) return undefined;
  const parts = decodeCursor(raw);
  if (parts?.length !== 2 || !/^\d+$/.test(parts[0]!))
    throw new HttpError(400, 'INVALID_CURSOR', 'cursor is not one this API issued', { field: 'cursor' });
  return { at: Number(parts[0]), id: parts[1]! };
}

importRoutes.get('/runs', async (c) => {
  const q = parseQuery(ListImportRunsQuery, c.req.query());
  await reconcileImports(deps(c));
  const rows = await ledgerOf(c).listRuns({ trigger: q.trigger, cursor: cursorOf(q.cursor), limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return c.json({ runs: page.map(runJson), next_cursor: rows.length > q.limit && last ? encodeCursor([last.startedAt, last.id]) : null });
});

importRoutes.get('/runs/:id', async (c) => {
  await reconcileImports(deps(c));
  const run = await ledgerOf(c).getRun(c.req.param('id'));
  if (!run) throw new HttpError(404, 'IMPORT_RUN_NOT_FOUND', 'no such import run', { field: 'id' });
  const files = await ledgerOf(c).listFiles({ runId: run.id, limit: 200 });
  return c.json({ run: runJson(run), files: files.map(fileJson) });
});

importRoutes.get('/files', async (c) => {
  const q = parseQuery(ListImportFilesQuery, c.req.query());
  await reconcileImports(deps(c));
  const rows = await ledgerOf(c).listFiles({
    runId: q.run_id,
    status: q.status,
    sha256: q.sha256,
    keyPrefix: q.key_prefix,
    cursor: cursorOf(q.cursor),
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return c.json({ files: page.map(fileJson), next_cursor: rows.length > q.limit && last ? encodeCursor([last.createdAt, last.id]) : null });
});

importRoutes.get('/files/:id', async (c) => {
  await reconcileImports(deps(c));
  const file = await ledgerOf(c).getFile(c.req.param('id'));
  if (!file) throw new HttpError(404, 'IMPORT_FILE_NOT_FOUND', 'no such import file', { field: 'id' });
  return c.json({ file: fileJson(file) });
});

/** Upload: JSON only, size-limited, lands in incoming/ and is queued at once (a notification for it finds the same job). */
importRoutes.post('/files', requireRole('operator'), async (c) => {
  const cfg = snapshotImportConfig(c.env);
  const q = parseQuery(UploadQuery, c.req.query());
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'a snapshot upload must be application/json', { field: 'content-type' });
  const declared = Number(c.req.header('content-length') ?? '0');
  const tooBig = () =>
    new HttpError(413, 'PAYLOAD_TOO_LARGE', `a snapshot file may have at most ${cfg.maxBytes} bytes (SNAPSHOT_MAX_BYTES)`, {
      field: 'body',
    });
  if (declared > cfg.maxBytes) throw tooBig();
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > cfg.maxBytes) throw tooBig();
  if (bytes.byteLength === 0) throw new HttpError(400, 'EMPTY_BODY', 'the upload is empty', { field: 'body' });
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (err) {
    throw new HttpError(400, 'MALFORMED_JSON', `the upload is not JSON: ${(err as Error).message}`, { field: 'body' });
  }
  // Schema problems are not refused here: the file is imported like any other and fails with every problem listed.
  const sha = await sha256Hex(bytes);
  const key = `${cfg.incomingPrefix}${q.name ?? `upload/${new Date().toISOString().slice(0, 10)}-${sha.slice(0, 16)}.json`}`;
  const files = filesBucket(c);
  await files.put(key, bytes, 'application/json');
  const listed = (await files.list(key, { limit: 1 })).keys.find((k) => k.key === key);
  const d = deps(c);
  const { run, files: queued } = await queueSnapshotFiles(d, {
    trigger: 'upload',
    prefix: cfg.incomingPrefix,
    objects: [{ key, size: bytes.byteLength, eTag: listed?.etag }],
    requestedBy: callerOf(c).name,
  });
  const file = queued[0]!.file;
  return c.json({ import_file_id: file.id, run_id: run.id, key, sha256: sha, size: bytes.byteLength, job_id: file.jobId }, 202);
});

/** Import now: the seed's `import_snapshots`, a scan of the incoming prefix queued as one run. */
importRoutes.post('/run', requireRole('operator'), async (c) => {
  const raw = c.req.header('content-length') === '0' || !c.req.header('content-type') ? {} : await readJsonObject(c);
  const body = ImportNowBody.safeParse(raw);
  if (!body.success) throw new HttpError(400, 'INVALID_REQUEST', 'invalid import request', { fields: fieldErrors(body.error) });
  const cfg = snapshotImportConfig(c.env);
  const prefix = body.data.prefix ?? cfg.incomingPrefix;
  if (!prefix.startsWith(cfg.incomingPrefix))
    throw new HttpError(400, 'INVALID_REQUEST', `prefix must be under ${cfg.incomingPrefix}`, { field: 'prefix' });
  await reconcileImports(deps(c));
  const { run, files } = await scanIncoming(
    { ...deps(c), files: filesBucket(c) },
    { trigger: 'import_now', prefix: cfg.incomingPrefix, requestedBy: callerOf(c).name, max: body.data.max_files },
  );
  const inScope = files.filter((f) => f.file.key.startsWith(prefix));
  return c.json({ run: runJson(run), files: inScope.map((f) => ({ ...fileJson(f.file), created: f.created })) }, 202);
});

extractorRoutes.get('/', (c) => c.json({ extractors: listExtractors() }));

/** Runs an extractor now: fetch through the provider transport, validate with the importer, write (or dry run). */
extractorRoutes.post('/:name/run', requireRole('operator'), async (c) => {
  const ex = getExtractor(c.req.param('name'));
  if (!ex) throw new HttpError(404, 'UNKNOWN_EXTRACTOR', `no extractor ${c.req.param('name')}`, { field: 'name' });
  const body = ExtractorRunBody.safeParse(await readJsonObject(c));
  if (!body.success) throw new HttpError(400, 'INVALID_REQUEST', 'invalid extractor run', { fields: fieldErrors(body.error) });
  const cfg = snapshotImportConfig(c.env);
  const defaults =
    ex.name === 'public_json_snapshot'
      ? { url: cfg.publicJsonUrl ?? undefined, source_name: cfg.publicSourceName ?? undefined, include_raw_payload: cfg.includeRawPayload }
      : {};
  const params = ex.paramsSchema.safeParse({ ...defaults, ...body.data.params });
  if (!params.success)
    throw new HttpError(400, 'INVALID_PARAMS', `invalid params for ${ex.name}`, { fields: fieldErrors(params.error as z.ZodError) });
  const runtime = buildDeps(c.env, { extractor: ex.name }, storeOf(c));
  const files = body.data.dry_run ? null : filesBucket(c);
  const report = await runExtractor(
    {
      fetch: (req, provider) => runtime.client.fetch(getProvider(provider)!, req),
      put: files ? (key, bytes) => files.put(key, bytes, 'application/json') : undefined,
    },
    ex,
    params.data,
    {
      dryRun: body.data.dry_run,
      outputPrefix: body.data.output_prefix ?? cfg.incomingPrefix,
      now: Date.now(),
      retries: cfg.extractorRetries,
      retrySleepMs: cfg.extractorRetrySleepMs,
    },
  );
  if (!report.valid)
    throw new HttpError(422, 'EXTRACTOR_OUTPUT_INVALID', `${ex.name} produced a snapshot the importer would refuse`, {
      problems: report.problems.slice(0, 100),
    });
  c.get('log').info('extractor run', { extractor: ex.name, key: report.key, records: report.record_count, written: report.written });
  return c.json(report, report.written ? 201 : 200);
});
