/**
 * The searched text of every record of a table, joined into one string and
 * kept while the table's version stays, so a `search` over all credits is one
 * indexOf pass that jumps from match to match rather than a test per record:
 * a search every credit matches costs a walk over the matches, not a call,
 * a closure and a map look-up per credit. Each record's text is still made
 * once per (immutable) record (find.ts `searchTextOf`).
 */
export interface VersionedTable<T> {
  readonly version: number;
  all(): IterableIterator<T>;
}

const SEPARATOR = '\u0000';

interface Index<T> {
  version: number;
  items: T[];
  text: string;
  /** Where each item's text starts in `text`. */
  starts: Int32Array;
}

export class SearchIndex<T extends object> {
  private kept: Index<T> | null = null;

  constructor(
    private readonly table: VersionedTable<T>,
    /** The record's searched text, lower case, its fields joined by U+0000. */
    private readonly textOf: (item: T) => string,
  ) {}

  /** The records (in table order) whose text contains `needle` (lower case); null if the index cannot tell (the needle holds the separator). */
  matching(needle: string): T[] | null {
    if (needle.includes(SEPARATOR)) return null;
    const { items, text, starts } = this.current();
    const out: T[] = [];
    if (items.length === 0) return out;
    let i = 0;
    for (let from = text.indexOf(needle); from >= 0;) {
      // Matches come in increasing position: the item holding one is found by walking on from the last.
      while (i + 1 < starts.length && starts[i + 1]! <= from) i += 1;
      // A match across the separator cannot happen (the needle holds none), so it lies within item i's text.
      out.push(items[i]!);
      if (i + 1 >= starts.length) break;
      from = text.indexOf(needle, starts[i + 1]!);
    }
    return out;
  }

  private current(): Index<T> {
    const version = this.table.version;
    if (this.kept !== null && this.kept.version === version) return this.kept;
    const items = [...this.table.all()];
    const starts = new Int32Array(items.length);
    const parts = new Array<string>(items.length);
    let at = 0;
    for (let i = 0; i < items.length; i++) {
      const t = this.textOf(items[i]!);
      starts[i] = at;
      parts[i] = t;
      at += t.length + 1;
    }
    // Joined by the separator too: a needle (which holds none) matches within one field of one item.
    this.kept = { version, items, text: parts.join(SEPARATOR), starts };
    return this.kept;
  }
}
