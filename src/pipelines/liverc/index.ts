import type { AnyPipeline } from '../../core/pipeline';
import type { ProviderProfile } from '../../core/provider';

export const LIVERC_PIPELINES: AnyPipeline[] = [];
export const LIVERC_PROVIDER: ProviderProfile = {
  name: 'liverc',
  hostPattern: /(^|\.)liverc\.com$/i,
  ratePerSec: 1,
  burst: 2,
};
