import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EntryRing, type Piece } from './journal-ring.js';

const piece = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 200, unit: 'grapheme' }),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
);
const asText = (p: Piece) => (p === null ? null : typeof p === 'string' ? p : p.toString('latin1'));

describe('EntryRing', () => {
  it('gives back (from buffers that start tiny, so they wrap and grow) the last `capacity` entries, newest first, byte for byte, however their sizes wrap and grow the buffer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.tuple(piece, piece, piece), { maxLength: 60 }),
        fc.array(fc.nat(60), { maxLength: 3 }),
        fc.constantFrom(1, 64, 1024, 64 * 1024),
        (capacity, entries, clears, initial) => {
          const ring = new EntryRing(capacity, 3, initial);
          let kept: Piece[][] = [];
          entries.forEach((parts, i) => {
            if (clears.includes(i)) {
              ring.clear();
              kept = [];
            }
            ring.write(parts);
            kept = [parts, ...kept].slice(0, capacity);
          });
          const got = [...ring.slotsNewestFirst()].map((slot, i) =>
            [0, 1, 2].map((k) => {
              const b = ring.bytesOf(slot, k);
              const want = kept[i]?.[k] ?? null;
              return b === null ? null : typeof want === 'string' ? b.toString('utf8') : b.toString('latin1');
            }),
          );
          expect(ring.size).toBe(kept.length);
          expect(got).toEqual(kept.map((parts) => parts.map((p) => asText(p))));
        },
      ),
    );
  });

  it('keeps entries larger than its starting buffer', () => {
    const ring = new EntryRing(3, 1);
    const big = 'é'.repeat(100_000);
    ring.write([big]);
    ring.write(['small']);
    ring.write([Buffer.alloc(300_000, 7)]);
    ring.write([big]);
    expect([...ring.slotsNewestFirst()].map((s) => ring.bytesOf(s, 0)!.length)).toEqual([200_000, 300_000, 5]);
    expect(ring.textOf([...ring.slotsNewestFirst()][0]!, 0)).toBe(big);
  });
});
