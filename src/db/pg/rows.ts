/** Row <-> domain mapping for the Postgres store: one definition for both stores, in src/db/shared/rows.ts. */
export { toAttempt, toJob, toNormalized, toPublication, toSchedule, toSnapshot, toTransition } from '../shared/rows';
