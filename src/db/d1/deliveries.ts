/** webhook_subscriptions and webhook_deliveries in D1: one definition for both stores, in src/db/shared/deliveries.ts. */
import { drizzle } from 'drizzle-orm/d1';
import type { Publication } from '../../core/types';
import { SqlDeliveryStore } from '../shared/deliveries';
import * as outbox from '../shared/delivery-sql';
import type { Db } from './batch';
import { d1Dialect, d1Sql } from './dialect';

/** The fan-out of a publication to its subscriptions, run in the publication's batch (src/db/shared/delivery-sql.ts). */
export const fanOutStatement = (pub: Publication) => outbox.fanOutStatement(d1Sql, pub);

export class D1DeliveryStore extends SqlDeliveryStore {
  constructor(d1: D1Database) {
    super(d1Dialect(drizzle(d1) as Db));
  }
}
