/**
 * Configuration from wrangler vars and secrets, validated at first use. A bad value is a ConfigError naming the
 * variable, never a silent default.
 */
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from './logger';
import { parseApiTokens, type ApiToken } from './tokens';

export interface AdapterConfig {
  authToken: string | null;
  /** Every accepted token with its name and role: INTERNAL_AUTH_TOKEN as operator `default`, then API_TOKENS. */
  tokens: ApiToken[];
  insecureAuth: boolean;
  leaseDurationSec: number;
  heartbeatIntervalSec: number;
  maxAttempts: number;
  baseRetryDelaySec: number;
  maxRetryDelaySec: number;
  upstreamOverride: string | null;
  userAgent: string;
  providerTimeoutMs: number;
  providerMaxBodyBytes: number;
  /** Wall-clock budget of one attempt's fetching; past it the attempt checkpoints and continues in a new one. */
  attemptBudgetSec: number;
  /** Continuations in a row without a newly fetched resource before the job fails CONTINUATION_NO_PROGRESS. */
  maxStalledContinuations: number;
  /** Interval of a live poller that names none (BETFAIR_POLL_INTERVAL_MS, default 5000). */
  pollIntervalMs: number;
  providerRateOverride: number | null;
  /** Per-provider sustained rates from `PROVIDER_RATE_<NAME>` (requests/s), e.g. PROVIDER_RATE_SMOOTHCOMP=0.05. */
  providerRates: Record<string, number>;
  /** Per-provider delay before a blocked request is retried, from `PROVIDER_BLOCKED_RETRY_SEC_<NAME>` (seconds). */
  providerBlockedRetrySec: Record<string, number>;
  /**
   * File trigger prefixes by pipeline from `FILE_PREFIX_<PIPELINE>` (the name upper-cased, every other character
   * `_`: FILE_PREFIX_FILES_JSON_LINES for files.json_lines), keyed by that upper-case form; see filePrefixFor.
   */
  filePrefixes: Record<string, string>;
  logLevel: LogLevel;
  /** Which Store implementation: D1 (default) or PostgreSQL through the HYPERDRIVE binding. */
  store: 'd1' | 'postgres';
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`invalid configuration: ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const positiveInt = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a positive integer, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const SCHEMA = {
  WORKER_LEASE_DURATION_SEC: positiveInt('WORKER_LEASE_DURATION_SEC', 60),
  WORKER_HEARTBEAT_INTERVAL_SEC: positiveInt('WORKER_HEARTBEAT_INTERVAL_SEC', 20),
  WORKER_MAX_ATTEMPTS: positiveInt('WORKER_MAX_ATTEMPTS', 5),
  WORKER_BASE_RETRY_DELAY_SEC: positiveInt('WORKER_BASE_RETRY_DELAY_SEC', 15),
  WORKER_MAX_RETRY_DELAY_SEC: positiveInt('WORKER_MAX_RETRY_DELAY_SEC', 300),
  PROVIDER_TIMEOUT_MS: positiveInt('PROVIDER_TIMEOUT_MS', 15_000),
  // A provider body past this is refused (RESPONSE_TOO_LARGE) rather than parsed: 20 MiB is far above any real page.
  PROVIDER_MAX_BODY_BYTES: positiveInt('PROVIDER_MAX_BODY_BYTES', 20 * 1024 * 1024),
  // 10 minutes: well under a queue consumer's 15-minute wall-clock limit, leaving time to checkpoint.
  WORKER_ATTEMPT_BUDGET_SEC: positiveInt('WORKER_ATTEMPT_BUDGET_SEC', 600),
  WORKER_MAX_STALLED_CONTINUATIONS: positiveInt('WORKER_MAX_STALLED_CONTINUATIONS', 3),
  // Default interval of a live poller that names none (seed 003: every 5 seconds).
  BETFAIR_POLL_INTERVAL_MS: positiveInt('BETFAIR_POLL_INTERVAL_MS', 5000),
} as const;

function read<K extends keyof typeof SCHEMA>(vars: Record<string, unknown>, key: K): number {
  const raw = vars[key];
  const parsed = SCHEMA[key].safeParse(raw === undefined || raw === null ? undefined : String(raw));
  if (!parsed.success) throw new ConfigError(key, parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}

export function loadConfig(vars: Record<string, unknown>): AdapterConfig {
  const insecureRaw = vars.ALLOW_INSECURE_INTERNAL_AUTH;
  if (insecureRaw !== undefined && !['true', 'false', ''].includes(String(insecureRaw))) {
    throw new ConfigError('ALLOW_INSECURE_INTERNAL_AUTH', `must be "true" or "false", got "${String(insecureRaw)}"`);
  }
  const insecureAuth = String(insecureRaw) === 'true';
  const token = typeof vars.INTERNAL_AUTH_TOKEN === 'string' && vars.INTERNAL_AUTH_TOKEN.length > 0 ? vars.INTERNAL_AUTH_TOKEN : null;
  if (token !== null && token.length < 16) {
    throw new ConfigError('INTERNAL_AUTH_TOKEN', 'must be at least 16 characters');
  }
  let named: ApiToken[] = [];
  if (typeof vars.API_TOKENS === 'string') {
    try {
      named = parseApiTokens(vars.API_TOKENS);
    } catch (err) {
      throw new ConfigError('API_TOKENS', (err as Error).message);
    }
  }
  if (token !== null && named.some((t) => t.name === 'default' || t.token === token)) {
    throw new ConfigError('API_TOKENS', 'the name "default" and the INTERNAL_AUTH_TOKEN value belong to INTERNAL_AUTH_TOKEN');
  }
  const tokens: ApiToken[] = [...(token !== null ? [{ name: 'default', role: 'operator' as const, token }] : []), ...named];
  if (!insecureAuth && tokens.length === 0) {
    throw new ConfigError('INTERNAL_AUTH_TOKEN', 'required (or API_TOKENS) unless ALLOW_INSECURE_INTERNAL_AUTH=true');
  }
  const lease = read(vars, 'WORKER_LEASE_DURATION_SEC');
  const heartbeat = read(vars, 'WORKER_HEARTBEAT_INTERVAL_SEC');
  if (heartbeat >= lease) {
    throw new ConfigError('WORKER_HEARTBEAT_INTERVAL_SEC', `must be lower than WORKER_LEASE_DURATION_SEC (${heartbeat} >= ${lease})`);
  }
  const base = read(vars, 'WORKER_BASE_RETRY_DELAY_SEC');
  const max = read(vars, 'WORKER_MAX_RETRY_DELAY_SEC');
  if (max < base) {
    throw new ConfigError('WORKER_MAX_RETRY_DELAY_SEC', `must be at least WORKER_BASE_RETRY_DELAY_SEC (${max} < ${base})`);
  }
  let upstreamOverride: string | null = null;
  if (typeof vars.UPSTREAM_OVERRIDE === 'string' && vars.UPSTREAM_OVERRIDE.trim() !== '') {
    const u = vars.UPSTREAM_OVERRIDE.trim().replace(/\/+$/, '');
    if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(u)) throw new ConfigError('UPSTREAM_OVERRIDE', `must be an http(s) URL, got "${u}"`);
    upstreamOverride = u;
  }
  let providerRateOverride: number | null = null;
  if (vars.PROVIDER_RATE_OVERRIDE !== undefined && String(vars.PROVIDER_RATE_OVERRIDE) !== '') {
    const n = Number(vars.PROVIDER_RATE_OVERRIDE);
    if (!(n > 0)) throw new ConfigError('PROVIDER_RATE_OVERRIDE', 'must be a positive number of requests per second');
    providerRateOverride = n;
  }
  const providerRates: Record<string, number> = {};
  for (const [key, value] of Object.entries(vars)) {
    const m = /^PROVIDER_RATE_([A-Z0-9_]+)$/.exec(key);
    if (!m || m[1] === 'OVERRIDE' || value === undefined || value === '') continue;
    const n = Number(value);
    if (!(n > 0) || !Number.isFinite(n)) throw new ConfigError(key, 'must be a positive number of requests per second');
    providerRates[m[1]!.toLowerCase()] = n;
  }
  const providerBlockedRetrySec: Record<string, number> = {};
  for (const [key, value] of Object.entries(vars)) {
    const m = /^PROVIDER_BLOCKED_RETRY_SEC_([A-Z0-9_]+)$/.exec(key);
    if (!m || value === undefined || value === '') continue;
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0 || n > 43_200)
      throw new ConfigError(key, 'must be a whole number of seconds between 1 and 43200 (the queue delay limit)');
    providerBlockedRetrySec[m[1]!.toLowerCase()] = n;
  }
  const filePrefixes: Record<string, string> = {};
  for (const [key, value] of Object.entries(vars)) {
    const m = /^FILE_PREFIX_([A-Z0-9_]+)$/.exec(key);
    if (!m || value === undefined || value === '') continue;
    const prefix = String(value);
    if (prefix.startsWith('/') || prefix.length > 200 || !prefix.endsWith('/'))
      throw new ConfigError(key, 'must be an object key prefix ending in "/" (no leading "/", at most 200 characters)');
    filePrefixes[m[1]!] = prefix;
  }
  const logLevel = (vars.LOG_LEVEL === undefined || vars.LOG_LEVEL === '' ? 'info' : String(vars.LOG_LEVEL)) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const store = vars.STORE === undefined || vars.STORE === '' ? 'd1' : String(vars.STORE);
  if (store !== 'd1' && store !== 'postgres') throw new ConfigError('STORE', `must be "d1" or "postgres", got "${store}"`);
  if (store === 'postgres' && !vars.HYPERDRIVE) throw new ConfigError('STORE', 'STORE=postgres needs the HYPERDRIVE binding');
  return {
    authToken: token,
    tokens,
    insecureAuth,
    leaseDurationSec: lease,
    heartbeatIntervalSec: heartbeat,
    maxAttempts: read(vars, 'WORKER_MAX_ATTEMPTS'),
    baseRetryDelaySec: base,
    maxRetryDelaySec: max,
    upstreamOverride,
    userAgent:
      typeof vars.PROVIDER_USER_AGENT === 'string' && vars.PROVIDER_USER_AGENT ? vars.PROVIDER_USER_AGENT : 'sports-ingestion-adapter/0.1',
    providerTimeoutMs: read(vars, 'PROVIDER_TIMEOUT_MS'),
    providerMaxBodyBytes: read(vars, 'PROVIDER_MAX_BODY_BYTES'),
    attemptBudgetSec: read(vars, 'WORKER_ATTEMPT_BUDGET_SEC'),
    maxStalledContinuations: read(vars, 'WORKER_MAX_STALLED_CONTINUATIONS'),
    pollIntervalMs: read(vars, 'BETFAIR_POLL_INTERVAL_MS'),
    providerRateOverride,
    providerRates,
    providerBlockedRetrySec,
    filePrefixes,
    logLevel,
    store,
  };
}

/** The FILES prefix a pipeline's file trigger watches: FILE_PREFIX_<PIPELINE> when set, else its own default. */
export function filePrefixFor(config: Pick<AdapterConfig, 'filePrefixes'>, pipeline: string, fallback: string): string {
  return config.filePrefixes[pipeline.toUpperCase().replace(/[^A-Z0-9]/g, '_')] ?? fallback;
}
