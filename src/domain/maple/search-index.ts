/**
 * The searched text of every record of a table, in chunks of about a thousand
 * records, each chunk's texts joined into one string: a `search` over all
 * records is one indexOf pass per chunk that jumps from match to match rather
 * than a test per record, and a search every record matches costs a walk over
 * the matches, not a call, a closure and a map look-up per record. A record's
 * text is made once, when it enters the index (records are immutable).
 *
 * Given an order of the records (a number, then a key, both unique together),
 * the index keeps them in that order, so its answers come sorted, and follows
 * the table's writes (store/table.ts `changesSince`): a changed record leaves
 * its chunk and enters the one its place is in, and only those chunks' texts
 * are joined again, at the next search. It is made whole only on first use,
 * after a clear, or when the table no longer remembers what changed. `warm()`
 * makes it ahead of the first search (at load and import), so no request pays
 * for that.
 */
import {
  chunkOf,
  compare,
  compareAt,
  compareKeys,
  entryAt,
  isSorted,
  joined,
  lowerBound,
  SEPARATOR,
  type Chunk,
  type Entry,
} from './search-chunks.js';

export interface SearchedTable<T> {
  readonly version: number;
  all(): IterableIterator<T>;
  get?(key: string): T | undefined;
  /** store/table.ts: each key changed since `version`, with its record as it was then; null if not known. */
  changesSince?(version: number): ReadonlyMap<string, T | undefined> | null;
  /** store/table.ts: remember at least that many changes. */
  keepChanges?(count: number): void;
}

/** The order an index keeps: by `position`, then by `key` (no two records share both). */
export interface SearchOrder<T> {
  position(item: T): number;
  key(item: T): string;
}

export { SEPARATOR };
/** Records per chunk when the index is made; a chunk grown to twice that is split. */
const CHUNK = 1024;

/** Whether an index can look for `needle`: not if it holds the separator (a record's fields are then searched one by one). */
export const searchable = (needle: string): boolean => !needle.includes(SEPARATOR);

export class SearchIndex<T extends object> {
  private chunks: Chunk<T>[] = [];
  /** The table version the chunks hold (-1: never made). */
  private version = -1;

  constructor(
    private readonly table: SearchedTable<T>,
    /** The record's searched text, lower case, its fields joined by U+0000. */
    private readonly textOf: (item: T) => string,
    /** The order the records are kept (and found) in; without one, table order, made again after every write. */
    private readonly order?: SearchOrder<T>,
    /** Records per chunk as made (a chunk of twice as many is split). */
    private readonly chunkSize = CHUNK,
  ) {}

  /** Every record, in the index's order. */
  all(): T[] {
    this.sync();
    return ([] as T[]).concat(...this.chunks.map((c) => c.items));
  }

  /** Makes the index and every chunk's text now, so that the next search only searches. */
  warm(): void {
    this.sync();
    for (const c of this.chunks) joined(c);
  }

  /** The records (in the index's order) whose text contains `needle` (lower case, `searchable`). */
  matching(needle: string): T[] {
    if (!searchable(needle)) throw new Error('the search index cannot look for a text holding U+0000');
    this.sync();
    const out: T[] = [];
    for (const c of this.chunks) {
      const text = joined(c);
      const { items, starts } = c;
      let i = 0;
      for (let from = text.indexOf(needle); from >= 0;) {
        // Matches come in increasing position: the item holding one is found by walking on from the last.
        while (i + 1 < starts.length && starts[i + 1]! <= from) i += 1;
        // A match across the separator cannot happen (the needle holds none), so it lies within item i's text.
        out.push(items[i]!);
        if (i + 1 >= starts.length) break;
        from = text.indexOf(needle, starts[i + 1]!);
      }
    }
    return out;
  }

  /** The record with its text (none when only its place is wanted), position and key. */
  private entry(item: T, withText = true): Entry<T> {
    const { order } = this;
    return {
      item,
      text: withText ? this.textOf(item) : '',
      position: order ? order.position(item) : 0,
      key: order ? order.key(item) : '',
    };
  }

  private sync(): void {
    const version = this.table.version;
    if (version === this.version) return;
    if (!this.patch()) this.build();
    this.version = version;
  }

  /** Every record of the table, in order, in chunks whose texts are joined when first searched. */
  private build(): void {
    let items = [...this.table.all()];
    const { order } = this;
    let positions = order ? items.map((item) => order.position(item)) : items.map(() => 0);
    let keys = order ? items.map((item) => order.key(item)) : items.map(() => '');
    if (order !== undefined && !isSorted(positions, keys)) {
      const by = Array.from(items.keys()).sort(
        (i, j) => positions[i]! - positions[j]! || compareKeys(keys[i]!, keys[j]!),
      );
      [items, positions, keys] = [by.map((i) => items[i]!), by.map((i) => positions[i]!), by.map((i) => keys[i]!)];
    }
    // Patching beats making the index again up to about an eighth of the records changed between two searches.
    if (order !== undefined) this.table.keepChanges?.(items.length / 8);
    this.chunks = [];
    for (let i = 0; i < items.length; i += this.chunkSize) {
      const end = i + this.chunkSize;
      const chunk = items.slice(i, end);
      const texts = chunk.map((item) => this.textOf(item));
      this.chunks.push({
        items: chunk,
        texts,
        positions: positions.slice(i, end),
        keys: keys.slice(i, end),
        text: null,
        starts: new Int32Array(0),
      });
    }
  }

  /** Moves each record changed since the index's version out of and into its place; false if the index must be made again. */
  private patch(): boolean {
    const { table } = this;
    if (this.version < 0 || this.order === undefined || !table.get || !table.changesSince) return false;
    const changes = table.changesSince(this.version);
    if (changes === null) return false;
    for (const [key, before] of changes) {
      const now = table.get(key);
      if (before === now) continue;
      if (
        before !== undefined &&
        !this.take(this.entry(before, false), now === undefined ? undefined : this.entry(now))
      )
        return false;
      if (before === undefined && now !== undefined && !this.place(this.entry(now))) return false;
    }
    return true;
  }

  /** The chunk `e`'s place is in: the first whose last record does not sort before it, else the last. */
  private chunkFor(e: Entry<T>): Chunk<T> | undefined {
    const { chunks } = this;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = chunks[mid]!;
      if (compareAt(c, c.items.length - 1, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return chunks[lo];
  }

  /** Takes `e`'s record out of its place, and puts `next`'s in its own (the same place when it sorts equal). */
  private take(e: Entry<T>, next: Entry<T> | undefined): boolean {
    const c = this.chunkFor(e);
    if (c === undefined) return false;
    const at = lowerBound(c, e);
    if (c.items[at] !== e.item) return false;
    c.text = null;
    if (next !== undefined && compare(e, next) === 0) {
      c.items[at] = next.item;
      c.texts[at] = next.text;
      return true;
    }
    for (const column of [c.items, c.texts, c.positions, c.keys]) column.splice(at, 1);
    if (c.items.length === 0) this.chunks.splice(this.chunks.indexOf(c), 1);
    return next === undefined || this.place(next);
  }

  private place(e: Entry<T>): boolean {
    const c = this.chunkFor(e);
    if (c === undefined) {
      this.chunks.push(chunkOf([e]));
      return true;
    }
    const at = lowerBound(c, e);
    // Two records in one place: the order is not total over them.
    if (at < c.items.length && compareAt(c, at, e) === 0) return false;
    c.items.splice(at, 0, e.item);
    c.texts.splice(at, 0, e.text);
    c.positions.splice(at, 0, e.position);
    c.keys.splice(at, 0, e.key);
    c.text = null;
    const size = this.chunkSize;
    if (c.items.length >= 2 * size) {
      const half = (from: number, to?: number) =>
        chunkOf(c.items.slice(from, to).map((item, i) => entryAt(c, from + i, item)));
      this.chunks.splice(this.chunks.indexOf(c), 1, half(0, size), half(size));
    }
    return true;
  }
}
