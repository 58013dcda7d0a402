/** webhook_subscriptions and webhook_deliveries in Postgres: one definition for both stores, in src/db/shared/deliveries.ts. */
import type { Publication } from '../../core/types';
import { SqlDeliveryStore } from '../shared/deliveries';
import * as outbox from '../shared/delivery-sql';
import { createDb, type Sql } from './client';
import { pgDialect, pgSql } from './dialect';

/** The fan-out of a publication to its subscriptions, run in the publication's transaction (src/db/shared/delivery-sql.ts). */
export const fanOutStatement = (pub: Publication) => outbox.fanOutStatement(pgSql, pub);

export class PgDeliveryStore extends SqlDeliveryStore {
  constructor(sql: Sql) {
    super(pgDialect(createDb(sql)));
  }
}
