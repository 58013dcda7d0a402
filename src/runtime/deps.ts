import type { AdapterConfig } from '../core/config';
import type { BlobStore, JobQueue, JobStore, Logger, ScopePublisherPort } from '../core/ports';
import type { ProviderClient } from './provider-client';

/** Everything the runtime needs, built once per invocation at the edge (src/wiring/env-ports.ts). */
export interface RuntimeDeps {
  store: JobStore;
  blobs: BlobStore;
  queue: JobQueue;
  publisher: ScopePublisherPort;
  client: ProviderClient;
  config: AdapterConfig;
  log: Logger;
  now: () => number;
  /** Identifies this consumer in claims and transitions. */
  workerId: string;
  random?: () => number;
  /** Starts push delivery of a publication that just committed (best effort: the outbox relay covers a failure). */
  afterPublish?: (publicationId: string) => Promise<void>;
}
