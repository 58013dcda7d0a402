/**
 * The one place that turns `env` into the runtime's ports, shared by both edges: the Worker (src/worker) and the
 * Durable Objects (src/durable) import this module and never each other. Everything below src/runtime and
 * src/core sees only these interfaces.
 */
import { loadConfig, type AdapterConfig } from '../core/config';
import { AdapterError, fromWire } from '../core/errors';
import { jsonLogger, type LogLevel } from '../core/logger';
import type { BlobStore, JobQueue, Store, Logger, PublishOutcome, ScopePublisherPort } from '../core/ports';
import { D1Store } from '../db/d1/store';
import { PgStore } from '../db/pg/store';
import { loadDeliveryConfig, type DeliveryConfig } from '../core/delivery-config';
import type { DeliveryStore } from '../core/delivery-ports';
import { D1DeliveryStore } from '../db/d1/deliveries';
import { PgDeliveryStore } from '../db/pg/deliveries';
import type { ConsoleReads } from '../core/console-reads';
import { d1ConsoleReads } from '../db/d1/console-reads';
import { pgConsoleReads } from '../db/pg/console-reads';
import type { DeliveryDeps } from '../runtime/deliveries/deps';
import { kickPublication } from '../runtime/deliveries/relay';
import type { RuntimeDeps } from '../runtime/deps';
import { followsImportLedger, settleImportLedger } from '../runtime/snapshot-imports';
import type { ImportStore } from '../core/imports';
import { ProviderClient } from '../runtime/provider-client';
import { CloudflareDeliveryQueue, deliveryTransport, type DeliveryMessage } from './delivery-transport';
import { R2BlobStore } from './r2-blob-store';
import { DurableRateLimiter } from './rate-limiter-client';
import { accountedD1, accountedR2, countDoCall, countLogLine, countQueueSend, ioAccountingOn } from './io-accounting';

export interface JobMessage {
  job_id: string;
}

const configCache = new WeakMap<object, AdapterConfig>();

/** Validated configuration, parsed once per env object. Throws ConfigError naming the bad variable. */
export function getConfig(env: Env): AdapterConfig {
  let cfg = configCache.get(env);
  if (!cfg) {
    cfg = loadConfig(env as unknown as Record<string, unknown>);
    configCache.set(env, cfg);
  }
  return cfg;
}

export type ClosableStore = Store & { close?(): Promise<void> };

/**
 * The configured Store for one invocation. A Postgres store holds sockets that belong to this invocation:
 * close it when the invocation ends (`closeStore`).
 */
export function makeStore(env: Env): ClosableStore {
  if (getConfig(env).store === 'postgres' && env.HYPERDRIVE) {
    return PgStore.connect(env.HYPERDRIVE.connectionString, { max: 4 });
  }
  return new D1Store(ioAccountingOn(env) ? accountedD1(env.DB) : env.DB);
}

export function closeStore(store: ClosableStore, waitUntil?: (p: Promise<unknown>) => void): void {
  if (!store.close) return;
  const done = store.close().catch(() => undefined);
  waitUntil?.(done);
}

/** The raw/payload bucket as a BlobStore (the only way the edges reach R2). */
export function blobsOf(env: Env): BlobStore {
  return new R2BlobStore(ioAccountingOn(env) ? accountedR2(env.RAW) : env.RAW);
}

/** The FILES bucket (dropped files under trigger prefixes, settle moves) as a BlobStore; absent when not bound. */
export function filesOf(env: Env): BlobStore | undefined {
  return env.FILES ? new R2BlobStore(ioAccountingOn(env) ? accountedR2(env.FILES) : env.FILES) : undefined;
}

export class CloudflareJobQueue implements JobQueue {
  constructor(
    private readonly queue: Queue<JobMessage>,
    private readonly counted = false,
  ) {}

  async send(jobId: string, delaySec?: number): Promise<void> {
    if (this.counted) countQueueSend();
    await this.queue.send({ job_id: jobId }, delaySec ? { delaySeconds: Math.min(43_200, Math.max(0, Math.round(delaySec))) } : undefined);
  }

  async sendMany(jobIds: string[]): Promise<void> {
    for (let i = 0; i < jobIds.length; i += 100) {
      if (this.counted) countQueueSend();
      await this.queue.sendBatch(jobIds.slice(i, i + 100).map((id) => ({ body: { job_id: id } })));
    }
  }
}

// The wire shape lives with the error type; re-exported for the Durable Objects that import it from here.
export { fromWire, toWire, type WireError, type WireResult } from '../core/errors';

export class DurableScopePublisher implements ScopePublisherPort {
  constructor(
    private readonly ns: Env['SCOPE_PUBLISHER'],
    private readonly counted = false,
  ) {}

  async publish(req: Parameters<ScopePublisherPort['publish']>[0]): Promise<PublishOutcome> {
    if (this.counted) countDoCall();
    const stub = this.ns.get(this.ns.idFromName(`${req.pipeline}\u0000${req.scopeKey}`));
    return fromWire(await stub.publish(req));
  }
}

/** The level comes from LOG_LEVEL when the configuration is valid; a logger is needed even when it is not. */
export function makeLogger(fields: Record<string, unknown> = {}, env?: Env): Logger {
  let level: LogLevel = 'info';
  try {
    if (env) level = getConfig(env).logLevel;
  } catch {
    // configuration errors are reported by the caller
  }
  const counted = (l: string) => {
    countLogLine();
    console.log(l);
  };
  const sink = env && ioAccountingOn(env) ? counted : undefined;
  return jsonLogger({ service: 'ingestion-adapter', ...fields }, sink, level);
}

/** Provider login credentials from secrets (`wrangler secret put`, .dev.vars); absent ones are left out. */
export function providerCredentials(env: Env): Record<string, Record<string, string>> {
  const betfair = { app_key: env.BETFAIR_APP_KEY, username: env.BETFAIR_USERNAME, password: env.BETFAIR_PASSWORD };
  return { betfair: Object.fromEntries(Object.entries(betfair).filter((e): e is [string, string] => Boolean(e[1]))) };
}

export function buildDeps(env: Env, fields: Record<string, unknown> = {}, store: Store = makeStore(env)): RuntimeDeps {
  const config = getConfig(env);
  const counted = ioAccountingOn(env);
  const limiter = limiterOf(env, config, counted);
  return {
    store,
    blobs: blobsOf(env),
    files: filesOf(env),
    queue: new CloudflareJobQueue(env.JOBS_QUEUE as Queue<JobMessage>, counted),
    publisher: new DurableScopePublisher(env.SCOPE_PUBLISHER, counted),
    client: new ProviderClient({
      http: { fetch: (url, init) => fetch(url, init) },
      limiter,
      upstreamOverride: config.upstreamOverride,
      userAgent: config.userAgent,
      timeoutMs: config.providerTimeoutMs,
      maxBodyBytes: config.providerMaxBodyBytes,
      blockedRetrySec: config.providerBlockedRetrySec,
      credentials: providerCredentials(env),
    }),
    config,
    log: makeLogger(fields, env),
    now: Date.now,
    workerId: `worker:${crypto.randomUUID().slice(0, 8)}`,
    afterPublish: env.DELIVERIES_QUEUE
      ? (id) => kickPublication({ ...buildDeliveryDeps(env, store), now: Date.now }, id).then(() => undefined)
      : undefined,
    afterSettle: ledgerHook(store),
  };
}

const limiters = new WeakMap<object, DurableRateLimiter>();

/** One limiter client per env (per isolate): the messages of a queue batch share its reservation calls. */
function limiterOf(env: Env, config: AdapterConfig, counted: boolean): DurableRateLimiter {
  let limiter = limiters.get(env);
  if (!limiter) {
    limiter = new DurableRateLimiter(env.RATE_LIMITER, config.providerRateOverride, config.providerRates, counted);
    limiters.set(env, limiter);
  }
  return limiter;
}

/** The snapshot import ledger follows its jobs at settle (a store without a ledger has none). */
function ledgerHook(store: Store): RuntimeDeps['afterSettle'] {
  const imports = (store as { imports?: ImportStore }).imports;
  if (!imports) return undefined;
  return {
    pipelines: followsImportLedger,
    run: (job) => settleImportLedger({ store, imports, now: Date.now }, job).then(() => undefined),
  };
}

// ---- push delivery (src/runtime/deliveries) ----------------------------------------------------------------

const deliveryConfigCache = new WeakMap<object, DeliveryConfig>();

export function getDeliveryConfig(env: Env): DeliveryConfig {
  let cfg = deliveryConfigCache.get(env);
  if (!cfg) {
    cfg = loadDeliveryConfig(env as unknown as Record<string, unknown>);
    deliveryConfigCache.set(env, cfg);
  }
  return cfg;
}

/** The delivery tables of the same database (and, on Postgres, the same connections) as `store`. */
export function deliveryStoreOf(env: Env, store: Store): DeliveryStore {
  // Counted like the store's D1 (IO_ACCOUNTING): the delivery kick's reads are round trips of the job too.
  return store instanceof PgStore
    ? new PgDeliveryStore(store.sql)
    : new D1DeliveryStore(ioAccountingOn(env) ? accountedD1(env.DB) : env.DB);
}

/** The console's aggregate reads on the same database as the store (src/core/console-reads.ts). */
export function consoleReadsOf(env: Env, store: Store): ConsoleReads {
  return store instanceof PgStore ? pgConsoleReads(store.sql) : d1ConsoleReads(ioAccountingOn(env) ? accountedD1(env.DB) : env.DB);
}

export function buildDeliveryDeps(env: Env, store: Store, fields: Record<string, unknown> = {}): DeliveryDeps {
  return {
    deliveries: deliveryStoreOf(env, store),
    store,
    blobs: blobsOf(env),
    queue: new CloudflareDeliveryQueue(env.DELIVERIES_QUEUE as Queue<DeliveryMessage> | undefined),
    transport: deliveryTransport(env),
    config: getDeliveryConfig(env),
    log: makeLogger({ component: 'delivery', ...fields }, env),
    now: Date.now,
  };
}

/** Snapshot import and extractor settings (seed 002 STATIC_DATASET_* and EXTRACTOR_*), read once per request. */
export interface SnapshotImportConfig {
  incomingPrefix: string;
  maxBytes: number;
  extractorRetries: number;
  extractorRetrySleepMs: number;
  publicJsonUrl: string | null;
  publicSourceName: string | null;
  includeRawPayload: boolean;
}

export function snapshotImportConfig(env: Env): SnapshotImportConfig {
  const v = env as unknown as Record<string, string | undefined>;
  const int = (name: string, dflt: number, min: number, max: number) => {
    const raw = v[name];
    if (raw === undefined || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new AdapterError('CONFIG_INVALID', 'validation', `${name} must be a number between ${min} and ${max}`);
    return n;
  };
  const prefix = v.FILE_PREFIX_SNAPSHOTS_IMPORT || 'incoming/';
  return {
    incomingPrefix: prefix.endsWith('/') ? prefix : `${prefix}/`,
    maxBytes: int('SNAPSHOT_MAX_BYTES', 16 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    extractorRetries: int('EXTRACTOR_HTTP_RETRIES', 2, 0, 10),
    extractorRetrySleepMs: int('EXTRACTOR_RETRY_SLEEP_SECONDS', 2, 0, 300) * 1000,
    publicJsonUrl: v.EXTRACTOR_PUBLIC_JSON_URL || null,
    publicSourceName: v.EXTRACTOR_PUBLIC_SOURCE_NAME || null,
    includeRawPayload: v.EXTRACTOR_INCLUDE_RAW_PAYLOAD === 'true',
  };
}

export { DurableRateLimiter, R2BlobStore };
export { CloudflareDeliveryQueue, deliveryTransport, type DeliveryMessage };
