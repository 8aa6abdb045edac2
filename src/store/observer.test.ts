import { describe, expect, it } from 'vitest';
import { ObservedMap } from './observer.js';

describe('ObservedMap', () => {
  it('tells every set and delete, not the delete of a missing key', () => {
    const seen: [string, number | undefined][] = [];
    const map = new ObservedMap<string, number>();
    map.onChange = (k, v) => seen.push([k, v]);
    map.set('a', 1).set('b', 2);
    map.delete('a');
    map.delete('zzz');
    expect(seen).toEqual([
      ['a', 1],
      ['b', 2],
      ['a', undefined],
    ]);
  });

  it('past its limit forgets the oldest entries first, telling each', () => {
    const evicted: string[] = [];
    const changes: [string, number | undefined][] = [];
    const map = new ObservedMap<string, number>();
    map.limit = 2;
    map.onEvict = (k) => evicted.push(k);
    map.onChange = (k, v) => changes.push([k, v]);
    map.set('a', 1).set('b', 2).set('c', 3);
    map.set('b', 20);
    expect([...map.keys()]).toEqual(['b', 'c']);
    expect(evicted).toEqual(['a']);
    expect(changes).toContainEqual(['a', undefined]);
  });
});
