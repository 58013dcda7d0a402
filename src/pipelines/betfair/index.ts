/** Betfair and racing sources: historic stream files and CSVs with column mappings (README "Betfair"). */
import type { AnyPipeline } from '../../core/pipeline';
import { csvImportPipeline } from './csv-import';
import { historicMarketPipeline } from './historic-market';
import { marketBookPipeline } from './market-book';

export { BETFAIR_PROVIDER } from './provider';
export { marketIdsSchema, marketSetOf, MAX_POLLED_MARKETS } from './market-book';

export const BETFAIR_PIPELINES: AnyPipeline[] = [historicMarketPipeline, csvImportPipeline, marketBookPipeline];
