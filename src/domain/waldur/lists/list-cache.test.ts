import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Table } from '../../../store/table.js';
import { CUSTOMER_CREDIT_FILTERS } from '../customer-credits.service.js';
import { KeptViews, type CreditView } from '../filters.js';
import { applyOrdering, viewComparator } from './ordering.js';
import { ListCache, type Followed } from './list-cache.js';
import type { CustomerCredit } from '../model.js';

/** A followed table that never changes: the cache then depends on the stamp alone. */
const still = <V>(seq: (v: V) => number = () => 0): Followed<unknown, V> => ({
  table: { version: 0, get: () => undefined, changesSince: () => new Map() },
  view: () => null,
  seq,
});

const byValue = (a: number, b: number) => a - b;
const rule = { compare: byValue, admits: () => true };

describe('ListCache', () => {
  it('keeps a result while the stamp stays, and computes it again once the stamp moves', () => {
    let stamp = 'v1';
    let computed = 0;
    const cache = new ListCache<number>(() => stamp, still());
    const compute = () => (computed++, [1, 2, 3]);
    const first = cache.result('q', compute, rule);
    expect(cache.result('q', compute, rule)).toBe(first);
    expect(computed).toBe(1);
    stamp = 'v2';
    expect(cache.result('q', compute, rule)).toEqual([1, 2, 3]);
    expect(computed).toBe(2);
  });

  it('hands out frozen results: no caller can change what the next one gets', () => {
    const cache = new ListCache<number>(() => 'v', still());
    expect(Object.isFrozen(cache.result('q', () => [1], rule))).toBe(true);
  });

  it('drops the least recently used results beyond its row budget, never the one just made', () => {
    const cache = new ListCache<number>(() => 'v', still(), { orders: 2, resultRows: 4, patch: 64 });
    const made: string[] = [];
    const rows = (key: string) => () => (made.push(key), [1, 2]);
    cache.result('a', rows('a'), rule);
    cache.result('b', rows('b'), rule);
    cache.result('a', rows('a'), rule); // a is now the most recent
    cache.result('c', rows('c'), rule); // over budget: b goes
    cache.result('a', rows('a'), rule);
    cache.result('b', rows('b'), rule);
    expect(made).toEqual(['a', 'b', 'c', 'b']);
    cache.result('big', () => [1, 2, 3, 4, 5, 6], rule);
    expect(cache.result('big', () => [], rule)).toHaveLength(6);
  });

  it('keeps the views and each ordering of them for the same stamp, and makes them again once it moves', () => {
    let stamp = 1;
    let built = 0;
    const cache = new ListCache<number>(() => String(stamp), still());
    const build = () => (built++, [2, 1]);
    const sorted = () => [...cache.allViews(build)].sort(byValue);
    expect(cache.ordered('n', sorted, byValue)).toEqual([1, 2]);
    expect(cache.ordered('n', sorted, byValue)).toBe(cache.ordered('n', sorted, byValue));
    expect(built).toBe(1);
    stamp = 2;
    cache.ordered('n', sorted, byValue);
    expect(built).toBe(2);
  });
});

/** Customer credits in a real table, listed through the cache as the service lists them. */
function world() {
  const table = new Table<CustomerCredit>('customer_credits', () => null);
  const names = new Map<string, string>();
  const kept = new KeptViews<CustomerCredit>();
  const view = (c: CustomerCredit) =>
    kept.of(c, { customerUuid: c.customer, customerName: names.get(c.customer) ?? '', customerSlug: '' });
  let stamp = 0;
  let sorts = 0;
  let computes = 0;
  const cache = new ListCache<CreditView<CustomerCredit>, CustomerCredit>(() => String(stamp), {
    table,
    view,
    seq: (v) => v.seq,
  });
  const fresh = (o: string) => applyOrdering(CUSTOMER_CREDIT_FILTERS, { o }, [...table.all()].map(view));
  const listed = (o: string) =>
    cache.ordered(
      o,
      () => (
        sorts++,
        applyOrdering(
          CUSTOMER_CREDIT_FILTERS,
          { o },
          cache.allViews(() => [...table.all()].map(view)),
        )
      ),
      viewComparator(CUSTOMER_CREDIT_FILTERS, { o }),
    );
  /** The credits whose customer's name contains `needle`, in the order `o`: kept, and computed fresh. */
  const admitting = (needle: string) => (v: CreditView<CustomerCredit>) =>
    v.customerName.toLowerCase().includes(needle);
  const found = (o: string, needle: string) =>
    cache.result(`${o}|${needle}`, () => (computes++, listed(o).filter(admitting(needle))), {
      compare: viewComparator(CUSTOMER_CREDIT_FILTERS, { o }),
      admits: admitting(needle),
    });
  const freshFound = (o: string, needle: string) => uuids(fresh(o).filter(admitting(needle)));
  return {
    table,
    names,
    listed,
    fresh,
    found,
    freshFound,
    sorts: () => sorts,
    computes: () => computes,
    otherTableChanged: () => (stamp += 1),
  };
}

let seq = 0;
function credit(n: number, value: string, end_date: string | null, expected = '0.00000'): CustomerCredit {
  seq += 1;
  return {
    uuid: `cc${String(n).padStart(30, '0')}`,
    created: '2026-01-01T00:00:00.000Z',
    seq,
    value,
    end_date,
    expected_consumption: expected,
    minimal_consumption_logic: 'fixed',
    grace_coefficient: '0',
    apply_as_minimal_consumption: true,
    customer: `ca${String(n % 7).padStart(30, '0')}`,
    offerings: [],
  };
}

const uuids = (views: readonly CreditView<CustomerCredit>[]) => views.map((v) => v.credit.uuid);
const ORDERINGS = ['-value', 'value', 'end_date', '-end_date', 'customer_name', '-expected_consumption,value', ''];

describe('ListCache following the credits table', () => {
  it('a change to one credit moves it in every kept order and result without sorting or filtering again', () => {
    const w = world();
    ['5.00000', '1.00000', '3.00000', '3.00000'].forEach((v, i) => w.table.put(credit(i, v, null)));
    expect(uuids(w.listed('-value')).map((u) => u.slice(-1))).toEqual(['0', '2', '3', '1']);
    w.names.set(`ca${'0'.repeat(29)}1`, 'Alpha');
    w.names.set(`ca${'0'.repeat(29)}2`, 'Gamma');
    w.otherTableChanged();
    expect(uuids(w.found('-value', 'a')).map((u) => u.slice(-1))).toEqual(['2', '1']);
    const [sorts, computes] = [w.sorts(), w.computes()];
    const patched = w.table.get(`cc${'0'.repeat(29)}1`)!;
    w.table.put({ ...patched, value: '4.00000' });
    expect(uuids(w.listed('-value')).map((u) => u.slice(-1))).toEqual(['0', '1', '2', '3']);
    w.table.remove(`cc${'0'.repeat(29)}2`);
    w.table.put(credit(9, '3.00000', null));
    expect(uuids(w.listed('-value')).map((u) => u.slice(-1))).toEqual(['0', '1', '3', '9']);
    expect(uuids(w.found('-value', 'a')).map((u) => u.slice(-1))).toEqual(['1', '9']);
    expect([w.sorts(), w.computes()]).toEqual([sorts, computes]);
  });

  it('a change to another table it reads, or more changes than it patches, makes the orders again', () => {
    const w = world();
    for (let i = 0; i < 5; i++) w.table.put(credit(i, `${i}.00000`, null));
    w.listed('value');
    const sorts = w.sorts();
    w.otherTableChanged();
    w.listed('value');
    expect(w.sorts()).toBe(sorts + 1);
    for (let i = 0; i < 300; i++)
      w.table.put({ ...w.table.get(`cc${String(i % 5).padStart(30, '0')}`)!, value: `${i}.00000` });
    expect(uuids(w.listed('value'))).toEqual(uuids(w.fresh('value')));
    expect(w.sorts()).toBe(sorts + 2);
  });

  // Values that tie, values past a double's 15 digits (compared as decimals), NULL end dates.
  const value = fc.constantFrom(
    '0.00000',
    '1.00000',
    '1.50000',
    '2.00000',
    '12345678901234567.00001',
    '12345678901234567.00002',
    '99.99000',
  );
  const endDate = fc.constantFrom(null, '2026-01-01', '2026-06-30', '2027-01-01');
  const step = fc.oneof(
    fc.record({ op: fc.constant('create' as const), n: fc.nat(40), value, endDate }),
    fc.record({ op: fc.constant('update' as const), n: fc.nat(40), value, endDate }),
    fc.record({ op: fc.constant('remove' as const), n: fc.nat(40) }),
    fc.record({ op: fc.constant('rename' as const), n: fc.nat(6), name: fc.constantFrom('Alpha', 'beta', 'Gamma') }),
    fc.record({ op: fc.constant('list' as const), o: fc.constantFrom(...ORDERINGS) }),
    fc.record({
      op: fc.constant('find' as const),
      o: fc.constantFrom(...ORDERINGS),
      needle: fc.constantFrom('a', 'alpha', 'et'),
    }),
  );

  it('after any history of creates, updates, removes and renames, every kept order and result is the one a fresh pass gives', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const w = world();
        const key = (n: number) => `cc${String(n).padStart(30, '0')}`;
        for (const s of steps) {
          if (s.op === 'create' && !w.table.get(key(s.n))) w.table.put(credit(s.n, s.value, s.endDate));
          if (s.op === 'update' && w.table.get(key(s.n)))
            w.table.put({ ...w.table.get(key(s.n))!, value: s.value, end_date: s.endDate });
          if (s.op === 'remove') w.table.remove(key(s.n));
          if (s.op === 'rename') {
            w.names.set(`ca${String(s.n).padStart(30, '0')}`, s.name);
            w.otherTableChanged();
          }
          if (s.op === 'list') expect(uuids(w.listed(s.o))).toEqual(uuids(w.fresh(s.o)));
          if (s.op === 'find') expect(uuids(w.found(s.o, s.needle))).toEqual(w.freshFound(s.o, s.needle));
          // Two results asked after every step: kept ones are patched by the next change.
          for (const o of ['-value', 'end_date']) expect(uuids(w.found(o, 'a'))).toEqual(w.freshFound(o, 'a'));
        }
        for (const o of ORDERINGS) expect(uuids(w.listed(o))).toEqual(uuids(w.fresh(o)));
        for (const o of ORDERINGS) expect(uuids(w.found(o, 'a'))).toEqual(w.freshFound(o, 'a'));
      }),
      { numRuns: 300 },
    );
  });
});
