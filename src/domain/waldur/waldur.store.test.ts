import { describe, expect, it } from 'vitest';
import { WaldurStore } from './waldur.store.js';

const customer = (uuid: string) => ({ uuid, name: uuid, slug: uuid });
const credit = (uuid: string, customerUuid: string, seq: number) => ({
  uuid,
  customer: customerUuid,
  offerings: [],
  created: '2026-01-01T00:00:00Z',
  seq,
  value: '1.00000',
  end_date: null,
  expected_consumption: '0.00000',
  minimal_consumption_logic: 'fixed' as const,
  grace_coefficient: '0',
  apply_as_minimal_consumption: true,
});

describe('WaldurStore transactions', () => {
  it('undoes every write of a failed transaction, indexes and order included', () => {
    const store = new WaldurStore();
    store.customers.put(customer('a'));
    store.customerCredits.put(credit('c1', 'a', 1));
    store.customerCredits.put(credit('c2', 'a2', 2));
    expect(() =>
      store.transaction(() => {
        store.customerCredits.remove('c1');
        store.customerCredits.put({ ...credit('c2', 'b', 2), value: '9.00000' });
        store.customerCredits.put(credit('c3', 'c', 3));
        throw new Error('rejected');
      }),
    ).toThrow('rejected');
    expect([...store.customerCredits.all()].map((c) => [c.uuid, c.customer, c.value])).toEqual([
      ['c1', 'a', '1.00000'],
      ['c2', 'a2', '1.00000'],
    ]);
    expect(store.customerCredits.getBy('customer', 'a')?.uuid).toBe('c1');
    expect(store.customerCredits.getBy('customer', 'b')).toBeUndefined();
    expect(store.customerCredits.get('c3')).toBeUndefined();
  });

  it('keeps the writes of a transaction that succeeds', () => {
    const store = new WaldurStore();
    store.transaction(() => store.customers.put(customer('x')));
    expect(store.customers.get('x')?.name).toBe('x');
  });

  it('hands out frozen records, so nobody can change state behind its back', () => {
    const store = new WaldurStore();
    const put = store.customers.put(customer('y'));
    expect(Object.isFrozen(put)).toBe(true);
    expect(() => {
      (put as { name: string }).name = 'changed';
    }).toThrow();
  });

  it('exports what it loads', () => {
    const store = new WaldurStore();
    store.customers.put(customer('a'));
    store.customerCredits.put(credit('c1', 'a', 1));
    const copy = new WaldurStore();
    copy.load(store.export());
    expect(copy.export()).toEqual(store.export());
  });

  it('tells its load listeners after each load, once the new state is in, and not after a write', () => {
    const store = new WaldurStore();
    store.customers.put(customer('a'));
    store.customerCredits.put(credit('c1', 'a', 1));
    const state = store.export();
    const copy = new WaldurStore();
    const seen: number[] = [];
    copy.loaded.add(() => seen.push(copy.customerCredits.size));
    copy.load(state);
    copy.customers.put(customer('b'));
    copy.load({ ...state, customer_credits: [] });
    expect(seen).toEqual([1, 0]);
  });
});
