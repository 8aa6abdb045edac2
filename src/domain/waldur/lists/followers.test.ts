import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_CREDIT_LIST } from '../customer-credits.service.js';
import { creditView, KeptViews, type CreditView } from '../filters.js';
import type { CustomerCredit } from '../model.js';
import { WaldurStore } from '../waldur.store.js';
import { creditList, type Viewer } from './index.js';
import { ListCache, type ViewFollower } from './list-cache.js';
import { Table } from '../../../store/table.js';
import { TransactionManager } from '../../../store/transaction.js';
import { KeptRanks } from './kept-ranks.js';
import { columnRanks } from './ordering.js';
import { TextIndex } from './text-index.js';

const STAFF: Viewer = { visibilityKey: 'staff', canSeeCustomer: () => true };
/** Sees the same, and says so: the list then asks no view whether it is visible. */
const ALL: Viewer = { visibilityKey: 'all', canSeeCustomer: () => true, seesEverything: true };
/** Sees the credits of customers 0 … 3 only. */
const SOME: Viewer = { visibilityKey: 'some', canSeeCustomer: (c) => Number(c.slice(2)) < 4 };
const hex = (prefix: string, n: number) => `${prefix}${String(n).padStart(32 - prefix.length, '0')}`;

// Values that tie, differ only in their zeros, or go past a double's 15 digits; NULL end dates; names that tie.
const value = fc.constantFrom('0.00000', '1.5', '1.50000', '2.00000', '12345678901234567.00001', '-3.00000', '99.99');
const endDate = fc.constantFrom(null, '2026-01-01', '2026-06-30', '2027-01-01');
const name = fc.constantFrom('Alpha Lab', 'beta', 'Gamma Institute', 'ALPHA', 'Ωmega', '');
const term = fc
  .constantFrom('value', 'customer_name', 'end_date', 'expected_consumption')
  .chain((k) => fc.constantFrom(k, `-${k}`));

function credit(n: number, seq: number, v: string, end: string | null, expected: string): CustomerCredit {
  return {
    uuid: hex('cc', n),
    customer: hex('ca', n),
    offerings: [],
    created: '2026-01-01T00:00:00.000Z',
    seq,
    value: v,
    end_date: end,
    expected_consumption: expected,
    minimal_consumption_logic: 'fixed',
    grace_coefficient: '0',
    apply_as_minimal_consumption: true,
  };
}

const step = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('create' as const), n: fc.nat(7), value, endDate, name }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('update' as const), n: fc.nat(7), value, endDate }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), n: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('refused' as const), n: fc.nat(7), value }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rename' as const), n: fc.nat(7), name }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('list' as const),
      terms: fc.array(term, { maxLength: 3 }),
      customerName: fc.option(fc.constantFrom('a', 'alpha', 'ga', 'ω'), { nil: undefined }),
      query: fc.option(fc.constantFrom('lab', 'ca0', 'beta', 'mega'), { nil: undefined }),
    }),
  },
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

describe('credit lists after writes: the ranks and search indexes they keep follow each change', () => {
  it('after any history of creates, updates, removes, refused writes and renames, a kept list answers as a list made fresh', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 50 }), (steps: Step[]) => {
        const store = new WaldurStore();
        store.transaction(() => {
          for (const n of [0, 2, 4, 6]) {
            store.customers.put({ uuid: hex('ca', n), name: `Customer ${n}`, slug: `slug-${n}` });
            store.customerCredits.put(credit(n, store.nextSeq(), `${n}.00000`, null, '0.00000'));
          }
        });
        const kept = creditList(store, CUSTOMER_CREDIT_LIST);
        kept.warm();
        for (const s of steps) {
          const uuid = hex('cc', 'n' in s ? s.n : 0);
          if (s.op === 'create' && !store.customerCredits.get(uuid))
            store.transaction(() => {
              store.customers.put({ uuid: hex('ca', s.n), name: s.name, slug: `slug-${s.n}` });
              store.customerCredits.put(credit(s.n, store.nextSeq(), s.value, s.endDate, s.value));
            });
          const current = store.customerCredits.get(uuid);
          if (s.op === 'update' && current)
            store.transaction(() => store.customerCredits.put({ ...current, value: s.value, end_date: s.endDate }));
          if (s.op === 'remove') store.transaction(() => store.customerCredits.remove(uuid));
          if (s.op === 'refused' && current)
            expect(() =>
              store.transaction(() => {
                store.customerCredits.put({ ...current, value: s.value, expected_consumption: s.value });
                throw new Error('refused');
              }),
            ).toThrow('refused');
          if (s.op === 'rename' && store.customers.get(hex('ca', s.n)))
            store.transaction(() => store.customers.put({ uuid: hex('ca', s.n), name: s.name, slug: 'renamed' }));
          if (s.op === 'list') {
            const query = {
              o: s.terms.join(','),
              ...(s.customerName === undefined ? {} : { customer_name: s.customerName }),
              ...(s.query === undefined ? {} : { query: s.query }),
            };
            const uuids = (views: readonly CreditView[]) => views.map((v) => v.credit.uuid);
            const fresh = uuids(creditList(store, CUSTOMER_CREDIT_LIST).list(STAFF, query));
            expect(uuids(kept.list(STAFF, query))).toEqual(fresh);
            expect(uuids(kept.list(ALL, query))).toEqual(fresh);
            const seen = new Set(uuids(creditList(store, CUSTOMER_CREDIT_LIST).list(SOME, query)));
            expect(uuids(kept.list(SOME, query))).toEqual(fresh.filter((u) => seen.has(u)));
            expect([...seen].every((u) => Number(u.slice(2)) < 4)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Views of credits 0 … n - 1 (sequence numbers from 1), with the values, end dates and names given. */
function views(rows: [string, string | null, string][]): CreditView<CustomerCredit>[] {
  return rows.map(([v, end, customerName], i) =>
    creditView(credit(i, i + 1, v, end, v), { customerUuid: hex('ca', i), customerName, customerSlug: '' }),
  );
}

const sign = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);

describe('KeptRanks and TextIndex following views one by one', () => {
  const row = fc.tuple(value, endDate, name);
  const edit = fc.tuple(fc.boolean(), fc.nat(), row);

  it('rank the views as ranks made fresh do, and mark the same views, after any takes and places', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), fc.array(edit, { maxLength: 12 }), (rows, edits) => {
        let current = views(rows);
        const ranks = (['value', 'end_date', 'customerName', 'expected_consumption'] as const).map((key) => ({
          key,
          kept: KeptRanks.of(key, current),
        }));
        const index = TextIndex.of(current, 'customerName')!;
        let seq = current.length + 1;
        for (const [join, where, r] of edits) {
          if (join) {
            // A new view: at the end (the next sequence number) of the creation order.
            const [v] = views([r]);
            const made = creditView({ ...v!.credit, seq: seq++ }, v!);
            const at = current.length;
            current = [...current, made];
            for (const { kept } of ranks) expect(kept.placed(at, made)).toBe(true);
            expect(index.placed(at, made)).toBe(true);
          } else if (current.length > 0) {
            const at = where % current.length;
            const gone = current[at]!;
            current = current.filter((_, i) => i !== at);
            for (const { kept } of ranks) expect(kept.taken(at, gone)).toBe(true);
            expect(index.taken(at, gone)).toBe(true);
          }
        }
        for (const { key, kept } of ranks) {
          const fresh = columnRanks(key, current).of;
          const of = kept.ranks().of;
          expect(of).toHaveLength(current.length);
          for (let i = 0; i < current.length; i++)
            for (let j = 0; j < current.length; j++) expect(sign(of[i]! - of[j]!)).toBe(sign(fresh[i]! - fresh[j]!));
        }
        for (const needle of ['a', 'alpha', 'ω', 'ga', 'x']) {
          const marked = index.containing(needle)!;
          expect(current.filter((v) => marked[v.seq] === 1)).toEqual(
            current.filter((v) => v.customerName.toLowerCase().includes(needle)),
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('declines, so that it is made again, what it cannot follow', () => {
    const vs = views([['1', null, 'a']]);
    const kept = KeptRanks.of('value', vs);
    expect(kept.taken(1, vs[0]!)).toBe(false);
    expect(kept.placed(2, vs[0]!)).toBe(false);
    const index = TextIndex.of(vs, 'customerName')!;
    // Not in the index, already in it, a text holding the separator, a sequence number far past the others.
    expect(
      index.taken(
        0,
        views([
          ['1', null, 'a'],
          ['2', null, 'b'],
        ])[1]!,
      ),
    ).toBe(false);
    expect(index.placed(0, vs[0]!)).toBe(false);
    const [odd] = views([['1', null, 'a\u0000b']]);
    expect(index.placed(0, creditView({ ...odd!.credit, seq: 5 }, odd!))).toBe(false);
    expect(index.placed(0, creditView({ ...odd!.credit, seq: 10_000_000 }, vs[0]!))).toBe(false);
  });
});

/** A follower that applies every step it is told to a copy of the views: it must end up equal to them. */
class Mirror implements ViewFollower<CreditView<CustomerCredit>> {
  constructor(readonly views: CreditView<CustomerCredit>[]) {}
  taken(at: number, view: CreditView<CustomerCredit>): boolean {
    expect(this.views[at]).toBe(view);
    this.views.splice(at, 1);
    return true;
  }
  placed(at: number, view: CreditView<CustomerCredit>): boolean {
    this.views.splice(at, 0, view);
    return true;
  }
}

describe('ListCache.follow', () => {
  it('tells a follower every view that leaves or joins the creation order, where, until the views are made again', () => {
    const write = fc.oneof(
      fc.record({ op: fc.constant('put' as const), n: fc.nat(8), value }),
      fc.record({ op: fc.constant('remove' as const), n: fc.nat(8) }),
      fc.record({ op: fc.constant('refused' as const), n: fc.nat(8), value }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(write, { maxLength: 4 }), { maxLength: 20 }), (batches) => {
        const tx = new TransactionManager();
        const table = new Table<CustomerCredit>('customer_credits', tx.journal);
        const kept = new KeptViews<CustomerCredit>();
        const view = (c: CustomerCredit) =>
          kept.of(c, { customerUuid: c.customer, customerName: '', customerSlug: '' });
        const cache = new ListCache<CreditView<CustomerCredit>, CustomerCredit>(() => 'stamp', {
          table,
          view,
          seq: (v) => v.seq,
        });
        const build = () => [...table.all()].map(view);
        let seq = 0;
        let made = 0;
        const mirror = () => cache.follow('mirror', () => (made++, new Mirror([...cache.allViews(build)])));
        mirror();
        for (const batch of batches) {
          for (const w of batch) {
            const old = table.get(hex('cc', w.n));
            if (w.op === 'put') table.put(old ? { ...old, value: w.value } : credit(w.n, ++seq, w.value, null, '0'));
            if (w.op === 'remove') table.remove(hex('cc', w.n));
            if (w.op === 'refused')
              expect(() =>
                tx.run(() => {
                  table.put(old ? { ...old, value: w.value } : credit(w.n, ++seq, w.value, null, '0'));
                  throw new Error('refused');
                }),
              ).toThrow('refused');
          }
          expect(mirror().views).toEqual(cache.allViews(build));
        }
        // Followed, not made again: the few changes of each batch were patched in.
        expect(made).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});
