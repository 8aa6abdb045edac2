import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Table } from '../../store/table.js';
import { TransactionManager } from '../../store/transaction.js';
import { SearchIndex } from './search-index.js';

/** A table as the index reads it when it cannot follow changes: records in order and a version that moves with every change. */
function plainTable(rows: { text: string }[]) {
  const t = { version: 0, rows, all: () => t.rows.values() };
  return t;
}

describe('SearchIndex over a table it cannot follow', () => {
  it('finds exactly the records whose text contains the needle, in table order, each once, and follows the table when its version moves', () => {
    const text = fc.string({ maxLength: 8, unit: fc.constantFrom('a', 'b', 'ab', '\u0000', 'é') });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 12 }), fc.array(text, { maxLength: 4 }), text, (first, added, needle) => {
        const t = plainTable(first.map((s) => ({ text: s })));
        const index = new SearchIndex(t, (r) => r.text, undefined, 2);
        const naive = () => t.rows.filter((r) => r.text.includes(needle));
        if (needle.includes('\u0000')) {
          expect(() => index.matching(needle)).toThrow();
          return;
        }
        expect(index.matching(needle)).toEqual(naive());
        t.rows = [...t.rows, ...added.map((s) => ({ text: s }))];
        t.version++;
        expect(index.matching(needle)).toEqual(naive());
        expect(index.all()).toEqual(t.rows);
      }),
    );
  });

  it('keeps what it built while the version stays', () => {
    const t = plainTable([{ text: 'abc' }]);
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

interface Row {
  id: string;
  at: number;
  text: string;
}

const byPosition = (a: Row, b: Row) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const ORDER = { position: (r: Row) => r.at, key: (r: Row) => r.id };

/** One step of a history: a write, a write rolled back, a clear, or a look at the index. */
type Step =
  | { kind: 'put'; id: number; at: number; text: string }
  | { kind: 'remove'; id: number }
  | { kind: 'refused'; id: number; at: number; text: string }
  | { kind: 'clear' }
  | { kind: 'look'; needle: string };

const text = fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'b', 'c') });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('put' as const), id: fc.nat(40), at: fc.nat(20), text }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), id: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refused' as const), id: fc.nat(40), at: fc.nat(20), text }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('look' as const), needle: text }) },
);

function run(steps: Step[], chunkSize: number): void {
  const tx = new TransactionManager();
  const table = new Table<Row>('rows', tx.journal, [], [], (r) => r.id);
  const index = new SearchIndex(table, (r) => r.text, ORDER, chunkSize);
  const fresh = () => [...table.all()].sort(byPosition);
  for (const s of steps) {
    if (s.kind === 'put') tx.run(() => table.put({ id: `r${s.id}`, at: s.at, text: s.text }));
    if (s.kind === 'remove') tx.run(() => table.remove(`r${s.id}`));
    if (s.kind === 'clear') table.clear();
    if (s.kind === 'refused')
      expect(() =>
        tx.run(() => {
          table.remove(`r${s.id}`);
          table.put({ id: `r${s.id + 1}`, at: s.at, text: s.text });
          throw new Error('refused');
        }),
      ).toThrow('refused');
    if (s.kind === 'look') {
      expect(index.matching(s.needle)).toEqual(fresh().filter((r) => r.text.includes(s.needle)));
      expect(index.all()).toEqual(fresh());
    }
  }
  expect(index.all()).toEqual(fresh());
}

describe('SearchIndex following a table in an order', () => {
  it('after any history of writes, refused writes and clears, answers as a fresh sort and filter of the table', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (steps, chunk) =>
        run(steps, chunk),
      ),
      { numRuns: 300 },
    );
  });

  it('places a write in its chunk, making only its text, and stays right as a chunk grows past twice its size', () => {
    const tx = new TransactionManager();
    const table = new Table<Row>('rows', tx.journal, [], [], (r) => r.id);
    for (let i = 0; i < 40; i++) table.put({ id: `r${i}`, at: i * 10, text: i % 2 === 0 ? 'even' : 'odd' });
    const made: string[] = [];
    const index = new SearchIndex(table, (r) => (made.push(r.id), r.text), ORDER, 4);
    index.warm();
    expect(made).toHaveLength(40);
    made.length = 0;
    // Eight records between r20 and r21: one chunk takes them and is split.
    for (let i = 0; i < 8; i++) table.put({ id: `n${i}`, at: 201 + i, text: 'new' });
    table.put({ id: 'r3', at: 30, text: 'changed' });
    expect(index.matching('new').map((r) => r.id)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7']);
    expect(index.matching('changed').map((r) => r.id)).toEqual(['r3']);
    // A text is made for the records that changed only.
    expect(made.sort()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'r3']);
    expect(index.all()).toEqual([...table.all()].sort(byPosition));
  });

  it('asks the table to remember an eighth of its records in changes, and patches that many rather than start over', () => {
    const table = new Table<Row>(
      'rows',
      () => null,
      [],
      [],
      (r) => r.id,
    );
    for (let i = 0; i < 8000; i++) table.put({ id: `r${i}`, at: i, text: 'old' });
    let made = 0;
    const index = new SearchIndex(table, (r) => (made++, r.text), ORDER);
    index.warm();
    for (let i = 0; i < 1000; i++) table.put({ id: `r${i * 8}`, at: i * 8, text: 'new' });
    made = 0;
    expect(index.matching('new')).toHaveLength(1000);
    expect(made).toBe(1000);
  });

  it('is made again when the table no longer remembers what changed', () => {
    const table = new Table<Row>(
      'rows',
      () => null,
      [],
      [],
      (r) => r.id,
    );
    const index = new SearchIndex(table, (r) => r.text, ORDER, 8);
    table.put({ id: 'a', at: 1, text: 'x' });
    expect(index.matching('x')).toHaveLength(1);
    for (let i = 0; i < 1000; i++) table.put({ id: `b${i}`, at: 1000 - i, text: i === 999 ? 'x' : 'y' });
    expect(index.matching('x').map((r) => r.id)).toEqual(['a', 'b999']);
  });
});
