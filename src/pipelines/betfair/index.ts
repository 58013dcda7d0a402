/** Betfair and racing sources: historic stream files and CSVs with column mappings (README "Betfair"). */
import type { AnyPipeline } from '../../core/pipeline';
import { csvImportPipeline } from './csv-import';
import { historicMarketPipeline } from './historic-market';

export { BETFAIR_PROVIDER } from './provider';

export const BETFAIR_PIPELINES: AnyPipeline[] = [historicMarketPipeline, csvImportPipeline];
