/** File pipelines read the FILES bucket through the r2 source (src/runtime/sources.ts); no HTTP provider. */
import type { AnyPipeline } from '../../core/pipeline';
import { jsonLinesPipeline } from './json-lines';

export const FILES_PIPELINES: AnyPipeline[] = [jsonLinesPipeline];
