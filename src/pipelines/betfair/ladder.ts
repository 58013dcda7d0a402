/**
 * Price ladders of one runner as the Exchange Stream sends them. Two encodings (Exchange Stream API, RunnerChange):
 * - price-keyed `[price, size]` (atb, atl, trd, spb, spl): size 0 removes the price; an empty `trd` clears traded.
 * - level-keyed `[level, price, size]` (batb, batl, bdatb, bdatl): size 0 removes the level.
 * State is a Map per ladder, bounded by the price ladder (350 ticks), never by the file length.
 */
export type PriceSize = [price: number, size: number];

export function applyPriceLadder(book: Map<number, number>, update: unknown): void {
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

export function applyLevelLadder(book: Map<number, PriceSize>, update: unknown): void {
  if (!Array.isArray(update)) return;
  for (const row of update) {
    if (!Array.isArray(row) || row.length < 3) continue;
    const level = row[0];
    const price = row[1];
    const size = row[2];
    if (typeof level !== 'number' || typeof price !== 'number' || typeof size !== 'number') continue;
    if (size === 0) book.delete(level);
    else book.set(level, [price, size]);
  }
}

/** Best `depth` prices: back ladders best-first descending, lay and traded ascending. */
export function sortedPrices(book: Map<number, number>, descending: boolean, depth = Number.POSITIVE_INFINITY): PriceSize[] {
  const rows: PriceSize[] = [];
  for (const [p, s] of book) rows.push([p, s]);
  rows.sort(descending ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0]);
  return rows.length > depth ? rows.slice(0, depth) : rows;
}

export function sortedLevels(book: Map<number, PriceSize>, depth = Number.POSITIVE_INFINITY): PriceSize[] {
  const levels = [...book.keys()].sort((a, b) => a - b);
  const rows = levels.map((l) => book.get(l) as PriceSize);
  return rows.length > depth ? rows.slice(0, depth) : rows;
}
