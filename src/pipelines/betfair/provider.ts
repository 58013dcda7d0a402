/**
 * The Betfair provider profile. Historic files and CSVs come from the FILES bucket (source `r2`) and cost no
 * provider request; the profile matters for the Historic Data API and live polling, which go through the
 * transport (rate limiter, UPSTREAM_OVERRIDE). Betfair's documented guidance for the Historic Data API is modest
 * request rates; 2/s fleet-wide with a burst of 4 stays well inside it.
 */
import type { ProviderProfile } from '../../core/provider';

export const BETFAIR_PROVIDER: ProviderProfile = {
  name: 'betfair',
  hostPattern: /(^|\.)betfair\.com$/i,
  ratePerSec: 2,
  burst: 4,
};

/** Default FILES prefixes the file triggers claim. */
export const HISTORIC_PREFIX = 'betfair/historic/';
export const CSV_PREFIX = 'betfair/csv/';

/**
 * Betfair reports stakes and traded volumes of its historic data in GBP, the exchange's base currency (an
 * assumption stated, not read from a file: the stream carries no currency field). A job may say otherwise.
 */
export const BETFAIR_DEFAULT_CURRENCY = 'GBP';
