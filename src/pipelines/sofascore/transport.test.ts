/** The provider transport's classification of SofaScore answers (real ProviderClient, a stub HTTP port). */
import { describe, expect, it } from 'vitest';
import { ProviderClient } from '../../runtime/provider-client';
import { SOFASCORE_PROVIDER } from './provider';
import { BODIES } from './test-fixtures';

function client(status: number, body: string, blockedRetrySec?: Record<string, number>) {
  return new ProviderClient({
    http: { fetch: async () => new Response(body, { status, headers: { 'content-type': 'application/json' } }) },
    limiter: { acquire: async () => undefined },
    upstreamOverride: null,
    userAgent: 'test',
    timeoutMs: 1000,
    blockedRetrySec,
  });
}
const req = { resourceType: 'event', resourceKey: '1', url: 'https://www.sofascore.com/api/v1/event/1', optional: true };

describe('SofaScore through the provider transport', () => {
  it('a challenge is a retryable PROVIDER_BLOCKED after the profile delay, or the configured one', async () => {
    await expect(client(403, BODIES.challenge).fetch(SOFASCORE_PROVIDER, req)).rejects.toMatchObject({
      code: 'PROVIDER_BLOCKED',
      category: 'provider',
      retryable: true,
      retryAfterSec: 1800,
    });
    await expect(client(403, BODIES.challenge, { sofascore: 7200 }).fetch(SOFASCORE_PROVIDER, req)).rejects.toMatchObject({
      retryAfterSec: 7200,
    });
  });
  it('a 404 reaches the parser (which says NOT_FOUND); a 500 is retryable; other hosts are refused', async () => {
    await expect(client(404, BODIES.notFound).fetch(SOFASCORE_PROVIDER, req)).resolves.toMatchObject({ status: 404 });
    await expect(client(503, 'x').fetch(SOFASCORE_PROVIDER, req)).rejects.toMatchObject({ code: 'PROVIDER_5XX', retryable: true });
    await expect(client(200, '{}').fetch(SOFASCORE_PROVIDER, { ...req, url: 'https://api.example.com/x' })).rejects.toMatchObject({
      code: 'HOST_NOT_ALLOWED',
    });
  });
});
