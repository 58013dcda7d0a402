import type { DeliveryConfig } from '../../core/delivery-config';
import type { DeliveryQueue, DeliveryStore, DeliveryTransport } from '../../core/delivery-ports';
import type { BlobStore, Store, Logger } from '../../core/ports';
import type { Delivery } from '../../core/delivery';

/** What the delivery runtime needs; built at the edge (src/wiring/env-ports.ts: buildDeliveryDeps). */
export interface DeliveryDeps {
  deliveries: DeliveryStore;
  /** Publications (the envelope's metadata) live in the store. */
  store: Store;
  blobs: BlobStore;
  queue: DeliveryQueue;
  transport: DeliveryTransport;
  config: DeliveryConfig;
  log: Logger;
  now: () => number;
  random?: () => number;
  /** Fault injection for tests: runs after the receiver answered 2xx and before the delivery is marked delivered. */
  afterSend?: (d: Delivery) => void | Promise<void>;
}
