/**
 * One text field of every listed credit, folded as the filters compare it and
 * joined into strings, so that "contains" over all of them is one indexOf
 * pass per chunk instead of one call per credit: with 100,000 credits a new
 * `customer_name` filter costs a few milliseconds instead of 10 to 30.
 *
 * The texts are kept in chunks by creation sequence number (1024 numbers a
 * chunk), so the index follows the list's changes one view at a time
 * (list-cache.ts `follow`): a changed view's chunk is joined again at the
 * next search, and nothing else is made again.
 */
import { folded, type CreditView, type SeqMarks, type TextField } from '../filters.js';
import type { ViewFollower } from './list-cache.js';

/** Between two credits' texts; a needle holding it cannot use the index. */
const SEPARATOR = '\u0000';
/** Sequence numbers per chunk. */
const CHUNK = 1024;

interface Chunk {
  /** Ascending. */
  seqs: number[];
  texts: string[];
  /** The texts joined by the separator (null: to be joined again), and where each starts. */
  text: string | null;
  starts: Int32Array;
}

export class TextIndex implements ViewFollower<CreditView> {
  private readonly chunks: (Chunk | undefined)[] = [];
  private size = 0;

  private constructor(private readonly field: TextField) {}

  /** The index of `field` over `views` (in creation order); null where it cannot answer (a text holds the separator, sequence numbers out of order or too sparse). */
  static of(views: readonly CreditView[], field: TextField): TextIndex | null {
    const index = new TextIndex(field);
    const last = views[views.length - 1]?.seq ?? 0;
    if (last > 8 * views.length + 1024) return null;
    for (let i = 0; i < views.length; i++) {
      const v = views[i]!;
      // Marks are by sequence number: each must be a view's own.
      if (i > 0 && v.seq <= views[i - 1]!.seq) return null;
      if (!index.placed(0, v)) return null;
    }
    return index.sparse() ? null : index;
  }

  /** The marks of the views of the index whose text contains `needle` (folded); null if the index cannot tell. */
  containing(needle: string): SeqMarks | null {
    if (needle === '' || needle.includes(SEPARATOR) || this.sparse()) return null;
    const marks = new Uint8Array(this.chunks.length * CHUNK);
    for (const c of this.chunks) {
      if (c === undefined) continue;
      const text = joined(c);
      const { seqs, starts } = c;
      // Matches come in increasing position: the view holding one is found by walking on from the last.
      let i = 0;
      for (let from = text.indexOf(needle); from >= 0;) {
        while (i + 1 < starts.length && starts[i + 1]! <= from) i += 1;
        marks[seqs[i]!] = 1;
        // On to the next view's text: one match per view is enough.
        if (i + 1 >= starts.length) break;
        from = text.indexOf(needle, starts[i + 1]!);
      }
    }
    return marks;
  }

  /** A view left the list: its text leaves its chunk. */
  taken(_at: number, view: CreditView): boolean {
    const k = Math.floor(view.seq / CHUNK);
    const c = this.chunks[k];
    const at = c === undefined ? -1 : lowerBound(c.seqs, view.seq);
    if (c === undefined || c.seqs[at] !== view.seq) return false;
    c.seqs.splice(at, 1);
    c.texts.splice(at, 1);
    c.text = null;
    this.size -= 1;
    if (c.seqs.length === 0) this.chunks[k] = undefined;
    while (this.chunks.length > 0 && this.chunks[this.chunks.length - 1] === undefined) this.chunks.pop();
    return true;
  }

  /** A view joined the list: its text enters its chunk; false if the index cannot hold it (made again, then declined). */
  placed(_at: number, view: CreditView): boolean {
    const { seq } = view;
    const text = folded(view, this.field) ?? '';
    if (!Number.isSafeInteger(seq) || seq < 0 || text.includes(SEPARATOR)) return false;
    // A mark per sequence number (see sparse): far beyond the others, the index is made again (and declines).
    if (seq > 8 * (this.size + 1) + 2 * CHUNK) return false;
    const k = Math.floor(seq / CHUNK);
    while (this.chunks.length <= k) this.chunks.push(undefined);
    const c = (this.chunks[k] ??= { seqs: [], texts: [], text: null, starts: new Int32Array(0) });
    const at = lowerBound(c.seqs, seq);
    if (c.seqs[at] === seq) return false;
    c.seqs.splice(at, 0, seq);
    c.texts.splice(at, 0, text);
    c.text = null;
    this.size += 1;
    return true;
  }

  /** A mark per sequence number: too many unused ones and the marks cost more than they save. */
  private sparse(): boolean {
    return this.chunks.length * CHUNK > 8 * this.size + 2 * CHUNK;
  }
}

function joined(c: Chunk): string {
  if (c.text !== null) return c.text;
  c.starts = new Int32Array(c.texts.length);
  let at = 0;
  for (let i = 0; i < c.texts.length; i++) {
    c.starts[i] = at;
    at += c.texts[i]!.length + 1;
  }
  return (c.text = c.texts.join(SEPARATOR));
}

/** The first index of `sorted` not below `x`. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
