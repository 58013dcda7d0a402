/**
 * The raw_snapshots rows of a running attempt that are not stored yet. Each row rides the attempt's next guarded
 * write instead of a round trip of its own: the decision batch for an attempt that reaches one, the finish for one
 * that fails, retries, continues or skips. The body is in R2 (content-addressed) before its row is recorded here, so
 * a stored row always has its body; a crash before that write loses only rows (the next attempt fetches again, and
 * a content-addressed body written twice is one object). A long plan also flushes the rows on their own once the
 * oldest has waited `flushAfterMs` (the heartbeat interval), so a crash costs at most that much fetching, or once
 * MAX_PENDING are waiting, so no batch grows with the plan.
 */
import type { ClaimRef, Logger, NewSnapshot, Store } from '../core/ports';

/** A flush writes the rows once this many wait: a decision or finish batch carries fewer. */
export const MAX_PENDING = 50;

export class PendingSnapshots {
  private pending: NewSnapshot[] = [];
  private oldestAt: number | null = null;

  constructor(private readonly flushAfterMs = Number.POSITIVE_INFINITY) {}

  add(row: NewSnapshot, now: number): void {
    if (this.pending.length === 0) this.oldestAt = now;
    this.pending.push(row);
  }

  /** What the next write carries (a copy: rows added meanwhile stay pending). */
  get rows(): NewSnapshot[] {
    return this.pending.slice();
  }

  /** The given rows landed (with the decision, the finish or a flush): no longer pending. */
  stored(rows: readonly NewSnapshot[]): void {
    const done = new Set(rows.map((r) => r.id));
    this.pending = this.pending.filter((r) => !done.has(r.id));
    if (this.pending.length === 0) this.oldestAt = null;
  }

  /** Writes the pending rows on their own, under the claim, once the oldest has waited `flushAfterMs` or too many wait. */
  async flushIfDue(store: Store, ref: ClaimRef, now: number): Promise<void> {
    if (this.oldestAt === null || (now - this.oldestAt < this.flushAfterMs && this.pending.length < MAX_PENDING)) return;
    const rows = this.rows;
    const written = new Set(await store.insertSnapshots(rows, ref));
    // A row not written: the claim is gone (the attempt's end keeps it as evidence) or it exists already.
    this.stored(rows.filter((r) => written.has(r.id)));
    this.oldestAt = this.pending.length ? now : null;
  }

  /**
   * The claim was lost before the rows could ride a guarded write: they are stored anyway, unguarded as a snapshot
   * row always was, because they are evidence of what the provider answered. Each names its own attempt, and no job
   * state depends on them (a replay reads the final attempt's rows, which a lost claim never is).
   */
  async keepAsEvidence(store: Store, log: Logger): Promise<void> {
    const rows = this.rows;
    for (const row of rows) {
      await store.insertSnapshot(row).catch((err) => log.warn('snapshot row of a lost claim not stored', { error: String(err) }));
    }
    this.stored(rows);
  }
}
