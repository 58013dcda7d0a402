/** @jsxImportSource hono/jsx */
/**
 * Console pages of the import ledger and the delivery outbox (GET, behind a session). Reads go through the same
 * stores as /internal/v1/imports and /internal/v1/subscriptions; listing imports first reconciles queued files with
 * their finished jobs, as the API does, so the ledger shown is current.
 */
import { Hono, type Context } from 'hono';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../core/delivery';
import { IMPORT_FILE_STATUSES, IMPORT_TRIGGERS, type ImportFileStatus, type ImportStore, type ImportTrigger } from '../../core/imports';
import { reconcileImports } from '../../runtime/snapshot-imports';
import { deliveryStoreOf, snapshotImportConfig } from '../../wiring/env-ports';
import { encodeCursor } from '../http/serialize';
import { DeliveriesPage, SubscriptionPage } from './deliveries';
import { ConsoleError, storeFor, type AdminEnv } from './guard';
import { ImportFilePage, ImportFilesPage, ImportRunPage, ImportsPage } from './imports';
import { consoleCursor, view } from './view';

export const opsPageRoutes = new Hono<AdminEnv>();
const UUID = /^[0-9a-f-]{36}$/;
const PAGE = 50;

export function ledgerOf(c: Context<AdminEnv>): ImportStore {
  const imports = (storeFor(c) as unknown as { imports?: ImportStore }).imports;
  if (!imports) throw new ConsoleError(503, 'IMPORTS_UNAVAILABLE', 'this store has no import ledger');
  return imports;
}

async function currentLedger(c: Context<AdminEnv>): Promise<ImportStore> {
  const imports = ledgerOf(c);
  await reconcileImports({ store: storeFor(c), imports, now: Date.now });
  return imports;
}

/** An enumerated query value, or a 400 naming the field. */
function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], field: string): T | undefined {
  if (!value) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new ConsoleError(400, 'INVALID_QUERY', `${field} must be one of ${allowed.join(', ')}`, field);
  return value as T;
}

function uuidOf(c: Context<AdminEnv>, code: string, what: string): string {
  const id = c.req.param('id') ?? '';
  if (!UUID.test(id)) throw new ConsoleError(400, code, `${what} must be a UUID`, 'id');
  return id;
}

opsPageRoutes.get('/imports', async (c) => {
  const q = c.req.query();
  const trigger = oneOf<ImportTrigger>(q.trigger, IMPORT_TRIGGERS, 'trigger');
  const imports = await currentLedger(c);
  const [runs, failed] = await Promise.all([
    imports.listRuns({ trigger, cursor: consoleCursor(q.cursor), limit: PAGE + 1 }),
    imports.listFiles({ status: 'failed', limit: 20, problems: 'preview' }),
  ]);
  const page = runs.slice(0, PAGE);
  const last = page.at(-1);
  return view(
    c,
    <ImportsPage
      csrf={c.get('session').csrf}
      runs={page}
      failed={failed}
      trigger={trigger}
      next={runs.length > PAGE && last ? encodeCursor([last.startedAt, last.id]) : null}
      prefix={snapshotImportConfig(c.env).incomingPrefix}
    />,
  );
});

opsPageRoutes.get('/imports/runs/:id', async (c) => {
  const id = uuidOf(c, 'INVALID_IMPORT_RUN_ID', 'import run id');
  // A finished run never changes again (adoption only adds new runs): reconcile only while it has queued files.
  let imports = ledgerOf(c);
  let run = await imports.getRun(id);
  if (run?.finishedAt === null) {
    imports = await currentLedger(c);
    run = await imports.getRun(id);
  }
  if (!run) throw new ConsoleError(404, 'IMPORT_RUN_NOT_FOUND', `no import run ${id}`);
  const files = await imports.listFiles({ runId: id, limit: 200, problems: 'preview' });
  return view(c, <ImportRunPage csrf={c.get('session').csrf} run={run} files={files} />);
});

opsPageRoutes.get('/imports/files', async (c) => {
  const q = c.req.query();
  const status = oneOf<ImportFileStatus>(q.status, IMPORT_FILE_STATUSES, 'status');
  if (q.run_id && !UUID.test(q.run_id)) throw new ConsoleError(400, 'INVALID_QUERY', 'run_id must be a UUID', 'run_id');
  if (q.key_prefix && q.key_prefix.length > 500)
    throw new ConsoleError(400, 'INVALID_QUERY', 'key_prefix is at most 500 characters', 'key_prefix');
  const imports = await currentLedger(c);
  const rows = await imports.listFiles({
    status,
    runId: q.run_id || undefined,
    keyPrefix: q.key_prefix || undefined,
    cursor: consoleCursor(q.cursor),
    limit: PAGE + 1,
    problems: 'preview',
  });
  const page = rows.slice(0, PAGE);
  const last = page.at(-1);
  return view(
    c,
    <ImportFilesPage
      csrf={c.get('session').csrf}
      files={page}
      filter={{ status, run_id: q.run_id || undefined, key_prefix: q.key_prefix || undefined }}
      next={rows.length > PAGE && last ? encodeCursor([last.createdAt, last.id]) : null}
    />,
  );
});

opsPageRoutes.get('/imports/files/:id', async (c) => {
  const id = uuidOf(c, 'INVALID_IMPORT_FILE_ID', 'import file id');
  // A settled file never changes again: reconcile only while it is queued.
  let file = await ledgerOf(c).getFile(id);
  if (file?.status === 'queued') file = await (await currentLedger(c)).getFile(id);
  if (!file) throw new ConsoleError(404, 'IMPORT_FILE_NOT_FOUND', `no import file ${id}`);
  return view(c, <ImportFilePage csrf={c.get('session').csrf} file={file} />);
});

const deliveriesOf = (c: Context<AdminEnv>) => deliveryStoreOf(c.env, storeFor(c));

opsPageRoutes.get('/deliveries', async (c) => {
  const store = deliveriesOf(c);
  const [subs, summaries] = await Promise.all([store.listSubscriptions(), store.subscriptionSummaries()]);
  const by = new Map(summaries.map((s) => [s.subscriptionId, s]));
  const rows = subs.map((s) => ({ ...s, summary: by.get(s.id) ?? null }));
  return view(c, <DeliveriesPage csrf={c.get('session').csrf} subs={rows} now={Date.now()} />);
});

opsPageRoutes.get('/deliveries/subscriptions/:id', async (c) => {
  const id = uuidOf(c, 'INVALID_SUBSCRIPTION_ID', 'subscription id');
  const q = c.req.query();
  const status = oneOf<DeliveryStatus>(q.status, DELIVERY_STATUSES, 'status');
  const cursor = consoleCursor(q.cursor);
  const store = deliveriesOf(c);
  const [sub, summaries, rows] = await Promise.all([
    store.getSubscription(id),
    store.subscriptionSummaries(id),
    store.listDeliveries({
      subscriptionId: id,
      status,
      cursor: cursor ? { createdAt: cursor.at, id: cursor.id } : undefined,
      limit: PAGE + 1,
    }),
  ]);
  if (!sub) throw new ConsoleError(404, 'SUBSCRIPTION_NOT_FOUND', `no subscription ${id}`);
  const page = rows.slice(0, PAGE);
  const last = page.at(-1);
  return view(
    c,
    <SubscriptionPage
      csrf={c.get('session').csrf}
      sub={sub}
      summary={summaries[0] ?? null}
      deliveries={page}
      status={status}
      next={rows.length > PAGE && last ? encodeCursor([last.createdAt, last.id]) : null}
    />,
  );
});
