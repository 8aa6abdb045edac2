/**
 * An in-memory table of immutable records, keyed by uuid (or by the key
 * function given), with unique and group indexes and an undo journal so that
 * a failed request leaves nothing behind. Records are frozen on the way in,
 * so handing them out needs no copy.
 */
export interface Journal {
  record(undo: () => void): void;
}

/**
 * Told of every row a table writes or removes (undo steps included, so a
 * rolled-back transaction reads as a write and its reversal): what an on-disk
 * journal appends. `record` undefined: the row was removed.
 */
export type RowSink = (table: string, key: string, record: object | undefined) => void;

/** A table whatever its record type: what a store needs to observe, clear and replay its tables by name. */
export interface AnyTable {
  readonly name: string;
  observe(sink: RowSink | null): void;
  clear(): void;
  /** put() for a record read back from a journal (trusted to be of the table's type). */
  putRow(record: object): void;
  /** Every row with its key, in creation order. */
  entries(): Iterable<[string, object]>;
  remove(key: string): unknown;
}

export interface UniqueIndex<T> {
  name: string;
  key(record: T): string | null;
}

/** A non-unique index: the uuids of the records sharing a key, and optionally the exact sum of an amount over them. */
export interface GroupIndex<T> {
  name: string;
  key(record: T): string | null;
  /** A whole number per record, summed per key (see groupTotal). */
  amount?(record: T): number | bigint;
}

const byUuid = (record: object): string => (record as { uuid: string }).uuid;

/** Changes remembered for `changesSince` by default (between half and all of them; `keepChanges` asks for more): derived data further behind is made again. */
const CHANGES_KEPT = 256;

export class Table<T extends object> implements AnyTable {
  private rows = new Map<string, T>();
  private indexes = new Map<string, Map<string, string>>();
  private groupMaps = new Map<string, Map<string, Set<string>>>();
  private groupSums = new Map<string, Map<string, bigint>>();
  private ordered = true;
  private changes = 0;
  /** The latest changes, oldest first: the key and its record before the change. */
  private recent: { version: number; key: string; before: T | undefined }[] = [];
  /** `recent` holds every change after this version. */
  private recentSince = 0;
  /** How many of the latest changes `recent` holds at least (see keepChanges); it holds twice as many at most. */
  private changesKept = CHANGES_KEPT / 2;
  private sink: RowSink | null = null;

  constructor(
    readonly name: string,
    private readonly journal: () => Journal | null,
    private readonly uniques: readonly UniqueIndex<T>[] = [],
    private readonly groups: readonly GroupIndex<T>[] = [],
    /** The record's primary key. */
    readonly keyOf: (record: T) => string = byUuid,
  ) {
    for (const u of uniques) this.indexes.set(u.name, new Map());
    for (const g of groups) this.groupMaps.set(g.name, new Map());
    for (const g of groups) if (g.amount) this.groupSums.set(g.name, new Map());
  }

  /** Reports every later put and remove to `sink` (null: to nobody). */
  observe(sink: RowSink | null): void {
    this.sink = sink;
  }

  /** The records whose group key `index` equals `key`, in the order they joined the group (a change that keeps the key keeps the place). */
  getGroup(index: string, key: string): T[] {
    const uuids = this.groupMaps.get(index)?.get(key);
    if (!uuids) return [];
    return [...uuids].map((u) => this.rows.get(u)!);
  }

  /** How many records share the group key. */
  groupSize(index: string, key: string): number {
    return this.groupMaps.get(index)?.get(key)?.size ?? 0;
  }

  /** The exact sum of the group's `amount` over the records sharing the key (0n for none). */
  groupTotal(index: string, key: string): bigint {
    return this.groupSums.get(index)?.get(key) ?? 0n;
  }

  /** Grows with every put, remove and clear (undo steps included): derived data made at one version holds until it moves. */
  get version(): number {
    return this.changes;
  }

  /**
   * Each key changed since `version`, mapped to its record as it was at
   * `version` (undefined: there was none); null if some of those changes are
   * no longer remembered (too many, or a clear).
   */
  changesSince(version: number): Map<string, T | undefined> | null {
    if (version < this.recentSince) return null;
    const out = new Map<string, T | undefined>();
    for (const c of this.recent) if (c.version > version && !out.has(c.key)) out.set(c.key, c.before);
    return out;
  }

  /** Remembers at least the last `count` changes for `changesSince` (derived data that can patch that many asks). */
  keepChanges(count: number): void {
    this.changesKept = Math.max(this.changesKept, Math.ceil(count));
  }

  private remember(key: string, before: T | undefined): void {
    this.recent.push({ version: this.changes, key, before });
    if (this.recent.length > 2 * this.changesKept) {
      this.recent = this.recent.slice(-this.changesKept);
      this.recentSince = this.recent[0]!.version - 1;
    }
  }

  get size(): number {
    return this.rows.size;
  }

  get(uuid: string): T | undefined {
    return this.rows.get(uuid);
  }

  /** The record whose unique key `index` equals `key`. */
  getBy(index: string, key: string): T | undefined {
    const uuid = this.indexes.get(index)?.get(key);
    return uuid === undefined ? undefined : this.rows.get(uuid);
  }

  /** All records in insertion (creation) order. */
  all(): IterableIterator<T> {
    if (!this.ordered) this.reorder();
    return this.rows.values();
  }

  put(record: T): T {
    const frozen = deepFreeze(record);
    this.changes += 1;
    const key = this.keyOf(frozen);
    const previous = this.rows.get(key);
    this.unindex(previous, frozen);
    this.remember(key, previous);
    this.rows.set(key, frozen);
    this.index(frozen);
    this.journal()?.record(() => (previous ? this.put(previous) : this.remove(key)));
    this.sink?.(this.name, key, frozen);
    return frozen;
  }

  putRow(record: object): void {
    this.put(record as T);
  }

  *entries(): Iterable<[string, T]> {
    for (const r of this.all()) yield [this.keyOf(r), r];
  }

  remove(uuid: string): T | undefined {
    const previous = this.rows.get(uuid);
    if (!previous) return undefined;
    this.changes += 1;
    this.unindex(previous);
    this.remember(uuid, previous);
    this.rows.delete(uuid);
    this.journal()?.record(() => {
      this.put(previous);
      this.ordered = false;
    });
    this.sink?.(this.name, uuid, undefined);
    return previous;
  }

  clear(): void {
    this.changes += 1;
    this.recent = [];
    this.recentSince = this.changes;
    this.rows.clear();
    for (const idx of this.indexes.values()) idx.clear();
    for (const g of this.groupMaps.values()) g.clear();
    for (const g of this.groupSums.values()) g.clear();
    this.ordered = true;
  }

  private index(record: T): void {
    for (const u of this.uniques) {
      const key = u.key(record);
      if (key !== null) this.indexes.get(u.name)!.set(key, this.keyOf(record));
    }
    for (const g of this.groups) {
      const key = g.key(record);
      if (key === null) continue;
      const map = this.groupMaps.get(g.name)!;
      let set = map.get(key);
      if (!set) map.set(key, (set = new Set()));
      set.add(this.keyOf(record));
      if (g.amount) this.addToTotal(g.name, key, BigInt(g.amount(record)));
    }
  }

  /** Drops `record` from the indexes; a group it stays in under `next` keeps its place there. */
  private unindex(record: T | undefined, next?: T): void {
    if (!record) return;
    for (const u of this.uniques) {
      const key = u.key(record);
      const idx = this.indexes.get(u.name)!;
      if (key !== null && idx.get(key) === this.keyOf(record)) idx.delete(key);
    }
    for (const g of this.groups) {
      const key = g.key(record);
      if (key === null) continue;
      if (next === undefined || g.key(next) !== key) this.groupMaps.get(g.name)!.get(key)?.delete(this.keyOf(record));
      if (g.amount) this.addToTotal(g.name, key, -BigInt(g.amount(record)));
    }
  }

  private addToTotal(index: string, key: string, delta: bigint): void {
    const sums = this.groupSums.get(index)!;
    const total = (sums.get(key) ?? 0n) + delta;
    if (total === 0n) sums.delete(key);
    else sums.set(key, total);
  }

  private reorder(): void {
    const seq = (r: T) => (r as { seq?: number }).seq ?? 0;
    const sorted = [...this.rows.values()].sort((a, b) => seq(a) - seq(b));
    this.rows = new Map(sorted.map((r) => [this.keyOf(r), r]));
    this.ordered = true;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
