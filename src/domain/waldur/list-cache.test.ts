import { describe, expect, it } from 'vitest';
import { ListCache } from './list-cache.js';

describe('ListCache', () => {
  it('keeps a result while the stamp stays, and computes it again once the stamp moves', () => {
    let stamp = 'v1';
    let computed = 0;
    const cache = new ListCache<string, number>(() => stamp);
    const compute = () => (computed++, [1, 2, 3]);
    const first = cache.result('q', compute);
    expect(cache.result('q', compute)).toBe(first);
    expect(computed).toBe(1);
    stamp = 'v2';
    expect(cache.result('q', compute)).toEqual([1, 2, 3]);
    expect(computed).toBe(2);
  });

  it('hands out frozen results: no caller can change what the next one gets', () => {
    const cache = new ListCache<string, number>(() => 'v');
    expect(Object.isFrozen(cache.result('q', () => [1]))).toBe(true);
  });

  it('drops the least recently used results beyond its row budget, never the one just made', () => {
    const cache = new ListCache<string, number>(() => 'v', { orders: 2, resultRows: 4 });
    const made: string[] = [];
    const rows = (key: string) => () => (made.push(key), [1, 2]);
    cache.result('a', rows('a'));
    cache.result('b', rows('b'));
    cache.result('a', rows('a')); // a is now the most recent
    cache.result('c', rows('c')); // over budget: b goes
    cache.result('a', rows('a'));
    cache.result('b', rows('b'));
    expect(made).toEqual(['a', 'b', 'c', 'b']);
    cache.result('big', () => [1, 2, 3, 4, 5, 6]);
    expect(cache.result('big', () => [])).toHaveLength(6);
  });

  it('keeps the views and each ordering of them for the same stamp', () => {
    let stamp = 1;
    let built = 0;
    const cache = new ListCache<string, string>(() => String(stamp));
    const build = () => (built++, ['b', 'a']);
    const sorted = () => [...cache.allViews(build)].sort();
    expect(cache.ordered('name', sorted)).toEqual(['a', 'b']);
    expect(cache.ordered('name', sorted)).toBe(cache.ordered('name', sorted));
    expect(built).toBe(1);
    stamp = 2;
    cache.ordered('name', sorted);
    expect(built).toBe(2);
  });
});
