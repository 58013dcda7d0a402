/**
 * Keeps a claim alive while a job works: renews the lease every heartbeat interval (carrying progress), and
 * notices when the lease was lost (cancelled, or taken over after a stall) so the worker stops writing.
 */
import { RetryableError } from '../core/errors';
import type { ClaimRef, Store, Logger } from '../core/ports';

export class LeaseKeeper {
  private timer: ReturnType<typeof setInterval> | undefined;
  private progress = { done: 0, total: 0 };
  private lost = false;
  private renewing: Promise<void> | null = null;
  private lastWrite = 0;
  /** Progress is written with a lease renewal, at most this often, so GET /jobs/{id} shows a live job moving. */
  static readonly PROGRESS_WRITE_MS = 2_000;

  constructor(
    private readonly store: Store,
    private readonly ref: ClaimRef,
    private readonly leaseMs: number,
    private readonly heartbeatMs: number,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {
    this.lastWrite = now();
  }

  start(): this {
    this.timer = setInterval(() => void this.renew(), this.heartbeatMs);
    return this;
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The latest progress reported, for the outcome write (progress between renewals is otherwise never stored). */
  get currentProgress(): { done: number; total: number } {
    return { ...this.progress };
  }

  setProgress(done: number, total: number): void {
    this.progress = { done, total };
    if (this.now() - this.lastWrite >= LeaseKeeper.PROGRESS_WRITE_MS && !this.renewing && !this.lost) {
      void this.renew().catch(() => undefined);
    }
  }

  /** Renews now; throws when the claim is no longer ours. */
  async renew(): Promise<void> {
    if (this.renewing) return this.renewing;
    this.renewing = (async () => {
      try {
        const now = this.now();
        this.lastWrite = now;
        const ok = await this.store.renewLease(this.ref, now, now + this.leaseMs, this.progress);
        if (!ok) {
          this.lost = true;
          this.stop();
          this.log.warn('lease lost', { job_id: this.ref.jobId, attempt: this.ref.attemptNumber });
        }
      } catch (err) {
        this.log.warn('lease renewal failed', { job_id: this.ref.jobId, error: String(err) });
      } finally {
        this.renewing = null;
      }
    })();
    await this.renewing;
    this.assertHeld();
  }

  assertHeld(): void {
    if (this.lost) throw new RetryableError('LEASE_LOST', 'lease', `job ${this.ref.jobId} is no longer claimed by this consumer`);
  }

  get isLost(): boolean {
    return this.lost;
  }
}
