/**
 * What a credit list derives from the tables, kept while the tables it reads
 * stay as they are: the views in creation order, the views in each requested
 * order, and the results of recent queries. Records are immutable and every
 * table write moves the table's version (store/table.ts), so while the
 * versions are unchanged the kept data is exactly what a fresh pass would
 * compute.
 *
 * A write to the followed table (the credits themselves) does not start over:
 * each record it changed since the cache last looked leaves every kept order
 * and enters it again at its place, found by binary search (the orders are
 * total: ties go by creation sequence). A write to any other table read, a
 * long run of changes or anything unexpected makes the whole again, so a
 * patched order is always the one a fresh sort would give (list-cache.test.ts
 * checks that on random histories). Kept query results are patched the same
 * way: a result is the subsequence of one order its query admits.
 */
export interface ListCacheLimits {
  /** Orderings kept (each holds every view once). */
  orders: number;
  /** Rows held by all kept results together. */
  resultRows: number;
  /** Changed records patched into the kept orders at most; more, and they are made again. */
  patch: number;
}

const DEFAULT_LIMITS: ListCacheLimits = { orders: 8, resultRows: 500_000, patch: 64 };

/** The table a list follows record by record: store/table.ts's Table. */
export interface ChangeFeed<T> {
  readonly version: number;
  get(key: string): T | undefined;
  /** Each key changed since `version`, with its record as it was then (undefined: it did not exist); null if that is not known. */
  changesSince(version: number): ReadonlyMap<string, T | undefined> | null;
}

export interface Followed<T, V> {
  table: ChangeFeed<T>;
  /** The view of a record, the same object each time while the other tables stay (null: the record is not listed). */
  view(record: T): V | null;
  /** The creation sequence: the creation order, and the tie-break of every ordering. */
  seq(view: V): number;
}

/** Something made from the views that follows their changes one by one (`follow`): false if it cannot, and is made again. */
export interface ViewFollower<V> {
  /** The view at `at` in creation order left the list. */
  taken(at: number, view: V): boolean;
  /** `view` joined the list at `at` in creation order. */
  placed(at: number, view: V): boolean;
}

/** How a kept result is patched: its order, and which views it holds. */
export interface ResultRule<V> {
  compare: Compare<V>;
  admits(view: V): boolean;
}

interface KeptResult<V> extends ResultRule<V> {
  /** Frozen: callers hold them; a patch makes a new array. */
  views: readonly V[];
}

type Compare<V> = (a: V, b: V) => number;

export class ListCache<V, T = unknown> {
  private stamp: string | null = null;
  private version = -1;
  private views: V[] | null = null;
  /** Whether the views' sequence numbers grow strictly, which placing a view by binary search needs. */
  private patchable = false;
  private readonly orders = new Map<string, { views: V[]; compare: Compare<V> }>();
  private readonly results = new Map<string, KeptResult<V>>();
  private held = 0;
  /** Anything else made from the views as they are: dropped whenever they change. */
  private readonly derived = new Map<string, unknown>();
  /** What is made from the views and follows their changes (ranks, search indexes): dropped when the views are made again. */
  private readonly followers = new Map<string, ViewFollower<V>>();

  constructor(
    /** The versions of every table the list reads, but the followed one, as one string. */
    private readonly stampOf: () => string,
    private readonly followed: Followed<T, V>,
    private readonly limits: ListCacheLimits = DEFAULT_LIMITS,
  ) {}

  private sync(): void {
    const stamp = this.stampOf();
    const version = this.followed.table.version;
    if (stamp === this.stamp && version === this.version) return;
    const patched = stamp === this.stamp && this.patch();
    this.stamp = stamp;
    this.version = version;
    this.derived.clear();
    if (patched) return;
    this.views = null;
    this.followers.clear();
    this.orders.clear();
    this.results.clear();
    this.held = 0;
  }

  /** Moves every record changed since the last look to its places; false if the kept orders have to be made again. */
  private patch(): boolean {
    if (this.views === null || !this.patchable) return false;
    const changes = this.followed.table.changesSince(this.version);
    if (changes === null || changes.size > this.limits.patch) return false;
    const { table, view, seq } = this.followed;
    const bySeq: Compare<V> = (a, b) => seq(a) - seq(b);
    const kept = [...this.orders.values()].filter((o) => o.views !== this.views);
    // A result is frozen (callers hold it): one that changes gets a copy.
    const results = [...this.results.values()].map((r) => ({
      kept: r,
      views: null as V[] | null,
      compare: total(r.compare, seq),
    }));
    // Each step on the creation order, for the followers: [joined, where, view].
    const steps: [boolean, number, V][] = [];
    for (const [key, before] of changes) {
      const old = before === undefined ? null : view(before);
      const now = table.get(key);
      const next = now === undefined ? null : view(now);
      if (old === next) continue;
      if (old !== null) {
        const at = take(this.views, old, bySeq);
        if (at < 0 || !kept.every((o) => take(o.views, old, total(o.compare, seq)) >= 0)) return false;
        steps.push([false, at, old]);
        for (const r of results) {
          if (!r.kept.admits(old)) continue;
          if (take((r.views ??= [...r.kept.views]), old, r.compare) < 0) return false;
        }
      }
      if (next !== null) {
        const at = place(this.views, next, bySeq);
        if (at < 0 || !kept.every((o) => place(o.views, next, total(o.compare, seq)) >= 0)) return false;
        steps.push([true, at, next]);
        for (const r of results) {
          if (!r.kept.admits(next)) continue;
          if (place((r.views ??= [...r.kept.views]), next, r.compare) < 0) return false;
        }
      }
    }
    this.held = 0;
    for (const r of results) {
      if (r.views) r.kept.views = Object.freeze(r.views);
      this.held += r.kept.views.length;
    }
    for (const [key, f] of this.followers)
      if (!steps.every(([joined, at, v]) => (joined ? f.placed(at, v) : f.taken(at, v)))) this.followers.delete(key);
    return true;
  }

  /** Something made from the views that follows their changes (`make` on a miss), kept until they are made again. */
  follow<F extends ViewFollower<V>>(key: string, make: () => F): F {
    this.sync();
    let f = this.followers.get(key);
    if (f === undefined) this.followers.set(key, (f = make()));
    return f as F;
  }

  /** Something made from the views (a search index, an order's sequence numbers), kept until they change. */
  derive<D>(key: string, make: () => D): D {
    this.sync();
    if (!this.derived.has(key)) this.derived.set(key, make());
    return this.derived.get(key) as D;
  }

  /** Every view, in creation order. */
  allViews(build: () => V[]): V[] {
    this.sync();
    if (this.views === null) {
      this.views = build();
      const { seq } = this.followed;
      this.patchable = this.views.every((v, i, all) => i === 0 || seq(all[i - 1]!) < seq(v));
    }
    return this.views;
  }

  /**
   * Every view in the order `key` names: `sort` makes it on a miss, and
   * `compare` (0 for ties) is the same order, used to place a changed view.
   */
  ordered(key: string, sort: () => V[], compare: Compare<V>): V[] {
    this.sync();
    return remember(
      this.orders,
      key,
      () => ({ views: sort(), compare }),
      () => {
        if (this.orders.size > this.limits.orders) this.orders.delete(this.orders.keys().next().value!);
      },
    ).views;
  }

  /**
   * The views of the query `key`: on a miss, `compute` gives them (an array
   * of its own), which `rule` must describe. Frozen, since every caller
   * shares them.
   */
  result(key: string, compute: () => V[], rule: ResultRule<V>): readonly V[] {
    this.sync();
    const make = (): KeptResult<V> => ({ ...rule, views: Object.freeze(compute()) });
    return remember(this.results, key, make, (added) => {
      this.held += added.views.length;
      for (const [oldest, r] of this.results) {
        if (this.held <= this.limits.resultRows || oldest === key) break;
        this.results.delete(oldest);
        this.held -= r.views.length;
      }
    }).views;
  }
}

/** `compare`, with ties broken by creation sequence: a total order. */
function total<V>(compare: Compare<V>, seq: (v: V) => number): Compare<V> {
  return (a, b) => compare(a, b) || seq(a) - seq(b);
}

/** The first index whose view does not sort before `v`. */
function lowerBound<V>(views: readonly V[], v: V, compare: Compare<V>): number {
  let lo = 0;
  let hi = views.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(views[mid]!, v) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Removes `v` from the sorted `views` and says where it was; -1 if it is not where the order puts it. */
function take<V>(views: V[], v: V, compare: Compare<V>): number {
  const at = lowerBound(views, v, compare);
  if (views[at] !== v) return -1;
  views.splice(at, 1);
  return at;
}

/** Inserts `v` into the sorted `views` and says where; -1 if a view already sorts equal to it (the order would not be total). */
function place<V>(views: V[], v: V, compare: Compare<V>): number {
  const at = lowerBound(views, v, compare);
  if (at < views.length && compare(views[at]!, v) === 0) return -1;
  views.splice(at, 0, v);
  return at;
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
