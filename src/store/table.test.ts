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
    expect(t.getGroup('group', 'g').map((r) => [r.id, r.n])).toEqual([['a', 1], ['b', 0], ['c', 0]]);
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

  it('stores frozen rows', () => {
    const { t } = table();
    expect(Object.isFrozen(t.put({ id: 'a', group: null, n: 0 }))).toBe(true);
  });
});
