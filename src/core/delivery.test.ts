import { describe, expect, it } from 'vitest';
import { loadDeliveryConfig } from './delivery-config';
import { checkTarget, classifyStatus, DEFAULT_DELIVERY_POLICY, parseRetryAfter, retryDelaySec, subscriptionMatches } from './delivery';

describe('delivery policy', () => {
  it('allows only listed hosts (port-exact when given, *.domain for subdomains) and configured service bindings', () => {
    const hosts = ['127.0.0.1', 'hooks.example.com:8443', '*.nest.internal'];
    expect(checkTarget('http://127.0.0.1:9999/h', hosts)).toMatchObject({ ok: true, kind: 'http' });
    expect(checkTarget('https://hooks.example.com:8443/h', hosts).ok).toBe(true);
    expect(checkTarget('https://hooks.example.com/h', hosts).ok).toBe(false);
    expect(checkTarget('https://a.nest.internal/h', hosts).ok).toBe(true);
    expect(checkTarget('https://nest.internal/h', hosts).ok).toBe(false);
    expect(checkTarget('https://evilnest.internal/h', hosts).ok).toBe(false);
    expect(checkTarget('https://127.0.0.1.evil.com/h', hosts).ok).toBe(false);
    expect(checkTarget('http://u:p@127.0.0.1/h', hosts).ok).toBe(false);
    expect(checkTarget('file:///etc/passwd', hosts).ok).toBe(false);
    expect(checkTarget('service:NEST', hosts, ['NEST'])).toEqual({ ok: true, kind: 'service', binding: 'NEST' });
    expect(checkTarget('service:OTHER', hosts, ['NEST']).ok).toBe(false);
    expect(checkTarget('http://127.0.0.1/h', []).ok).toBe(false);
  });

  it('backs off exponentially with jitter, capped; Retry-After wins, capped', () => {
    const p = { ...DEFAULT_DELIVERY_POLICY, baseRetrySec: 10, maxRetrySec: 100 };
    expect([1, 2, 3, 4, 5].map((a) => retryDelaySec(p, a, null, () => 1))).toEqual([10, 20, 40, 80, 100]);
    expect(retryDelaySec(p, 3, null, () => 0)).toBe(20);
    expect(retryDelaySec(p, 1, 7, () => 0)).toBe(7);
    expect(retryDelaySec(p, 1, 99_999, () => 0)).toBe(100);
    expect(parseRetryAfter('120', 0)).toBe(120);
    expect(parseRetryAfter(new Date(60_000).toUTCString(), 0)).toBe(60);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect([200, 204, 301, 400, 401, 408, 429, 500, 503].map(classifyStatus)).toEqual([
      'delivered',
      'delivered',
      'rejected',
      'rejected',
      'rejected',
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
  });

  it('matches pipelines and scopes; reads and validates its configuration', () => {
    expect(subscriptionMatches({ enabled: true, pipelines: [], scopeFilter: [] }, 'a.b', 'all')).toBe(true);
    expect(subscriptionMatches({ enabled: false, pipelines: [], scopeFilter: [] }, 'a.b', 'all')).toBe(false);
    expect(subscriptionMatches({ enabled: true, pipelines: ['a.b'], scopeFilter: ['a.b x=1'] }, 'a.b', 'x=2')).toBe(false);
    expect(loadDeliveryConfig({ DELIVERY_ALLOWED_HOSTS: ' a.com , *.b.org:443 ', DELIVERY_MAX_ATTEMPTS: '3' })).toMatchObject({
      allowedHosts: ['a.com', '*.b.org:443'],
      maxAttempts: 3,
    });
    expect(() => loadDeliveryConfig({ DELIVERY_ALLOWED_HOSTS: 'http://a.com' })).toThrow(/DELIVERY_ALLOWED_HOSTS/);
    expect(() => loadDeliveryConfig({ DELIVERY_MAX_ATTEMPTS: '0' })).toThrow(/DELIVERY_MAX_ATTEMPTS/);
    expect(() => loadDeliveryConfig({ DELIVERY_BASE_RETRY_SEC: '50', DELIVERY_MAX_RETRY_SEC: '10' })).toThrow(/DELIVERY_MAX_RETRY_SEC/);
  });
});
