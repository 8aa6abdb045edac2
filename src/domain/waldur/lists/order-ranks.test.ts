import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortByRanks, type SortKey } from './order-ranks.js';

/** Ranks with room for empty ones (as kept ranks have after writes): `count` may pass the number of views. */
const key = (n: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: 2 * n + 2 }), fc.boolean())
    .chain(([count, desc]) =>
      fc
        .array(fc.nat(count - 1), { minLength: n, maxLength: n })
        .map((of) => ({ of: Int32Array.from(of), count, desc })),
    );

/** The order a comparison sort gives: key by key, descending where asked, then by index. */
function compared(n: number, keys: SortKey[]): number[] {
  const rank = (k: SortKey, i: number) => (k.desc ? -k.of[i]! : k.of[i]!);
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    for (const k of keys) if (rank(k, a) !== rank(k, b)) return rank(k, a) - rank(k, b);
    return a - b;
  });
}

describe('sortByRanks', () => {
  it('orders as a comparison sort does, empty ranks and keys whose ranks are all distinct included', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 12 })
          .chain((n) => fc.tuple(fc.constant(n), fc.array(key(n), { minLength: 1, maxLength: 3 }))),
        ([n, keys]) => {
          expect([...sortByRanks(n, keys)]).toEqual(compared(n, keys));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a key with as many ranks as views but two views on one rank still leaves their tie to the next key', () => {
    const first = { of: Int32Array.from([2, 2, 0]), count: 3 };
    const second = { of: Int32Array.from([1, 0, 0]), count: 2 };
    expect([...sortByRanks(3, [first, second])]).toEqual([2, 1, 0]);
  });
});
