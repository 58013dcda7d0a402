import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const ok = { INTERNAL_AUTH_TOKEN: 'a-long-enough-token' };

function errorOf(vars: Record<string, unknown>): ConfigError {
  try {
    loadConfig(vars);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(ok)).toMatchObject({
      leaseDurationSec: 60,
      heartbeatIntervalSec: 20,
      maxAttempts: 5,
      baseRetryDelaySec: 15,
      maxRetryDelaySec: 300,
      insecureAuth: false,
      upstreamOverride: null,
    });
  });

  it('requires the auth token unless insecure mode is explicit', () => {
    expect(errorOf({}).variable).toBe('INTERNAL_AUTH_TOKEN');
    expect(errorOf({ INTERNAL_AUTH_TOKEN: 'short' }).message).toMatch(/at least 16/);
    expect(loadConfig({ ALLOW_INSECURE_INTERNAL_AUTH: 'true' }).insecureAuth).toBe(true);
    expect(errorOf({ ALLOW_INSECURE_INTERNAL_AUTH: 'yes' }).variable).toBe('ALLOW_INSECURE_INTERNAL_AUTH');
  });

  it.each([
    ['WORKER_LEASE_DURATION_SEC', '0'],
    ['WORKER_LEASE_DURATION_SEC', '-5'],
    ['WORKER_MAX_ATTEMPTS', 'five'],
    ['WORKER_BASE_RETRY_DELAY_SEC', '1.5'],
    ['PROVIDER_TIMEOUT_MS', '0'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    const err = errorOf({ ...ok, [name]: value });
    expect(err.variable).toBe(name);
    expect(err.message).toContain(name);
  });

  it('checks cross-field rules', () => {
    expect(errorOf({ ...ok, WORKER_HEARTBEAT_INTERVAL_SEC: '60' }).variable).toBe('WORKER_HEARTBEAT_INTERVAL_SEC');
    expect(errorOf({ ...ok, WORKER_BASE_RETRY_DELAY_SEC: '30', WORKER_MAX_RETRY_DELAY_SEC: '10' }).variable).toBe(
      'WORKER_MAX_RETRY_DELAY_SEC',
    );
    expect(errorOf({ ...ok, UPSTREAM_OVERRIDE: 'ftp://x' }).variable).toBe('UPSTREAM_OVERRIDE');
    expect(loadConfig({ ...ok, UPSTREAM_OVERRIDE: 'http://127.0.0.1:9400/' }).upstreamOverride).toBe('http://127.0.0.1:9400');
    expect(errorOf({ ...ok, PROVIDER_RATE_OVERRIDE: '-1' }).variable).toBe('PROVIDER_RATE_OVERRIDE');
    expect(loadConfig({ ...ok, PROVIDER_RATE_SMOOTHCOMP: '0.05' }).providerRates).toEqual({ smoothcomp: 0.05 });
    expect(errorOf({ ...ok, PROVIDER_RATE_LIVERC: 'fast' }).variable).toBe('PROVIDER_RATE_LIVERC');
    expect(loadConfig({ ...ok, PROVIDER_RATE_SOFASCORE: '0.1', PROVIDER_BLOCKED_RETRY_SEC_SOFASCORE: '3600' })).toMatchObject({
      providerRates: { sofascore: 0.1 },
      providerBlockedRetrySec: { sofascore: 3600 },
    });
    expect(errorOf({ ...ok, PROVIDER_BLOCKED_RETRY_SEC_SOFASCORE: '99999' }).variable).toBe('PROVIDER_BLOCKED_RETRY_SEC_SOFASCORE');
    expect(loadConfig({ ...ok, LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
    expect(errorOf({ ...ok, LOG_LEVEL: 'loud' }).variable).toBe('LOG_LEVEL');
    expect(errorOf({ ...ok, STORE: 'mysql' }).variable).toBe('STORE');
    expect(errorOf({ ...ok, STORE: 'postgres' }).message).toMatch(/HYPERDRIVE/);
    expect(loadConfig({ ...ok, STORE: 'postgres', HYPERDRIVE: {} }).store).toBe('postgres');
  });
});
