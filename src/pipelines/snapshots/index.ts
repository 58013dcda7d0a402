/** Snapshot import (seed 002, HoopScout): strict JSON snapshot files dropped into the FILES bucket, and the extractors that emit them. */
import type { AnyPipeline } from '../../core/pipeline';
import { importFilePipeline } from './import-file';
import { seasonPipeline } from './season';

export { SNAPSHOTS_PROVIDER } from './provider';
export { BBREF_PROVIDER, PUBLIC_JSON_PROVIDER } from './extractors';
export { IMPORT_PIPELINE, SEASON_PIPELINE } from './import-file';

export const SNAPSHOT_PIPELINES: AnyPipeline[] = [importFilePipeline, seasonPipeline];
