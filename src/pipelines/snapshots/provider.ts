/**
 * The provider profile of snapshot files: they are read from the FILES bucket, never from a provider host, so the
 * profile matches no host and its rate limit only bounds how fast one isolate drains a large drop.
 */
import type { ProviderProfile } from '../../core/provider';

export const SNAPSHOTS_PROVIDER: ProviderProfile = {
  name: 'snapshots',
  hostPattern: /^$/,
  ratePerSec: 50,
  burst: 50,
};
