/**
 * Push delivery settings from wrangler vars, validated like the rest of the configuration (a bad value is a
 * ConfigError naming the variable). Kept apart from config.ts: only delivery code reads these.
 */
import { ConfigError } from './config';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './delivery';

export interface DeliveryConfig extends DeliveryPolicy {
  /** Service bindings a subscription may target as `service:<BINDING>`. */
  serviceBindings: string[];
}

function int(vars: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const raw = vars[name];
  if (raw === undefined || raw === null || String(raw).trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(name, `must be a whole number between ${min} and ${max}, got "${String(raw)}"`);
  return n;
}

const list = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export function loadDeliveryConfig(vars: Record<string, unknown>): DeliveryConfig {
  const d = DEFAULT_DELIVERY_POLICY;
  const allowedHosts = list(vars.DELIVERY_ALLOWED_HOSTS);
  for (const h of allowedHosts) {
    if (!/^(\*\.)?[a-z0-9.-]+(:(\d{1,5}|\*))?$/i.test(h))
      throw new ConfigError('DELIVERY_ALLOWED_HOSTS', `"${h}" is not host, host:port or *.domain`);
  }
  const serviceBindings = list(vars.DELIVERY_SERVICE_BINDINGS);
  for (const b of serviceBindings) {
    if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(b)) throw new ConfigError('DELIVERY_SERVICE_BINDINGS', `"${b}" is not a binding name`);
  }
  const baseRetrySec = int(vars, 'DELIVERY_BASE_RETRY_SEC', d.baseRetrySec, 1, 43_200);
  const maxRetrySec = int(vars, 'DELIVERY_MAX_RETRY_SEC', d.maxRetrySec, 1, 43_200);
  if (maxRetrySec < baseRetrySec)
    throw new ConfigError('DELIVERY_MAX_RETRY_SEC', `must be at least DELIVERY_BASE_RETRY_SEC (${maxRetrySec} < ${baseRetrySec})`);
  return {
    maxAttempts: int(vars, 'DELIVERY_MAX_ATTEMPTS', d.maxAttempts, 1, 100),
    baseRetrySec,
    maxRetrySec,
    timeoutMs: int(vars, 'DELIVERY_TIMEOUT_MS', d.timeoutMs, 100, 60_000),
    allowedHosts,
    serviceBindings,
  };
}
