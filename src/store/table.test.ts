import { describe, expect, it } from 'vitest';
import { Table } from './table.js';
import { TransactionManager } from './transaction.js';

interface Row {
  id: string;
  group: string | null;
  n: number;
}

function table() {
  const tx = new TransactionManager();
  const t = new Table<Row>('rows', tx.journal, [], [{ name: 'group', key: (r) => r.group }], (r) => r.id);
  return { tx, t };
}

describe('Table', () => {
  it('tells each key changed since a version with its record as it was then, until the changes are too many or a clear', () => {
    const { tx, t } = table();
    t.put({ id: 'a', group: null, n: 0 });
    const v = t.version;
    t.put({ id: 'a', group: null, n: 1 });
    t.put({ id: 'a', group: null, n: 2 });
    t.put({ id: 'b', group: null, n: 0 });
    expect(t.changesSince(v)).toEqual(
      new Map([
        ['a', { id: 'a', group: null, n: 0 }],
        ['b', undefined],
      ]),
    );
    expect(t.changesSince(t.version)).toEqual(new Map());
    // An undone request's steps are changes too, and net out to the record as it was.
    const w = t.version;
    expect(() =>
      tx.run(() => {
        t.remove('b');
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(t.changesSince(w)).toEqual(new Map([['b', { id: 'b', group: null, n: 0 }]]));
    expect(t.get('b')).toEqual({ id: 'b', group: null, n: 0 });
    for (let i = 0; i < 300; i++) t.put({ id: 'a', group: null, n: i });
    expect(t.changesSince(v)).toBeNull();
    const x = t.version;
    t.clear();
    expect(t.changesSince(x)).toBeNull();
  });

  it('remembers as many changes as keepChanges asks for, never fewer than before', () => {
    const { t } = table();
    t.keepChanges(1000);
    t.keepChanges(10);
    const v = t.version;
    for (let i = 0; i < 1000; i++) t.put({ id: `r${i}`, group: null, n: i });
    expect(t.changesSince(v)?.size).toBe(1000);
    for (let i = 0; i < 1500; i++) t.put({ id: `r${i}`, group: null, n: -i });
    expect(t.changesSince(v)).toBeNull();
    expect(t.changesSince(t.version - 1000)?.size).toBe(1000);
  });

  it('keys rows by the key function and keeps creation order', () => {
    const { t } = table();
    for (const id of ['c', 'a', 'b']) t.put({ id, group: 'g', n: 0 });
    expect([...t.all()].map((r) => r.id)).toEqual(['c', 'a', 'b']);
    expect(t.get('a')).toEqual({ id: 'a', group: 'g', n: 0 });
  });

  it('a change that keeps the group key keeps the row in its place in the group; a new key moves it', () => {
    const { t } = table();
    for (const id of ['a', 'b', 'c']) t.put({ id, group: 'g', n: 0 });
    t.put({ id: 'a', group: 'g', n: 1 });
    expect(t.getGroup('group', 'g').map((r) => [r.id, r.n])).toEqual([
      ['a', 1],
      ['b', 0],
      ['c', 0],
    ]);
    t.put({ id: 'b', group: 'h', n: 0 });
    expect(t.getGroup('group', 'g').map((r) => r.id)).toEqual(['a', 'c']);
    expect(t.getGroup('group', 'h').map((r) => r.id)).toEqual(['b']);
    t.put({ id: 'c', group: null, n: 0 });
    expect(t.groupSize('group', 'g')).toBe(1);
  });

  it('a failed transaction undoes every write, groups included', () => {
    const { tx, t } = table();
    t.put({ id: 'a', group: 'g', n: 0 });
    expect(() =>
      tx.run(() => {
        t.put({ id: 'a', group: 'h', n: 1 });
        t.put({ id: 'b', group: 'g', n: 0 });
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect([...t.all()]).toEqual([{ id: 'a', group: 'g', n: 0 }]);
    expect(t.getGroup('group', 'g').map((r) => r.id)).toEqual(['a']);
    expect(t.groupSize('group', 'h')).toBe(0);
  });

  it('keeps the exact sum of a group amount through changes, moves and undo', () => {
    const tx = new TransactionManager();
    const t = new Table<Row>(
      'rows',
      tx.journal,
      [],
      [{ name: 'group', key: (r) => r.group, amount: (r) => r.n }],
      (r) => r.id,
    );
    t.put({ id: 'a', group: 'g', n: 2 ** 53 - 1 });
    t.put({ id: 'b', group: 'g', n: 2 ** 53 - 1 });
    expect(t.groupTotal('group', 'g')).toBe(2n * (2n ** 53n - 1n));
    t.put({ id: 'a', group: 'g', n: 5 });
    t.put({ id: 'b', group: 'h', n: 7 });
    expect([t.groupTotal('group', 'g'), t.groupTotal('group', 'h')]).toEqual([5n, 7n]);
    expect(() =>
      tx.run(() => {
        t.put({ id: 'a', group: null, n: 0 });
        throw new Error('refused');
      }),
    ).toThrow();
    expect(t.groupTotal('group', 'g')).toBe(5n);
    t.put({ id: 'a', group: null, n: 9 });
    expect(t.groupTotal('group', 'g')).toBe(0n);
  });

  it('stores frozen rows', () => {
    const { t } = table();
    expect(Object.isFrozen(t.put({ id: 'a', group: null, n: 0 }))).toBe(true);
  });
});
