/**
 * Price ladders of one runner as the Exchange Stream sends them. Two encodings (Exchange Stream API, RunnerChange):
 * - price-keyed `[price, size]` (atb, atl, trd, spb, spl): size 0 removes the price; an empty `trd` clears traded.
 * - level-keyed `[level, price, size]` (batb, batl, bdatb, bdatl): size 0 removes the level.
 *
 * Updates are the hot path of a reconstruction (tens of ladder rows per message), so the books are flat typed
 * arrays that an update writes in place, with no allocation per row: a price-keyed book is indexed by the price's
 * tick on Betfair's standard ladder (350 ticks, 1.01-1000), a level-keyed book by its level. Keys are kept exactly
 * as a Map would keep them: a slot holds one exact price, and a price off the standard ladder (or a second double
 * for a taken slot, or an unusual level) goes to a Map beside the arrays. Sorting happens only when a snapshot is
 * taken (the off, the summary), never per update. State is bounded by the ladder, never by the file length.
 */
export type PriceSize = [price: number, size: number];

const TICKS = 350;

/** The tick of a price on the standard ladder, or -1 when it is not (within rounding) one of its 350 prices. */
export function tickOf(price: number): number {
  // Bands of the standard ladder: [first price, step, first tick]; the last band ends at 1000. Branches, not a
  // table walk: this runs for every ladder row of every update.
  if (!(price >= 1.01 && price <= 1000)) return -1;
  if (price < 2) return onTick(price, 1.01, 0.01, 0);
  if (price < 3) return onTick(price, 2, 0.02, 99);
  if (price < 4) return onTick(price, 3, 0.05, 149);
  if (price < 6) return onTick(price, 4, 0.1, 169);
  if (price < 10) return onTick(price, 6, 0.2, 189);
  if (price < 20) return onTick(price, 10, 0.5, 209);
  if (price < 30) return onTick(price, 20, 1, 229);
  if (price < 50) return onTick(price, 30, 2, 239);
  if (price < 100) return onTick(price, 50, 5, 249);
  return onTick(price, 100, 10, 259);
}

function onTick(price: number, from: number, step: number, first: number): number {
  const k = Math.round((price - from) / step);
  return Math.abs(from + k * step - price) > 1e-9 ? -1 : first + k;
}

/** A price-keyed book: size by exact price. Its arrays are allocated on the first price (a BASIC file has none). */
export class PriceBook {
  private prices: Float64Array | null = null;
  private sizes = new Float64Array(0);
  /** Slots in use (size 0 is never stored: it deletes). */
  private used = new Uint8Array(0);
  private inSlots = 0;
  private other: Map<number, number> | null = null;

  get size(): number {
    return this.inSlots + (this.other?.size ?? 0);
  }

  set(price: number, size: number): void {
    const t = tickOf(price);
    if (t >= 0) {
      if (this.prices === null) {
        this.prices = new Float64Array(TICKS);
        this.sizes = new Float64Array(TICKS);
        this.used = new Uint8Array(TICKS);
      }
      if (this.used[t] === 0) {
        this.used[t] = 1;
        this.prices[t] = price;
        this.inSlots++;
        this.sizes[t] = size;
        return;
      }
      if (this.prices[t] === price) {
        this.sizes[t] = size;
        return;
      }
    }
    (this.other ??= new Map()).set(price, size);
  }

  delete(price: number): void {
    const t = tickOf(price);
    if (t >= 0 && this.used[t] === 1 && this.prices?.[t] === price) {
      this.used[t] = 0;
      this.inSlots--;
      return;
    }
    this.other?.delete(price);
  }

  clear(): void {
    this.used.fill(0);
    this.inSlots = 0;
    this.other = null;
  }

  /** Best `depth` prices: back ladders best-first descending, lay and traded ascending. */
  sorted(descending: boolean, depth = Number.POSITIVE_INFINITY): PriceSize[] {
    const rows: PriceSize[] = [];
    const other = this.other && this.other.size > 0 ? this.other : null;
    // Slots are in price order already; only prices beside them need a sort.
    const limit = other ? Number.POSITIVE_INFINITY : depth;
    const prices = this.prices;
    for (let i = 0; prices && i < TICKS && rows.length < limit; i++) {
      const t = descending ? TICKS - 1 - i : i;
      if (this.used[t] === 1) rows.push([prices[t] as number, this.sizes[t] as number]);
    }
    if (other) {
      for (const [p, s] of other) rows.push([p, s]);
      rows.sort(descending ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0]);
    }
    return rows.length > depth ? rows.slice(0, depth) : rows;
  }
}

const LEVELS = 10;

/** A level-keyed book: [price, size] by level (0 is the best). */
export class LevelBook {
  private readonly prices = new Float64Array(LEVELS);
  private readonly sizes = new Float64Array(LEVELS);
  private readonly used = new Uint8Array(LEVELS);
  private inSlots = 0;
  private other: Map<number, PriceSize> | null = null;

  get size(): number {
    return this.inSlots + (this.other?.size ?? 0);
  }

  set(level: number, price: number, size: number): void {
    if (Number.isInteger(level) && level >= 0 && level < LEVELS) {
      if (this.used[level] === 0) {
        this.used[level] = 1;
        this.inSlots++;
      }
      this.prices[level] = price;
      this.sizes[level] = size;
      return;
    }
    (this.other ??= new Map()).set(level, [price, size]);
  }

  delete(level: number): void {
    if (Number.isInteger(level) && level >= 0 && level < LEVELS) {
      if (this.used[level] === 1) {
        this.used[level] = 0;
        this.inSlots--;
      }
      return;
    }
    this.other?.delete(level);
  }

  clear(): void {
    this.used.fill(0);
    this.inSlots = 0;
    this.other = null;
  }

  /** The best `depth` levels in level order. */
  sorted(depth = Number.POSITIVE_INFINITY): PriceSize[] {
    const rows: Array<[level: number, row: PriceSize]> = [];
    for (let l = 0; l < LEVELS; l++) if (this.used[l] === 1) rows.push([l, [this.prices[l] as number, this.sizes[l] as number]]);
    if (this.other && this.other.size > 0) {
      for (const [l, row] of this.other) rows.push([l, row]);
      rows.sort((a, b) => a[0] - b[0]);
    }
    const out = rows.map((r) => r[1]);
    return out.length > depth ? out.slice(0, depth) : out;
  }
}

export function applyPriceLadder(book: PriceBook, update: unknown): void {
  if (!Array.isArray(update)) return;
  for (const row of update) {
    if (!Array.isArray(row) || row.length < 2) continue;
    const price = row[0];
    const size = row[1];
    if (typeof price !== 'number' || typeof size !== 'number') continue;
    if (size === 0) book.delete(price);
    else book.set(price, size);
  }
}

export function applyLevelLadder(book: LevelBook, update: unknown): void {
  if (!Array.isArray(update)) return;
  for (const row of update) {
    if (!Array.isArray(row) || row.length < 3) continue;
    const level = row[0];
    const price = row[1];
    const size = row[2];
    if (typeof level !== 'number' || typeof price !== 'number' || typeof size !== 'number') continue;
    if (size === 0) book.delete(level);
    else book.set(level, price, size);
  }
}
