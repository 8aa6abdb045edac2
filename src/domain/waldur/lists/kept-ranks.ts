/**
 * One ordering field's ranks over a list's views (order-ranks.ts), following
 * the views' changes one at a time (list-cache.ts `follow`) rather than
 * sorting all of them again after a write: a view that leaves takes its rank
 * out, a view that joins finds its value's rank by binary search over one
 * view per rank, and a value not seen before gets a new rank (the ranks above
 * move up by one, a pass over integers). A rank whose views have all gone
 * stays, empty: the counting sort passes over it.
 */
import type { CreditView, OrderKey } from '../credit-view.js';
import type { ViewFollower } from './list-cache.js';
import type { Ranks } from './order-ranks.js';
import { columnRanks, compareViews } from './ordering.js';

export class KeptRanks implements ViewFollower<CreditView> {
  private constructor(
    private readonly key: OrderKey,
    /** The rank of each view, by position in creation order; longer than `n` to grow into. */
    private of: Int32Array,
    private n: number,
    /** A view holding each rank's value, by rank. */
    private readonly holders: CreditView[],
  ) {}

  /** The ranks of `key` over `views` (in creation order). */
  static of(key: OrderKey, views: readonly CreditView[]): KeptRanks {
    const ranks = columnRanks(key, views);
    const holders = new Array<CreditView>(ranks.count);
    for (let i = 0; i < views.length; i++) holders[ranks.of[i]!] = views[i]!;
    return new KeptRanks(key, ranks.of, views.length, holders);
  }

  /** The ranks now, by position (a view of the kept array: valid until the next change). */
  ranks(): Ranks {
    return { of: this.of.subarray(0, this.n), count: this.holders.length };
  }

  taken(at: number, _view?: CreditView): boolean {
    if (at < 0 || at >= this.n) return false;
    this.of.copyWithin(at, at + 1, this.n);
    this.n -= 1;
    return true;
  }

  placed(at: number, view: CreditView): boolean {
    // Ranks no view holds any longer pile up with writes: past as many as the views, the ranks are made again.
    if (at < 0 || at > this.n || this.holders.length > 2 * this.n + 1024) return false;
    const rank = this.rankOf(view);
    if (this.n === this.of.length) {
      const grown = new Int32Array(Math.max(16, this.n * 2));
      grown.set(this.of);
      this.of = grown;
    }
    this.of.copyWithin(at + 1, at, this.n);
    this.of[at] = rank;
    this.n += 1;
    return true;
  }

  /** The rank of `view`'s value: a holder's that compares equal, else a new one in its place. */
  private rankOf(view: CreditView): number {
    const { holders, key } = this;
    let lo = 0;
    let hi = holders.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareViews(key, holders[mid]!, view) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo < holders.length && compareViews(key, holders[lo]!, view) === 0) return lo;
    holders.splice(lo, 0, view);
    const { of, n } = this;
    for (let i = 0; i < n; i++) if (of[i]! >= lo) of[i]! += 1;
    return lo;
  }
}
