/**
 * A provider response that was received but refused (a block page, a 4xx/5xx) is still evidence: the error thrown
 * for it carries the response, so the fetch loop stores it as a raw snapshot before the job fails or retries.
 */
import type { ProviderResponse } from './provider-client';

const evidence = new WeakMap<object, ProviderResponse>();

export function withEvidence<T>(f: () => T, res: ProviderResponse): T {
  try {
    return f();
  } catch (err) {
    if (err !== null && typeof err === 'object')
      evidence.set(err, { url: res.url, status: res.status, contentType: res.contentType, bytes: res.bytes, body: res.body });
    throw err;
  }
}

export function evidenceOf(err: unknown): ProviderResponse | undefined {
  return err !== null && typeof err === 'object' ? evidence.get(err) : undefined;
}
