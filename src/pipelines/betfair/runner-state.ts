/**
 * One runner's reconstructed state: what its definitions said (name, status, BSP, removal) and what its runner
 * changes said (last traded price, traded volume, SP projections, ladders). `freezeAtOff` copies the pre-off view
 * once, so "last traded price before the off" needs no history.
 */
import { applyLevelLadder, applyPriceLadder, LevelBook, PriceBook, type PriceSize } from './ladder';

/** Ladder depth kept in the output snapshot at the off (the full ladder stays in state). */
export const LADDER_DEPTH = 10;

export interface LadderSnapshot {
  back: PriceSize[];
  lay: PriceSize[];
  traded: PriceSize[];
}

export interface RunnerDefinition {
  id: number;
  hc?: number;
  name?: string;
  status?: string;
  sortPriority?: number;
  bsp?: number;
  adjustmentFactor?: number;
  removalDate?: string;
}

export class RunnerState {
  name: string | null = null;
  status = 'ACTIVE';
  sortPriority: number | null = null;
  firstSortPriority: number | null = null;
  bsp: number | null = null;
  adjustmentFactor: number | null = null;
  removalDate: string | null = null;
  ltp: number | null = null;
  tv: number | null = null;
  spn: number | null = null;
  spf: number | null = null;
  readonly atb = new PriceBook();
  readonly atl = new PriceBook();
  readonly trd = new PriceBook();
  readonly spb = new PriceBook();
  readonly spl = new PriceBook();
  readonly batb = new LevelBook();
  readonly batl = new LevelBook();
  readonly bdatb = new LevelBook();
  readonly bdatl = new LevelBook();
  offLtp: number | null = null;
  offTv: number | null = null;
  offLadders: LadderSnapshot | null = null;
  hasLadders = false;

  constructor(
    readonly id: number,
    readonly hc: number,
  ) {}

  applyDefinition(d: RunnerDefinition): void {
    // Names are sticky: a recording's first definition may carry none (flumine's greyhound file names runners only
    // in its last definition), and a later definition without names must not erase them.
    if (typeof d.name === 'string' && d.name.length > 0) this.name = d.name;
    if (typeof d.status === 'string') this.status = d.status;
    if (typeof d.sortPriority === 'number') {
      this.sortPriority = d.sortPriority;
      if (this.firstSortPriority === null) this.firstSortPriority = d.sortPriority;
    }
    if (typeof d.bsp === 'number') this.bsp = d.bsp;
    if (typeof d.adjustmentFactor === 'number') this.adjustmentFactor = d.adjustmentFactor;
    if (typeof d.removalDate === 'string') this.removalDate = d.removalDate;
  }

  applyChange(rc: Record<string, unknown>): void {
    if (typeof rc.ltp === 'number') this.ltp = rc.ltp;
    if (typeof rc.tv === 'number') this.tv = rc.tv;
    if (typeof rc.spn === 'number') this.spn = rc.spn;
    if (typeof rc.spf === 'number') this.spf = rc.spf;
    if (rc.trd !== undefined) {
      if (Array.isArray(rc.trd) && rc.trd.length === 0) this.trd.clear();
      else applyPriceLadder(this.trd, rc.trd);
    }
    if (rc.atb !== undefined) applyPriceLadder(this.atb, rc.atb);
    if (rc.atl !== undefined) applyPriceLadder(this.atl, rc.atl);
    if (rc.spb !== undefined) applyPriceLadder(this.spb, rc.spb);
    if (rc.spl !== undefined) applyPriceLadder(this.spl, rc.spl);
    if (rc.batb !== undefined) applyLevelLadder(this.batb, rc.batb);
    if (rc.batl !== undefined) applyLevelLadder(this.batl, rc.batl);
    if (rc.bdatb !== undefined) applyLevelLadder(this.bdatb, rc.bdatb);
    if (rc.bdatl !== undefined) applyLevelLadder(this.bdatl, rc.bdatl);
    if (
      !this.hasLadders &&
      (rc.atb !== undefined || rc.atl !== undefined || rc.batb !== undefined || rc.bdatb !== undefined || rc.trd !== undefined)
    ) {
      this.hasLadders = true;
    }
  }

  /** A full image (`img: true`) replaces the runner's books. */
  clearBooks(): void {
    this.atb.clear();
    this.atl.clear();
    this.trd.clear();
    this.spb.clear();
    this.spl.clear();
    this.batb.clear();
    this.batl.clear();
    this.bdatb.clear();
    this.bdatl.clear();
  }

  freezeAtOff(): void {
    this.offLtp = this.ltp;
    this.offTv = this.tv;
    this.offLadders = this.hasLadders ? this.ladders() : null;
  }

  /** Full-depth books win over best-offers views (as betfairlightweight serialises them). */
  ladders(): LadderSnapshot {
    const back =
      this.atb.size > 0
        ? this.atb.sorted(true, LADDER_DEPTH)
        : this.bdatb.size > 0
          ? this.bdatb.sorted(LADDER_DEPTH)
          : this.batb.sorted(LADDER_DEPTH);
    const lay =
      this.atl.size > 0
        ? this.atl.sorted(false, LADDER_DEPTH)
        : this.bdatl.size > 0
          ? this.bdatl.sorted(LADDER_DEPTH)
          : this.batl.sorted(LADDER_DEPTH);
    return { back, lay, traded: this.trd.sorted(false) };
  }
}
