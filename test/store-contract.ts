/**
 * The Store contract: direct store-level tests of every port method (src/core/ports.ts), run against each
 * implementation (test/store-d1.test.ts, test/store-pg/*.test.ts). Every test starts from an empty, migrated
 * store made by `makeStore` and calls `cleanup` afterwards. The groups live in test/store-contract/, registered here
 * in order; their shared fixtures are in test/store-contract/fixtures.ts.
 */
import { describe } from 'vitest';
import { describeAdmin } from './store-contract/admin';
import { describeBatchReads } from './store-contract/batch-reads';
import { describeCarryReads } from './store-contract/carry-reads';
import { describeClaims } from './store-contract/claims';
import { describeDecisions } from './store-contract/decisions';
import { describeDeliveries } from './store-contract/deliveries';
import { describeDeliveryOrder } from './store-contract/delivery-order';
import { describeDeliverySummary } from './store-contract/delivery-summary';
import type { MakeStore } from './store-contract/fixtures';
import { describeImports } from './store-contract/imports';
import { describeJobs } from './store-contract/jobs';
import { describeLeases } from './store-contract/leases';
import { describeMetrics } from './store-contract/metrics';
import { describeRequestedBy } from './store-contract/requested-by';
import { describeResults } from './store-contract/results';
import { describeSchedules } from './store-contract/schedules';
import { describeSnapshotWrites } from './store-contract/snapshot-writes';
import { describeTransitions } from './store-contract/transitions';

export type { StoreHarness } from './store-contract/fixtures';

export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract: ${name}`, () => {
    describeJobs(makeStore);
    describeClaims(makeStore);
    describeLeases(makeStore);
    describeAdmin(makeStore);
    describeResults(makeStore);
    describeCarryReads(makeStore);
    describeDecisions(makeStore);
    describeSnapshotWrites(makeStore);
    describeSchedules(makeStore);
    describeTransitions(makeStore);
    describeRequestedBy(makeStore);
    describeImports(makeStore);
    describeDeliveries(makeStore);
    describeDeliveryOrder(makeStore);
    describeDeliverySummary(makeStore);
    describeBatchReads(makeStore);
    describeMetrics(makeStore);
  });
}
