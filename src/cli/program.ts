/**
 * The `ingest` command line (commander): every command maps to one function of the command layer and answers
 * an exit code (client.ts EXIT). runCli takes its fetch, environment and output from the caller, so the same
 * program runs in Node (bin/ingest.mjs) and against the Worker in the Vitest pool.
 */
import { Command, CommanderError, Option } from 'commander';
import { ApiClient, CliError, EXIT, type FetchFn } from './client';
import { parseParams, type Io } from './io';
import { enqueue, jobAction, listJobs, showJob, waitForJob, exitCodeOf, describeJob, type WaitOptions } from './jobs';
import { bulkRetryCmd, history, renormalizeCmd, latest, pipelines, schedules, setSchedule } from './reads';
import { showOperation } from './operations';

export interface CliDeps {
  io: Io;
  env: Record<string, string | undefined>;
  fetch?: FetchFn;
  wait?: WaitOptions;
}

const collect = (v: string, prev: string[]) => [...prev, v];

export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const { io } = deps;
  let code: number = EXIT.OK;
  const program = new Command('ingest')
    .description('Operate the ingestion adapter through its internal API')
    .option('--url <url>', 'API base URL (env INGEST_URL)', deps.env.INGEST_URL ?? 'http://127.0.0.1:8787')
    .option('--token <token>', 'bearer token (env INGEST_TOKEN)')
    .option('--json', 'print one JSON document (for scripts) instead of tables')
    .option('--no-progress', 'no progress bar')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();

  const client = (cmd: Command) => {
    const o = cmd.optsWithGlobals() as { url: string; token?: string; json?: boolean };
    io.json = Boolean(o.json);
    return new ApiClient(o.url, o.token ?? deps.env.INGEST_TOKEN, deps.fetch);
  };
  const act =
    <A extends unknown[]>(fn: (api: ApiClient, ...args: A) => Promise<number>) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      code = await fn(client(cmd), ...(args.slice(0, -1) as A));
    };
  const paramOpts = (c: Command) =>
    c
      .option('-p, --param <k=v>', 'a param (repeatable)', collect, [] as string[])
      .option('--params-json <json>', 'params as one JSON object');

  paramOpts(program.command('enqueue <pipeline>').description('enqueue any pipeline'))
    .option('--force', 'publish even when nothing changed')
    .option('--replay', 'rebuild from stored snapshots (no provider request)')
    .option('--idempotency-key <key>')
    .option('-w, --wait', 'wait for the job with a progress bar; exit code from its outcome')
    .option('--children', 'with --wait, also wait for its child jobs')
    .action(
      act(
        async (
          api,
          pipeline: string,
          o: {
            param: string[];
            paramsJson?: string;
            force?: boolean;
            replay?: boolean;
            wait?: boolean;
            children?: boolean;
            idempotencyKey?: string;
          },
        ) =>
          enqueue(
            api,
            io,
            {
              pipeline,
              params: parseParams(o.param, o.paramsJson),
              force: o.force,
              mode: o.replay ? 'replay' : undefined,
              wait: o.wait,
              children: o.children,
              idempotencyKey: o.idempotencyKey,
            },
            deps.wait,
          ),
      ),
    );

  const jobs = program.command('jobs').description('list, show, wait for, cancel and retry jobs');
  jobs
    .command('list')
    .option('--state <state>')
    .option('--pipeline <name>')
    .option('--scope-key <key>')
    .option('--parent <id>')
    .option('--from <time>', 'created from (ISO time)')
    .option('--to <time>', 'created to (ISO time)')
    .option('--limit <n>')
    .option('--cursor <c>')
    .action(
      act((api, o: Record<string, string | undefined>) =>
        listJobs(api, io, {
          state: o.state,
          pipeline: o.pipeline,
          scope_key: o.scopeKey,
          parent_job_id: o.parent,
          created_from: o.from,
          created_to: o.to,
          limit: o.limit,
          cursor: o.cursor,
        }),
      ),
    );
  jobs.command('show <id>').action(act((api, id: string) => showJob(api, io, id)));
  jobs.command('cancel <id>').action(act((api, id: string) => jobAction(api, io, id, 'cancel')));
  jobs.command('retry <id>').action(act((api, id: string) => jobAction(api, io, id, 'retry')));
  jobs
    .command('bulk-retry')
    .description('retry failed/exhausted jobs by filter, in bounded batches')
    .option('--pipeline <name>')
    .option('--state <state...>', 'failed and/or exhausted')
    .option('--from <time>')
    .option('--to <time>')
    .option('--error-code <code>')
    .option('--dry-run', 'count what would be retried; change nothing')
    .option('--batch-size <n>')
    .option('--max-jobs <n>')
    .option('-w, --wait', 'follow the operation until its jobs finish; non-zero exit when one did not succeed')
    .action(
      act(
        (
          api,
          o: {
            pipeline?: string;
            state?: string[];
            from?: string;
            to?: string;
            errorCode?: string;
            dryRun?: boolean;
            batchSize?: string;
            maxJobs?: string;
            wait?: boolean;
          },
        ) =>
          bulkRetryCmd(
            api,
            io,
            {
              pipeline: o.pipeline,
              states: o.state,
              created_from: o.from,
              created_to: o.to,
              error_code: o.errorCode,
              dry_run: Boolean(o.dryRun),
              batch_size: o.batchSize ? Number(o.batchSize) : undefined,
              max_jobs: o.maxJobs ? Number(o.maxJobs) : undefined,
            },
            o.wait ? (deps.wait ?? {}) : undefined,
          ),
      ),
    );
  jobs
    .command('wait <id>')
    .description('wait for a job; exit code from its outcome')
    .action(
      act(async (api, id: string) => {
        const job = await waitForJob(api, io, id, id, deps.wait);
        io.out(io.json ? JSON.stringify({ job }) : describeJob(job));
        return exitCodeOf(job);
      }),
    );

  const pubs = program.command('publications').description("a scope's latest publication and its history");
  paramOpts(pubs.command('latest <pipeline>')).action(
    act((api, p: string, o: { param: string[]; paramsJson?: string }) => latest(api, io, p, parseParams(o.param, o.paramsJson))),
  );
  paramOpts(pubs.command('history <pipeline>'))
    .option('--limit <n>')
    .action(
      act((api, p: string, o: { param: string[]; paramsJson?: string; limit?: string }) =>
        history(api, io, p, parseParams(o.param, o.paramsJson), o.limit ? Number(o.limit) : undefined),
      ),
    );

  const sched = program.command('schedules').description('cron schedules (UTC)');
  sched.command('list', { isDefault: true }).action(act((api) => schedules(api, io)));
  paramOpts(sched.command('set <id>').requiredOption('--pipeline <name>').requiredOption('--cron <expr>', 'five fields, UTC'))
    .option('--disabled')
    .action(
      act((api, id: string, o: { pipeline: string; cron: string; param: string[]; paramsJson?: string; disabled?: boolean }) =>
        setSchedule(api, io, id, { pipeline: o.pipeline, cron: o.cron, params: parseParams(o.param, o.paramsJson), enabled: !o.disabled }),
      ),
    );
  program
    .command('renormalize <pipeline>')
    .description('re-normalize every scope of a pipeline from stored snapshots (no provider request)')
    .option('--dry-run', 'count the scopes; change nothing')
    .option('--batch-size <n>')
    .option('--max-scopes <n>')
    .option('-w, --wait', 'follow the replay jobs until they finish; non-zero exit when one did not succeed')
    .action(
      act((api, pipeline: string, o: { dryRun?: boolean; batchSize?: string; maxScopes?: string; wait?: boolean }) =>
        renormalizeCmd(
          api,
          io,
          {
            pipeline,
            dry_run: Boolean(o.dryRun),
            batch_size: o.batchSize ? Number(o.batchSize) : undefined,
            max_scopes: o.maxScopes ? Number(o.maxScopes) : undefined,
          },
          o.wait ? (deps.wait ?? {}) : undefined,
        ),
      ),
    );
  program
    .command('operations')
    .description('bulk operations (bulk retry, re-normalize) by id')
    .command('show <id>')
    .option('-w, --wait', 'follow it with a progress bar until its jobs finish; non-zero exit when one did not succeed')
    .action(act((api, id: string, o: { wait?: boolean }) => showOperation(api, io, id, Boolean(o.wait), deps.wait)));
  program
    .command('pipelines')
    .description('the pipeline catalogue')
    .action(act((api) => pipelines(api, io)));

  // The seed's LiveRC commands, as aliases of enqueue + wait.
  program
    .command('tracks')
    .command('sync')
    .description('LiveRC track catalogue sync')
    .action(act((api) => enqueue(api, io, { pipeline: 'liverc.track_catalog', params: {}, wait: true }, deps.wait)));
  const events = program.command('events').description('LiveRC events of a track');
  events
    .command('refresh')
    .requiredOption('--track <slug>')
    .addOption(new Option('--depth <depth>').choices(['none', 'laps_full']).default('none'))
    .option('--ingest-all', 'with laps_full: ingest every event, not only new ones')
    .action(
      act((api, o: { track: string; depth: string; ingestAll?: boolean }) =>
        enqueue(
          api,
          io,
          {
            pipeline: 'liverc.event_catalog',
            params: { track_slug: o.track, depth: o.depth, ingest: o.ingestAll ? 'all' : 'new_only' },
            wait: true,
            children: o.depth === 'laps_full',
          },
          deps.wait,
        ),
      ),
    );
  events
    .command('ingest')
    .requiredOption('--track <slug>')
    .requiredOption('--event <id>')
    .addOption(new Option('--depth <depth>').choices(['laps_full']).default('laps_full'))
    .option('--refetch', 'fetch again even when the event is complete')
    .action(
      act((api, o: { track: string; event: string; refetch?: boolean }) =>
        enqueue(
          api,
          io,
          {
            pipeline: 'liverc.event_deep',
            params: { track_slug: o.track, event_id: o.event, ...(o.refetch ? { refetch: true } : {}) },
            wait: true,
          },
          deps.wait,
        ),
      ),
    );

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    if (err instanceof SyntaxError) {
      io.err(`error: ${err.message}`);
      return EXIT.USAGE;
    }
    if (err instanceof CliError) {
      io.err(`error: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}
