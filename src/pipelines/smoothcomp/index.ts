import type { AnyPipeline } from '../../core/pipeline';
import type { ProviderProfile } from '../../core/provider';

export const SMOOTHCOMP_PIPELINES: AnyPipeline[] = [];
export const SMOOTHCOMP_PROVIDER: ProviderProfile = {
  name: 'smoothcomp',
  hostPattern: /(^|\.)smoothcomp\.com$/i,
  ratePerSec: 0.2,
  burst: 1,
};
