import { retryDelaySec } from '../core/backoff';
import type { RuntimeDeps } from './deps';

/** The configured exponential backoff for the attempt that just failed, honouring a provider's Retry-After. */
export function backoffFor(deps: Pick<RuntimeDeps, 'config' | 'random'>, attempt: number, retryAfterSec?: number): number {
  return retryDelaySec(
    { baseSec: deps.config.baseRetryDelaySec, maxSec: deps.config.maxRetryDelaySec },
    attempt,
    retryAfterSec,
    deps.random,
  );
}
