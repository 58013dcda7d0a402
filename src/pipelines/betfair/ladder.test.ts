/** The flat ladder books keep exactly what a Map keyed by price (or level) would keep, in the same order. */
import { describe, expect, it } from 'vitest';
import { LevelBook, PriceBook, type PriceSize, tickOf } from './ladder';

const TICK_PRICES = [1.01, 1.02, 1.99, 2, 2.02, 2.98, 3, 3.05, 3.95, 4, 4.1, 5.9, 6, 6.2, 9.8, 10, 10.5, 19.5, 20, 21, 29, 30, 32, 48];
const ODD_PRICES = [1.005, 1.015, 1.995, 2.01, 3.33, 1000.5, 0.5, 2.0000000001, 7.7, 55, 1000];

function sortedMap(m: Map<number, number>, descending: boolean, depth = Number.POSITIVE_INFINITY): PriceSize[] {
  const rows = [...m].map(([p, s]) => [p, s] as PriceSize).sort(descending ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0]);
  return rows.slice(0, depth);
}

describe('ladder books', () => {
  it('tickOf maps the 350 standard prices to 0..349 in order and refuses other prices', () => {
    expect([1.01, 1.99, 2, 2.98, 3, 4, 6, 10, 20, 30, 50, 100, 1000].map(tickOf)).toEqual([
      0, 98, 99, 148, 149, 169, 189, 209, 229, 239, 249, 259, 349,
    ]);
    // Betfair's published increments, walked in cents: every tick once, in order.
    const steps: Array<[number, number]> = [
      [200, 1],
      [300, 2],
      [400, 5],
      [600, 10],
      [1000, 20],
      [2000, 50],
      [3000, 100],
      [5000, 200],
      [10000, 500],
      [100001, 1000],
    ];
    const ladder: number[] = [];
    for (let c = 101; c <= 100000; ) {
      ladder.push(c / 100);
      c += steps.find(([below]) => c < below)![1];
    }
    expect(ladder).toHaveLength(350);
    expect(ladder.map(tickOf)).toEqual(ladder.map((_, i) => i));
    expect([1.005, 1.995, 2.01, 3.33, 1000.5, 0.5, 52].map(tickOf)).toEqual([-1, -1, -1, -1, -1, -1, -1]);
  });

  it('a PriceBook under random sets and deletes equals a Map, on and off the standard ladder', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const prices = [...TICK_PRICES, ...ODD_PRICES];
    for (let round = 0; round < 50; round++) {
      const book = new PriceBook();
      const ref = new Map<number, number>();
      for (let i = 0; i < 200; i++) {
        const p = prices[Math.floor(rnd() * prices.length)]!;
        const size = rnd() < 0.3 ? 0 : Math.round(rnd() * 10000) / 100;
        if (size === 0) {
          book.delete(p);
          ref.delete(p);
        } else {
          book.set(p, size);
          ref.set(p, size);
        }
        if (rnd() < 0.02) {
          book.clear();
          ref.clear();
        }
      }
      expect(book.size).toBe(ref.size);
      expect(book.sorted(true, 10)).toEqual(sortedMap(ref, true, 10));
      expect(book.sorted(false)).toEqual(sortedMap(ref, false));
    }
  });

  it('a LevelBook keeps levels in order, odd levels beside the slots', () => {
    const book = new LevelBook();
    book.set(3, 2.5, 10);
    book.set(0, 2.6, 5);
    book.set(12, 2.1, 1);
    book.set(1.5, 2.55, 2);
    book.set(3, 2.4, 11);
    book.delete(0);
    expect(book.size).toBe(3);
    expect(book.sorted()).toEqual([
      [2.55, 2],
      [2.4, 11],
      [2.1, 1],
    ]);
    expect(book.sorted(2)).toHaveLength(2);
  });
});
