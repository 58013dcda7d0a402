/**
 * The registry: every pipeline and provider profile the adapter knows. Adding a provider touches its folder and
 * one line in each list below.
 */
import type { AnyPipeline } from '../core/pipeline';
import type { ProviderProfile } from '../core/provider';
import { LIVERC_PIPELINES, LIVERC_PROVIDER } from './liverc';
import { AJPTOUR_PIPELINES, AJPTOUR_PROVIDER, SMOOTHCOMP_PIPELINES, SMOOTHCOMP_PROVIDER } from './smoothcomp';

const PIPELINES: AnyPipeline[] = [...LIVERC_PIPELINES, ...SMOOTHCOMP_PIPELINES, ...AJPTOUR_PIPELINES];

const PROVIDERS: ProviderProfile[] = [LIVERC_PROVIDER, SMOOTHCOMP_PROVIDER, AJPTOUR_PROVIDER];

const pipelineByName = new Map(PIPELINES.map((p) => [p.name, p]));
const providerByName = new Map(PROVIDERS.map((p) => [p.name, p]));

export function getPipeline(name: string): AnyPipeline | undefined {
  return pipelineByName.get(name);
}

export function listPipelines(): AnyPipeline[] {
  return [...PIPELINES];
}

export function getProvider(name: string): ProviderProfile | undefined {
  return providerByName.get(name);
}

export function listProviders(): ProviderProfile[] {
  return [...PROVIDERS];
}
