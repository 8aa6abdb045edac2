/**
 * What a credit list derives from the tables, kept while the tables it reads
 * stay as they are: the views in creation order, the views in each requested
 * order, and the results of recent queries. Records are immutable and every
 * table write moves the table's version (store/table.ts), so while the stamp
 * is unchanged the kept data is exactly what a fresh pass would compute; the
 * first request after a write starts over.
 */
export interface ListCacheLimits {
  /** Orderings kept (each holds every view once). */
  orders: number;
  /** Rows held by all kept results together. */
  resultRows: number;
}

const DEFAULT_LIMITS: ListCacheLimits = { orders: 8, resultRows: 500_000 };

export class ListCache<V, R> {
  private stamp: string | null = null;
  private views: V[] | null = null;
  private readonly orders = new Map<string, V[]>();
  private readonly results = new Map<string, readonly R[]>();
  private held = 0;

  constructor(
    /** The versions of every table the list reads, as one string. */
    private readonly stampOf: () => string,
    private readonly limits: ListCacheLimits = DEFAULT_LIMITS,
  ) {}

  private sync(): void {
    const stamp = this.stampOf();
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    this.views = null;
    this.orders.clear();
    this.results.clear();
    this.held = 0;
  }

  /** Every view, in creation order. */
  allViews(build: () => V[]): V[] {
    this.sync();
    return (this.views ??= build());
  }

  /** Every view in the order `key` names (sorted by `sort` on a miss). */
  ordered(key: string, sort: () => V[]): V[] {
    this.sync();
    return remember(this.orders, key, sort, () => {
      if (this.orders.size > this.limits.orders) this.orders.delete(this.orders.keys().next().value!);
    });
  }

  /** The result of the query `key` (computed on a miss); frozen, since every caller shares it. */
  result(key: string, compute: () => R[]): readonly R[] {
    this.sync();
    return remember(this.results, key, () => Object.freeze(compute()), (added) => {
      this.held += added.length;
      for (const [oldest, rows] of this.results) {
        if (this.held <= this.limits.resultRows || oldest === key) break;
        this.results.delete(oldest);
        this.held -= rows.length;
      }
    });
  }
}

/** A map used as an LRU: a hit moves the entry to the back; a miss adds it there and lets `trim` evict from the front. */
function remember<T>(map: Map<string, T>, key: string, make: () => T, trim: (added: T) => void): T {
  const hit = map.get(key);
  if (hit !== undefined) {
    map.delete(key);
    map.set(key, hit);
    return hit;
  }
  const made = make();
  map.set(key, made);
  trim(made);
  return made;
}
