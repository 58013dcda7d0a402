import type { AdapterConfig } from '../core/config';
import type { BlobStore, JobQueue, Store, Logger, ScopePublisherPort } from '../core/ports';
import type { Job } from '../core/types';
import type { ProviderClient } from './provider-client';
import type { Sources } from './sources';

/** Everything the runtime needs, built once per invocation at the edge (src/wiring/env-ports.ts). */
export interface RuntimeDeps {
  store: Store;
  blobs: BlobStore;
  queue: JobQueue;
  publisher: ScopePublisherPort;
  /** The `http` source's transport (src/runtime/sources.ts wraps it). */
  client: ProviderClient;
  /** The FILES bucket (dropped files, settle moves); the `r2` source reads it. */
  files?: BlobStore;
  /** Injected sources by name; without one, `http` is `client` and `r2` is `files`. */
  sources?: Sources;
  config: AdapterConfig;
  log: Logger;
  now: () => number;
  /** Identifies this consumer in claims and transitions. */
  workerId: string;
  random?: () => number;
  /** Starts push delivery of a publication that just committed (best effort: the outbox relay covers a failure). */
  afterPublish?: (publicationId: string) => Promise<void>;
  /**
   * After a finished job's files were settled (the snapshot import ledger); a failure is logged, the cron catches up.
   * `pipelines` says which jobs it follows, so every other job pays no read for it.
   */
  afterSettle?: { pipelines: (pipeline: string) => boolean; run: (job: Job) => Promise<void> };
}
