/** The extractors that emit snapshot files, by name, and their provider profiles. */
import type { ProviderProfile } from '../../../core/provider';
import { bbrefSeasonTotals } from './bbref-season-totals';
import type { Extractor } from './framework';
import { publicJsonSnapshot } from './public-json';

export { runExtractor, type ExtractorReport } from './framework';

// biome-ignore lint: heterogeneous params
const EXTRACTORS: Extractor<any>[] = [publicJsonSnapshot, bbrefSeasonTotals];

// biome-ignore lint: heterogeneous params
export function getExtractor(name: string): Extractor<any> | undefined {
  return EXTRACTORS.find((e) => e.name === name);
}

export function listExtractors(): Array<{ name: string; description: string }> {
  return EXTRACTORS.map((e) => ({ name: e.name, description: e.description }));
}

/** basketball-reference asks bots for at most 20 requests a minute: one every 3 s fleet-wide, no burst. */
export const BBREF_PROVIDER: ProviderProfile = {
  name: 'basketball_reference',
  hostPattern: /(^|\.)basketball-reference\.com$/i,
  ratePerSec: 1 / 3,
  burst: 1,
};

/** A public feed may live on any host: its own bucket, one request every 2 s. */
export const PUBLIC_JSON_PROVIDER: ProviderProfile = { name: 'public_json', hostPattern: /^[a-z0-9.-]+$/i, ratePerSec: 0.5, burst: 1 };
