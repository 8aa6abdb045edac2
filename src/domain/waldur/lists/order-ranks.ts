/**
 * Sorting many views by several keys without a comparison per pair: each key
 * becomes a rank per view (a small integer, equal values equal ranks), and
 * the views are put in order by a stable counting sort on each key's ranks,
 * last key first (a radix sort), starting from creation order, which is then
 * the final tie-break. A 3-key order of 100,000 views is three linear passes
 * once the ranks are known, and a key's ranks are one sort of its distinct
 * values, kept and following the views as they change (kept-ranks.ts).
 */

/** One key's ranks over a list of values: `of[i]` is the rank of value i, in 0 … count - 1. */
export interface Ranks {
  readonly of: Int32Array;
  readonly count: number;
}

/** Ranks from the values' distinct values in order (`compare` over them, 0 for equal). */
function ranksFrom<T>(values: readonly T[], distinct: T[], compare: (a: T, b: T) => number): Ranks {
  distinct.sort(compare);
  const rankOf = new Map<T, number>();
  let rank = -1;
  for (let i = 0; i < distinct.length; i++) {
    if (i === 0 || compare(distinct[i - 1]!, distinct[i]!) !== 0) rank++;
    rankOf.set(distinct[i]!, rank);
  }
  const of = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) of[i] = rankOf.get(values[i]!)!;
  return { of, count: rank + 1 };
}

/** Ranks of strings in UTF-16 code unit order (JavaScript's `<`, as the database's "C" collation). */
export function textRanks(values: readonly string[]): Ranks {
  // The default sort compares strings by UTF-16 code units without a callback per pair; equal ones end up side by side.
  const sorted = values.slice().sort();
  const rankOf = new Map<string, number>();
  let rank = -1;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) rankOf.set(sorted[i]!, ++rank);
  const of = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) of[i] = rankOf.get(values[i]!)!;
  return { of, count: rank + 1 };
}

/** Ranks of numbers (no NaN; -0 and 0 equal). */
export function numberRanks(values: Float64Array): Ranks {
  const sorted = Float64Array.from(values).sort();
  // The distinct values, -0 and 0 as one.
  let u = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[u - 1]) sorted[u++] = sorted[i]!;
  const of = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    let lo = 0;
    let hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    of[i] = lo;
  }
  return { of, count: u };
}

/** Ranks of any values under `compare` (0 for equal values, which get one rank). */
export function comparedRanks<T>(values: readonly T[], compare: (a: T, b: T) => number): Ranks {
  return ranksFrom(values, [...new Set(values)], compare);
}

/** One key of a sort: its ranks, and whether it sorts descending (the ranks' runs then laid out from the highest). */
export interface SortKey extends Ranks {
  readonly desc?: boolean;
}

/**
 * The indexes 0 … n - 1 ordered by `keys` (the first decides, the next breaks
 * its ties, and so on), ties left in index order.
 */
export function sortByRanks(n: number, keys: readonly SortKey[]): Int32Array {
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Int32Array(n);
  // A key whose ranks are all distinct leaves no ties: the keys after it cannot change the order, and are not sorted by.
  let last = keys.length - 1;
  for (let k = 0; k < last; k++) if (allDistinct(n, keys[k]!)) last = k;
  for (let k = last; k >= 0; k--) {
    const { of, count, desc = false } = keys[k]!;
    // Counting sort, stable: how many of each rank, where each rank's run starts (from the lowest rank, or the
    // highest when descending), then each index to its place.
    const starts = new Int32Array(count);
    for (let i = 0; i < n; i++) starts[of[i]!]!++;
    let at = 0;
    for (let j = 0; j < count; j++) {
      const r = desc ? count - 1 - j : j;
      const run = starts[r]!;
      starts[r] = at;
      at += run;
    }
    for (let i = 0; i < n; i++) {
      const at = order[i]!;
      spare[starts[of[at]!]!++] = at;
    }
    [order, spare] = [spare, order];
  }
  return order;
}

/** Whether no two of the first `n` ranks are equal (stops at the first two that are). */
function allDistinct(n: number, { of, count }: Ranks): boolean {
  if (count < n) return false;
  const seen = new Uint8Array(count);
  for (let i = 0; i < n; i++) {
    if (seen[of[i]!] === 1) return false;
    seen[of[i]!] = 1;
  }
  return true;
}
