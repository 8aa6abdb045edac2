import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SearchIndex } from './search-index.js';

/** A table as the index reads it: records in order and a version that moves with every change. */
function table(rows: { text: string }[]) {
  const t = { version: 0, rows, all: () => t.rows.values() };
  return t;
}

describe('SearchIndex', () => {
  it('finds exactly the records whose text contains the needle, in table order, each once, and follows the table when its version moves', () => {
    const text = fc.string({ maxLength: 8, unit: fc.constantFrom('a', 'b', 'ab', '\u0000', 'é') });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 12 }), fc.array(text, { maxLength: 4 }), text, (first, added, needle) => {
        const t = table(first.map((s) => ({ text: s })));
        const index = new SearchIndex(t, (r) => r.text);
        const naive = () => t.rows.filter((r) => r.text.includes(needle));
        if (needle.includes('\u0000')) {
          expect(index.matching(needle)).toBeNull();
          return;
        }
        expect(index.matching(needle)).toEqual(naive());
        t.rows = [...t.rows, ...added.map((s) => ({ text: s }))];
        t.version++;
        expect(index.matching(needle)).toEqual(naive());
      }),
    );
  });

  it('keeps what it built while the version stays', () => {
    const t = table([{ text: 'abc' }]);
    let built = 0;
    const index = new SearchIndex(t, (r) => (built++, r.text));
    index.matching('b');
    index.matching('c');
    expect(built).toBe(1);
    t.version++;
    expect(index.matching('z')).toEqual([]);
    expect(built).toBe(2);
  });
});
