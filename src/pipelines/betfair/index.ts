/** Betfair and racing sources: historic stream files and CSVs with column mappings (README "Betfair"). */
import type { AnyPipeline } from '../../core/pipeline';
import { csvImportPipeline } from './csv-import';
import { historicMarketPipeline } from './historic-market';
import { historicSyncPipeline } from './historic-sync';
import { marketBookPipeline } from './market-book';

export { BETFAIR_PROVIDER } from './provider';
export { marketIdsSchema, marketSetOf, marketsClosed, MAX_POLLED_MARKETS } from './market-book';

export const BETFAIR_PIPELINES: AnyPipeline[] = [historicMarketPipeline, historicSyncPipeline, csvImportPipeline, marketBookPipeline];

/**
 * The seed's daily historic sync (`0 2 * * *`): yesterday's GB and IE horse racing WIN markets. Seeded only where
 * the Betfair login secrets are set (`requires`): without them every run could only fail.
 */
export const BETFAIR_DEFAULT_SCHEDULES = [
  {
    id: 'betfair.historic_sync.daily',
    pipeline: 'betfair.historic_sync',
    params: { sport: 'Horse Racing', from: 'today-1', to: 'today-1', market_types: ['WIN'], countries: ['GB', 'IE'] },
    cron: '0 2 * * *',
    requires: ['BETFAIR_APP_KEY', 'BETFAIR_USERNAME', 'BETFAIR_PASSWORD'],
  },
];
