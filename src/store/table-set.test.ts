import { describe, expect, it } from 'vitest';
import type { StoreObserver } from './observer.js';
import { TableSet } from './table-set.js';
import { TransactionManager } from './transaction.js';

interface Thing {
  id: string;
  kind: string | null;
  size: number;
}

function things() {
  const tx = new TransactionManager();
  const set = new TableSet(tx, 'Test');
  const a = set.table<Thing>({
    name: 'a',
    key: (t) => t.id,
    groups: [{ name: 'kind', key: (t) => t.kind, amount: (t) => t.size }],
  });
  const b = set.table<Thing>({ name: 'b', key: (t) => t.id, uniques: [{ name: 'kind', key: (t) => t.kind }] });
  return { tx, set, a, b };
}

function recorder(): { observer: StoreObserver; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    observer: {
      row: (scope, table, key, record) =>
        seen.push(`${scope} ${table} ${key} ${record === undefined ? '-' : JSON.stringify(record)}`),
      settled: () => seen.push('settled'),
      replaced: () => seen.push('replaced'),
    },
  };
}

describe('TableSet', () => {
  it('keeps its tables in the order declared, with the indexes and keys the owner supplies', () => {
    const { set, a, b } = things();
    expect(set.tables().map((t) => t.name)).toEqual(['a', 'b']);
    a.put({ id: 'x', kind: 'k', size: 2 });
    a.put({ id: 'y', kind: 'k', size: 5 });
    b.put({ id: 'z', kind: 'u', size: 0 });
    expect(a.getGroup('kind', 'k').map((t) => t.id)).toEqual(['x', 'y']);
    expect(a.groupTotal('kind', 'k')).toBe(7n);
    expect(b.getBy('kind', 'u')?.id).toBe('z');
    expect(set.byName('b')).toBe(b);
    expect(set.byName('c')).toBeUndefined();
  });

  it('refuses a table declared twice', () => {
    const { set } = things();
    expect(() => set.table<Thing>({ name: 'a' })).toThrow('Test table a declared twice');
  });

  it('undoes the writes of a failed transaction across all its tables', () => {
    const { tx, a, b } = things();
    a.put({ id: 'x', kind: 'k', size: 2 });
    expect(() =>
      tx.run(() => {
        a.put({ id: 'x', kind: 'j', size: 3 });
        b.put({ id: 'z', kind: 'u', size: 0 });
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect([...a.all()]).toEqual([{ id: 'x', kind: 'k', size: 2 }]);
    expect(a.groupTotal('kind', 'k')).toBe(2n);
    expect(a.groupSize('kind', 'j')).toBe(0);
    expect(b.size).toBe(0);
  });

  it('tells an observer each row under its scope, settled once per transaction or at once outside one, until stopped', () => {
    const { tx, set, a, b } = things();
    const { observer, seen } = recorder();
    const sink = set.observe('scope/1', observer);
    expect(sink).not.toBeNull();
    a.put({ id: 'x', kind: null, size: 1 });
    tx.run(() => {
      b.put({ id: 'z', kind: null, size: 0 });
      a.remove('x');
    });
    expect(seen).toEqual([
      'scope/1 a x {"id":"x","kind":null,"size":1}',
      'settled',
      'scope/1 b z {"id":"z","kind":null,"size":0}',
      'scope/1 a x -',
    ]);
    expect(set.observe('scope/1', null)).toBeNull();
    a.put({ id: 'w', kind: null, size: 1 });
    expect(seen).toHaveLength(4);
  });

  it('replays a row by table name, and refuses a table it does not have', () => {
    const { set, a, b } = things();
    set.applyRow('a', 'x', { id: 'x', kind: 'k', size: 4 });
    set.applyRow('b', 'z', { id: 'z', kind: 'u', size: 0 });
    set.applyRow('b', 'z', undefined);
    expect(a.get('x')).toEqual({ id: 'x', kind: 'k', size: 4 });
    expect(a.groupTotal('kind', 'k')).toBe(4n);
    expect(b.size).toBe(0);
    expect(() => set.applyRow('nope', 'x', {})).toThrow('no Test table nope');
  });

  it('clears every table, indexes included', () => {
    const { set, a, b } = things();
    a.put({ id: 'x', kind: 'k', size: 2 });
    b.put({ id: 'z', kind: 'u', size: 0 });
    set.clear();
    expect(a.size + b.size).toBe(0);
    expect(a.groupTotal('kind', 'k')).toBe(0n);
    expect(b.getBy('kind', 'u')).toBeUndefined();
  });
});
