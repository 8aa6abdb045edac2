/**
 * Where the journal keeps the text of its entries: one byte buffer used as a
 * ring, entries written one after the other and decoded only when read. A
 * kept entry is then a few numbers in typed arrays and bytes outside the
 * JavaScript heap, not strings and objects the garbage collector copies and
 * scans while they live (the journal holds the last 1,000 answers: under
 * load each would otherwise survive a few scavenges and be promoted).
 *
 * Slots are written in turn (slot `capacity - 1` is followed by slot 0); the
 * buffer grows (its live bytes copied in order) when a new entry does not fit
 * beside the ones still kept, so entries are only ever dropped by slot.
 */
export type Piece = string | Buffer | null;

/** Bytes the buffer starts with, and goes back to when cleared. */
const INITIAL_BYTES = 16 * 1024;

export class EntryRing {
  private bytes: Buffer;
  /** Per slot: where its bytes start. */
  private readonly starts: Float64Array;
  /** Per slot and piece: its length in bytes, -1 for null. */
  private readonly lengths: Int32Array;
  /** Where the next entry's bytes go. */
  private head = 0;
  /** Slots written and still kept. */
  private count = 0;
  /** The slot the next entry goes in. */
  private next = 0;

  constructor(
    readonly capacity: number,
    /** Pieces per entry. */
    readonly pieces: number,
    private readonly initialBytes = INITIAL_BYTES,
  ) {
    this.bytes = Buffer.allocUnsafeSlow(initialBytes);
    this.starts = new Float64Array(capacity);
    this.lengths = new Int32Array(capacity * pieces);
  }

  /** Stores one entry's pieces in the next slot (the oldest is dropped when full); returns that slot. */
  write(parts: readonly Piece[]): number {
    let bound = 0;
    for (const p of parts) bound += p === null ? 0 : typeof p === 'string' ? p.length * 3 : p.length;
    const slot = this.next;
    if (this.count === this.capacity) this.count--; // the slot written now drops its entry
    let at = this.place(bound);
    this.starts[slot] = at;
    const base = slot * this.pieces;
    for (let k = 0; k < this.pieces; k++) {
      const p = parts[k] ?? null;
      const n = p === null ? -1 : typeof p === 'string' ? this.bytes.write(p, at, 'utf8') : p.copy(this.bytes, at);
      this.lengths[base + k] = n;
      if (n > 0) at += n;
    }
    this.head = at;
    this.count++;
    this.next = (slot + 1) % this.capacity;
    return slot;
  }

  /** A piece of a kept slot as bytes (a view of the ring: copy or decode it before the next write), null if it was null. */
  bytesOf(slot: number, piece: number): Buffer | null {
    const base = slot * this.pieces;
    let at = this.starts[slot]!;
    for (let k = 0; k < piece; k++) at += Math.max(0, this.lengths[base + k]!);
    const n = this.lengths[base + piece]!;
    return n < 0 ? null : this.bytes.subarray(at, at + n);
  }

  /** A piece of a kept slot as text (UTF-8), null if it was null. */
  textOf(slot: number, piece: number): string | null {
    const b = this.bytesOf(slot, piece);
    return b === null ? null : b.toString('utf8');
  }

  /** The kept slots, newest first. */
  *slotsNewestFirst(): Generator<number> {
    for (let i = 1; i <= this.count; i++) yield (this.next - i + this.capacity) % this.capacity;
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.bytes = Buffer.allocUnsafeSlow(this.initialBytes);
    this.head = 0;
    this.count = 0;
    this.next = 0;
  }

  private totalOf(slot: number): number {
    let n = 0;
    const base = slot * this.pieces;
    for (let k = 0; k < this.pieces; k++) n += Math.max(0, this.lengths[base + k]!);
    return n;
  }

  /** Where `bound` bytes can go without touching a kept entry's bytes, the buffer grown if they cannot. */
  private place(bound: number): number {
    if (this.count === 0) {
      if (bound > this.bytes.length) this.grow(bound);
      return 0;
    }
    const tail = this.starts[(this.next - this.count + this.capacity) % this.capacity]!;
    if (tail < this.head) {
      if (bound <= this.bytes.length - this.head) return this.head;
      if (bound <= tail) return 0;
    } else if (bound <= tail - this.head) {
      return this.head;
    }
    this.grow(bound);
    return this.head;
  }

  /** A bigger buffer holding the kept entries from its start, oldest first, with room for `bound` more bytes. */
  private grow(bound: number): void {
    const slots = [...this.slotsNewestFirst()].reverse();
    let live = 0;
    for (const s of slots) live += this.totalOf(s);
    let size = this.bytes.length * 2;
    while (size < live + bound) size *= 2;
    const bigger = Buffer.allocUnsafeSlow(size);
    let at = 0;
    for (const s of slots) {
      const from = this.starts[s]!;
      const n = this.totalOf(s);
      this.bytes.copy(bigger, at, from, from + n);
      this.starts[s] = at;
      at += n;
    }
    this.bytes = bigger;
    this.head = at;
  }
}
