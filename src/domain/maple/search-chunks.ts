/**
 * The chunks of a search index (search-index.ts): records side by side with
 * their texts, positions and keys, in order, and the texts joined into one
 * string when a search first needs them.
 */

/** Between two records' texts, and between a record's fields (search-text.ts). */
export const SEPARATOR = '\u0000';

/** Records side by side with their texts, positions and keys, in order. */
export interface Chunk<T> {
  items: T[];
  texts: string[];
  positions: number[];
  keys: string[];
  /** The texts joined by the separator (null: to be joined again), and where each starts. */
  text: string | null;
  starts: Int32Array;
}

export interface Entry<T> {
  item: T;
  text: string;
  position: number;
  key: string;
}

export function chunkOf<T>(entries: Entry<T>[]): Chunk<T> {
  return {
    items: entries.map((e) => e.item),
    texts: entries.map((e) => e.text),
    positions: entries.map((e) => e.position),
    keys: entries.map((e) => e.key),
    text: null,
    starts: new Int32Array(0),
  };
}

export const entryAt = <T>(c: Chunk<T>, i: number, item: T): Entry<T> => ({
  item,
  text: c.texts[i]!,
  position: c.positions[i]!,
  key: c.keys[i]!,
});

export function joined<T>(c: Chunk<T>): string {
  if (c.text !== null) return c.text;
  const starts = new Int32Array(c.texts.length);
  let at = 0;
  for (let i = 0; i < c.texts.length; i++) {
    starts[i] = at;
    at += c.texts[i]!.length + 1;
  }
  c.starts = starts;
  // Joined by the separator too: a needle (which holds none) matches within one field of one item.
  return (c.text = c.texts.join(SEPARATOR));
}

export const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compare<T>(a: Entry<T>, b: Entry<T>): number {
  return a.position - b.position || compareKeys(a.key, b.key);
}

/** The chunk's record at `i` against `e`. */
export function compareAt<T>(c: Chunk<T>, i: number, e: Entry<T>): number {
  return c.positions[i]! - e.position || compareKeys(c.keys[i]!, e.key);
}

export function isSorted(positions: readonly number[], keys: readonly string[]): boolean {
  for (let i = 1; i < positions.length; i++)
    if ((positions[i - 1]! - positions[i]! || compareKeys(keys[i - 1]!, keys[i]!)) > 0) return false;
  return true;
}

/** The first index of the chunk whose record does not sort before `e`. */
export function lowerBound<T>(c: Chunk<T>, e: Entry<T>): number {
  let lo = 0;
  let hi = c.items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareAt(c, mid, e) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
