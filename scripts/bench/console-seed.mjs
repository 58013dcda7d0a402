// Bench section `console`, before measuring: the volume an operator's database holds after a week of work, written
// in bulk into the run's D1 file while wrangler dev is stopped (thousands of jobs through the API and the consumer
// would take minutes; the pages read rows, not how they got there). Every row has the shape the runtime writes:
//   JOBS jobs over the last 7 days, across 7 pipelines: of the older 95%, ~68% succeeded (three in four published,
//     with a result carrying acceptance counts and provider requests), ~23% failed with provider/parse/validation error
//     codes, 4% exhausted, 5% cancelled; the newest 5% pending (a quarter waiting on a rate-limit retry) or running;
//     1-3 attempts each (error code, duration) and the transitions from enqueue to the final state;
//   a published_results and normalized_results row for every published job;
//   RUNS import runs with FILES files (snapshots.import jobs, the notification and scan runs' jobs requested by
//     file-trigger): imported, duplicate, and about a quarter failed with 1 to 600 problems each (and their first
//     five, the preview the ledger keeps at settle).
// Ids start with 5eed, so they never meet the API's own rows; scopes are `bench-...`, never the bench publication's.
import { d1Exec } from './stack.mjs';

export const SEED = { JOBS: 5000, RUNS: 40, FILES_PER_RUN: 12 };

const DAY = 24 * 3600_000;
const PIPELINES = [
  'liverc.event_deep',
  'liverc.event_deep',
  'liverc.event_deep',
  'liverc.event_catalog',
  'liverc.event_catalog',
  'liverc.track_catalog',
  'sofascore.match',
  'sofascore.standings',
  'betfair.market_book',
  'basketball_reference.season_totals',
];
const ERRORS = [
  ['provider', 'PROVIDER_NOT_FOUND', 'GET {url}: 404 Not Found'],
  ['provider', 'PROVIDER_RATE_LIMITED', 'GET {url}: 429 Too Many Requests (retry after 60 s)'],
  ['provider', 'PROVIDER_BLOCKED', 'GET {url}: challenge page (cf-mitigated) instead of content'],
  ['parse', 'PARSE_ERROR', 'expected a results table under #race-results, found none'],
  ['validation', 'REJECTION_THRESHOLD', '41 of 180 records rejected (22.8% > 10.0%); nothing published'],
  ['provider', 'PROVIDER_TIMEOUT', 'GET {url}: no response within 15000 ms'],
  ['provider', 'PROVIDER_HTTP_5XX', 'GET {url}: 503 Service Unavailable'],
];

const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
const caseOf = (expr, values) => `CASE ${expr} ${values.map((v, i) => `WHEN ${i} THEN ${v}`).join(' ')} END`;
const nums = (n) => `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})`;
const uuid = (tag, expr) => `printf('5eed${tag}-0000-4000-8000-%012x', ${expr})`;

/** Jobs: the state follows the job's age (newest 5% still active) and a spread hash of its number for the rest. */
function jobsSql(now) {
  const { JOBS } = SEED;
  const active = Math.floor(JOBS * 0.95);
  const h = '((i * 2654435761) % 100)';
  const state = `CASE WHEN i > ${JOBS - JOBS / 100} THEN 'running' WHEN i > ${active} THEN 'pending'
    WHEN ${h} < 63 THEN 'succeeded' WHEN ${h} < 86 THEN 'failed' WHEN ${h} < 90 THEN 'exhausted' WHEN ${h} < 95 THEN 'cancelled'
    ELSE 'succeeded' END`;
  const err = (k) =>
    caseOf(
      'i % 7',
      ERRORS.map((e) => q(e[k])),
    );
  const url = `'https://provider.example/' || replace(pipeline, '.', '/') || '/' || i`;
  return `${nums(JOBS)},
  j AS (SELECT i, ${caseOf('i % 10', PIPELINES.map(q))} AS pipeline, ${state} AS state,
    ${now} - (${JOBS} - i) * ${Math.floor((7 * DAY) / JOBS)} - (i * 7919) % 60000 AS created FROM n),
  k AS (SELECT *, CASE WHEN state IN ('pending', 'running') THEN 'bench-active-' || i ELSE 'bench-scope-' || (i % 1500) END AS scope,
    CASE state WHEN 'succeeded' THEN 1 + (i % 5 = 0) WHEN 'failed' THEN 1 + (i % 3) WHEN 'exhausted' THEN 3
      WHEN 'cancelled' THEN 0 WHEN 'running' THEN 1 ELSE (i % 4 = 0) END AS attempts,
    state = 'succeeded' AND i % 4 <> 0 AS published FROM j)
  INSERT INTO ingestion_jobs (id, pipeline, params, scope_key, state, requested_by, attempt_count, max_attempts, next_retry_at,
    claimed_by, claim_token, claimed_at, lease_until, last_heartbeat_at, last_enqueued_at, last_error_category, last_error_code,
    last_error_message, last_error_retryable, parser_version, normalizer_version, progress_done, progress_total,
    resources_fetched, snapshots_stored, retry_count, result, created_at, updated_at, finished_at)
  SELECT ${uuid('0000', 'i')}, pipeline, json_object('scope', scope), scope, state,
    CASE WHEN i % 6 = 0 THEN 'scheduler' ELSE 'operator' END, attempts, 3,
    CASE WHEN state = 'pending' AND attempts > 0 THEN ${now} + 60000 ELSE created END,
    CASE WHEN attempts > 0 THEN 'consumer-' || (i % 4) END, CASE WHEN attempts > 0 THEN 'claim-' || i END,
    CASE WHEN attempts > 0 THEN created + 50 END, CASE WHEN state = 'running' THEN ${now} + 30000 END,
    CASE WHEN attempts > 0 THEN created + 900 END, created,
    CASE WHEN state IN ('failed', 'exhausted') OR (state = 'pending' AND attempts > 0) THEN
      CASE WHEN state = 'exhausted' THEN 'lease' WHEN state = 'pending' THEN 'provider' ELSE ${err(0)} END END,
    CASE WHEN state IN ('failed', 'exhausted') OR (state = 'pending' AND attempts > 0) THEN
      CASE WHEN state = 'exhausted' THEN 'LEASE_EXPIRED' WHEN state = 'pending' THEN 'PROVIDER_RATE_LIMITED' ELSE ${err(1)} END END,
    CASE WHEN state IN ('failed', 'exhausted') OR (state = 'pending' AND attempts > 0) THEN
      CASE WHEN state = 'exhausted' THEN 'the final attempt lost its lease (consumer crashed or stalled)'
        WHEN state = 'pending' THEN 'GET https://provider.example/: 429 Too Many Requests (retry after 60 s)'
        ELSE replace(${err(2)}, '{url}', ${url}) END END,
    CASE WHEN state IN ('failed', 'exhausted') OR (state = 'pending' AND attempts > 0) THEN (i % 7) IN (1, 2, 5, 6) END,
    CASE WHEN state = 'succeeded' THEN 'parser-2026.11' END, CASE WHEN state = 'succeeded' THEN 'normalizer-3' END,
    CASE WHEN state = 'succeeded' THEN 3 ELSE 0 END, CASE WHEN attempts > 0 THEN 3 ELSE 0 END,
    CASE WHEN state = 'succeeded' THEN 3 ELSE 0 END, CASE WHEN state = 'succeeded' THEN 3 ELSE 0 END, max(attempts - 1, 0),
    CASE WHEN state = 'succeeded' THEN json_object('summary', CASE WHEN published THEN 'PUBLISH_CHANGED: 4 entities changed'
        ELSE 'SKIP_NO_CHANGE: normalized hash unchanged' END, 'outcome', 'NORMALIZED',
      'decision', CASE WHEN published THEN 'PUBLISH_CHANGED' ELSE 'SKIP_NO_CHANGE' END,
      'classification', CASE WHEN published THEN 'CONTENT_CHANGED' ELSE 'UNCHANGED' END,
      'publication_id', CASE WHEN published THEN ${uuid('0001', 'i')} END,
      'entities_new', i % 3, 'entities_changed', 4 * published, 'entities_unchanged', 40 + i % 60, 'entities_removed', 0,
      'job_id', ${uuid('0000', 'i')}, 'normalized_hash', printf('%064x', i), 'source_snapshot_hash', printf('%064x', i * 3),
      'entity_count', 44 + i % 60, 'provider_requests', 1 + i % 4, 'resources_reused', 0, 'raw_bodies_written', 1 + i % 4,
      'snapshot_rows', 1 + i % 4, 'payload_written', json('true'), 'replay_of', NULL, 'child_job_ids', json('[]'),
      'acceptance', json_object('records_seen', 180 + i % 40, 'accepted', 178 + i % 40, 'rejected', 2,
        'rejected_by_rule', json_object('required', 1, 'type', 1)))
    END,
    created, CASE WHEN state = 'pending' AND attempts > 0 THEN ${now} - (i % 600) * 1000 ELSE created + 1000 + (i % 50) * 100 END,
    CASE WHEN state NOT IN ('pending', 'running') THEN created + 1000 + (i % 50) * 100 END
  FROM k`;
}

/** Attempts and transitions follow from the job rows above, so they agree with the jobs' counts and states. */
const FAILED_ATTEMPT = `a.n < j.attempt_count OR j.state IN ('failed', 'exhausted', 'pending')`;
const ATTEMPTS_SQL = `WITH a(n) AS (VALUES (1), (2), (3))
  INSERT INTO job_attempts (id, job_id, attempt_number, worker_id, state, error_category, error_code, error_message, retryable,
    started_at, finished_at, duration_ms)
  SELECT replace(j.id, '-4000-', '-400' || a.n || '-'), j.id, a.n, j.claimed_by,
    CASE WHEN a.n < j.attempt_count THEN 'failed' WHEN j.state IN ('running', 'succeeded') THEN j.state ELSE 'failed' END,
    CASE WHEN ${FAILED_ATTEMPT} THEN coalesce(j.last_error_category, 'provider') END,
    CASE WHEN ${FAILED_ATTEMPT} THEN coalesce(j.last_error_code, 'PROVIDER_HTTP_5XX') END,
    CASE WHEN ${FAILED_ATTEMPT} THEN coalesce(j.last_error_message, 'GET https://provider.example/: 503 Service Unavailable') END,
    CASE WHEN ${FAILED_ATTEMPT} THEN coalesce(j.last_error_retryable, 1) END,
    j.created_at + 50 + (a.n - 1) * 600,
    CASE WHEN j.state <> 'running' OR a.n < j.attempt_count THEN j.created_at + 150 + (a.n - 1) * 600 + j.created_at % 400 END,
    CASE WHEN j.state <> 'running' OR a.n < j.attempt_count THEN 100 + j.created_at % 400 END
  FROM ingestion_jobs j JOIN a ON a.n <= j.attempt_count WHERE j.id LIKE '5eed%'`;

// Step n of a job with A attempts: 0 enqueue; 2k-1 the claim of attempt k; 2k its end (the final state at 2A, else a
// retry back to pending); a cancelled job's last step (2A+1) leaves pending; a running job has not ended its last.
const TRANSITIONS_SQL = `WITH t(n) AS (VALUES (0), (1), (2), (3), (4), (5), (6), (7))
  INSERT INTO job_state_transitions (id, job_id, from_state, to_state, reason, actor, requested_by, attempt_number, at)
  SELECT replace(j.id, '-8000-', printf('-80%02x-', t.n)), j.id,
    CASE WHEN t.n = 0 THEN NULL WHEN t.n % 2 = 1 THEN 'pending' ELSE 'running' END,
    CASE WHEN t.n = 0 THEN 'pending' WHEN t.n = 2 * j.attempt_count + 1 OR t.n = 2 * j.attempt_count THEN j.state
      WHEN t.n % 2 = 1 THEN 'running' ELSE 'pending' END,
    CASE WHEN t.n = 0 THEN 'enqueued by request bench-seed' WHEN t.n = 2 * j.attempt_count + 1 THEN 'cancelled by request bench-seed'
      WHEN t.n % 2 = 1 THEN 'claimed' WHEN t.n = 2 * j.attempt_count THEN 'attempt ended: ' || j.state ELSE 'retry scheduled' END,
    CASE WHEN t.n = 0 OR t.n = 2 * j.attempt_count + 1 THEN coalesce(j.requested_by, 'operator') ELSE j.claimed_by END,
    coalesce(j.requested_by, 'operator'), min((t.n + 1) / 2, j.attempt_count),
    j.created_at + CASE WHEN t.n = 0 THEN 0 WHEN t.n = 2 * j.attempt_count + 1 THEN 40
      ELSE 50 + ((t.n - 1) / 2) * 600 + (1 - t.n % 2) * (100 + j.created_at % 400) END
  FROM ingestion_jobs j JOIN t ON t.n <= 2 * j.attempt_count
    + CASE j.state WHEN 'cancelled' THEN 1 WHEN 'running' THEN -1 ELSE 0 END
  WHERE j.id LIKE '5eed%'`;

/** A decision row for every succeeded job, a publication for every published one (its scope's chain in time order). */
const PUBLISHED_SQL = `INSERT INTO normalized_results (job_id, pipeline, scope_key, source_snapshot_hash, normalized_hash,
    parser_version, normalizer_version, entity_count, payload_key, publication_decision, publication_reason,
    change_classification, publication_id, created_at, updated_at)
  SELECT id, pipeline, scope_key, result ->> '$.source_snapshot_hash', result ->> '$.normalized_hash', parser_version,
    normalizer_version, result ->> '$.entity_count', 'normalized/' || (result ->> '$.normalized_hash') || '.json',
    result ->> '$.decision', result ->> '$.summary', result ->> '$.classification', result ->> '$.publication_id',
    finished_at - 200, finished_at - 100
  FROM ingestion_jobs WHERE id LIKE '5eed%' AND state = 'succeeded' AND pipeline <> 'snapshots.import';
  INSERT INTO published_results (id, pipeline, scope_key, job_id, sequence, supersedes_id, source_snapshot_hash, normalized_hash,
    envelope_hash, publication_decision, change_classification, publication_reason, parser_version, normalizer_version,
    entity_count, added_count, removed_count, changed_count, payload_key, envelope_key, published_at)
  SELECT publication_id, pipeline, scope_key, job_id, row_number() OVER (PARTITION BY pipeline, scope_key ORDER BY updated_at),
    NULL, source_snapshot_hash, normalized_hash, printf('%064x', rowid), publication_decision, change_classification,
    publication_reason, parser_version, normalizer_version, entity_count, 0, 0, 4, payload_key,
    'envelopes/' || publication_id || '.json', updated_at
  FROM normalized_results WHERE job_id LIKE '5eed%' AND publication_id IS NOT NULL`;

const TRIGGERS = ['notification', 'scan', 'import_now', 'upload'];
const RULES = ['type', 'required', 'unknown_field'];

/** Import runs, their files and each file's snapshots.import job; about a quarter of the files failed validation. */
function importsSql(now) {
  const { RUNS, FILES_PER_RUN } = SEED;
  const files = RUNS * FILES_PER_RUN;
  const status = `CASE WHEN (i * 37) % 20 < 11 THEN 'imported' WHEN (i * 37) % 20 < 15 THEN 'duplicate' ELSE 'failed' END`;
  const runOf = `(i - 1) / ${FILES_PER_RUN} + 1`;
  const byTrigger = `CASE WHEN ${runOf} % 4 < 2 THEN 'file-trigger' ELSE 'operator' END`;
  const runStart = (r) => `${now} - (${RUNS} - (${r})) * ${4 * 3600_000}`;
  const problems = `(SELECT json_group_array(json_object('pointer', '/records/' || p.i || '/time_ms',
      'rule', ${caseOf('p.i % 3', RULES.map(q))}, 'message', 'expected a number of milliseconds, got "DNF" (record ' || p.i || ')'))
    FROM n p WHERE p.i <= 1 + (f.i * 97) % 600)`;
  return `${nums(RUNS)}
  INSERT INTO import_runs (id, trigger, prefix, requested_by, files_seen, started_at, updated_at, finished_at)
  SELECT ${uuid('0003', 'i')}, ${caseOf('i % 4', TRIGGERS.map(q))}, 'incoming/',
    CASE WHEN i % 4 < 2 THEN 'file-trigger' ELSE 'operator' END, ${FILES_PER_RUN}, ${runStart('i')},
    ${runStart('i')} + 60000, ${runStart('i')} + 60000 FROM n;
  ${nums(files)}, f AS (SELECT i, ${status} AS status, ${runStart(runOf)} + i * 1000 AS at FROM n)
  INSERT INTO ingestion_jobs (id, pipeline, params, scope_key, state, requested_by, attempt_count, max_attempts, next_retry_at,
    claimed_by, claim_token, last_enqueued_at, last_error_category, last_error_code, last_error_message, last_error_retryable,
    result, created_at, updated_at, finished_at)
  SELECT ${uuid('0002', 'i')}, 'snapshots.import',
    json_object('key', 'incoming/bench/season-' || i || '.json', 'etag', printf('%032x', i), 'incoming_prefix', 'incoming/'),
    'incoming/bench/season-' || i || '.json', CASE status WHEN 'failed' THEN 'failed' ELSE 'succeeded' END,
    ${byTrigger}, 1, 1, at, 'consumer-' || (i % 4), 'claim-f' || i, at,
    CASE WHEN status = 'failed' THEN 'validation' END, CASE WHEN status = 'failed' THEN 'SNAPSHOT_INVALID' END,
    CASE WHEN status = 'failed' THEN 'the file failed validation: ' || (1 + (i * 97) % 600) || ' problems' END,
    CASE WHEN status = 'failed' THEN 0 END,
    json_object('outcome', CASE status WHEN 'imported' THEN 'NORMALIZED' WHEN 'duplicate' THEN 'SKIPPED' ELSE 'FAILED' END,
      'validation', json_object('sha256', printf('%064x', i % 300), 'bytes', 20000 + i * 13)),
    at, at + 4000, at + 4000 FROM f;
  ${nums(Math.max(files, 600))}, f AS (SELECT i, ${status} AS status, ${runStart(runOf)} + i * 1000 AS at FROM n WHERE i <= ${files})
  INSERT INTO import_files (id, run_id, key, size, etag, sha256, status, record_count, problem_count, problems, job_id,
    publication_ids, settled_key, duplicate_of, created_at, updated_at)
  SELECT ${uuid('0004', 'f.i')}, printf('5eed0003-0000-4000-8000-%012x', (f.i - 1) / ${FILES_PER_RUN} + 1),
    'incoming/bench/season-' || f.i || '.json', 20000 + f.i * 13, printf('%032x', f.i), printf('%064x', f.i % 300), f.status,
    CASE WHEN f.status <> 'failed' THEN 180 + f.i % 40 END, CASE WHEN f.status = 'failed' THEN 1 + (f.i * 97) % 600 ELSE 0 END,
    CASE WHEN f.status = 'failed' THEN ${problems} ELSE '[]' END, ${uuid('0002', 'f.i')},
    CASE WHEN f.status = 'imported' THEN json_array(${uuid('0005', 'f.i')}) ELSE '[]' END,
    CASE WHEN f.status = 'failed' THEN 'failed/' ELSE 'archive/' END || 'bench/season-' || f.i || '.json',
    NULL, f.at, f.at + 4000 FROM f;
  UPDATE import_files SET problems_preview = (SELECT json_group_array(json(value)) FROM (SELECT value FROM json_each(problems)
    ORDER BY key LIMIT 5)) WHERE id LIKE '5eed%';
  UPDATE import_runs SET
    imported = (SELECT count(*) FROM import_files f WHERE f.run_id = import_runs.id AND f.status = 'imported'),
    duplicate = (SELECT count(*) FROM import_files f WHERE f.run_id = import_runs.id AND f.status = 'duplicate'),
    failed = (SELECT count(*) FROM import_files f WHERE f.run_id = import_runs.id AND f.status = 'failed')
  WHERE id LIKE '5eed%'`;
}

/** Writes the volume into the stopped adapter's D1 file and starts wrangler dev on it again. */
export async function seedVolume(a) {
  const now = Date.now();
  await a.wrangler.stop();
  await d1Exec(a.state, [jobsSql(now), importsSql(now), ATTEMPTS_SQL, TRANSITIONS_SQL, PUBLISHED_SQL].join(';\n'));
  await a.wrangler.restart();
  const [counts] = await a.query(`SELECT (SELECT count(*) FROM ingestion_jobs) AS jobs, (SELECT count(*) FROM job_attempts) AS attempts,
    (SELECT count(*) FROM job_state_transitions) AS transitions, (SELECT count(*) FROM published_results) AS publications,
    (SELECT count(*) FROM import_files) AS import_files, (SELECT count(*) FROM import_files WHERE status = 'failed') AS failed_files`);
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]));
}
