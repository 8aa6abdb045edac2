import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { creditView, KeptViews, type CreditView } from '../filters.js';
import type { CustomerCredit } from '../model.js';
import { applyOrdering, viewComparator } from './ordering.js';
import { CUSTOMER_CREDIT_FILTERS } from '../customer-credits.service.js';

const credit = (uuid: string, value: string, end_date: string | null = null): CustomerCredit => ({
  uuid,
  customer: `c-${uuid}`,
  offerings: [],
  created: '2026-01-01T00:00:00Z',
  seq: 0,
  value,
  end_date,
  expected_consumption: '0.00000',
  minimal_consumption_logic: 'fixed',
  grace_coefficient: '0',
  apply_as_minimal_consumption: true,
});
const view = (c: CustomerCredit, name = c.uuid): CreditView<CustomerCredit> =>
  creditView(c, { customerUuid: c.customer, customerName: name, customerSlug: name });
const order = (o: string, views: CreditView<CustomerCredit>[]) =>
  applyOrdering(CUSTOMER_CREDIT_FILTERS, { o }, views).map((v) => v.credit.uuid);

describe('applyOrdering', () => {
  it('orders decimals exactly, also beyond the 15 digits a double holds', () => {
    const views = [
      view(credit('b', '12345678901234567.00002')),
      view(credit('a', '12345678901234567.00001')),
      view(credit('c', '-0.50000')),
      view(credit('d', '12345678901234567.00002')),
    ];
    expect(order('value', views)).toEqual(['c', 'a', 'b', 'd']);
    expect(order('-value', views)).toEqual(['b', 'd', 'a', 'c']);
  });

  it('orders plain decimals as numbers, not as text; ties keep creation order', () => {
    const views = ['100.00000', '9.50000', '-3.00000', '9.50000', '0.00000'].map((v, i) => view(credit(`u${i}`, v)));
    expect(order('value', views)).toEqual(['u2', 'u4', 'u1', 'u3', 'u0']);
    expect(order('-value', views)).toEqual(['u0', 'u1', 'u3', 'u4', 'u2']);
  });

  it('puts a NULL end date last ascending and first descending', () => {
    const views = [
      view(credit('n', '1', null)),
      view(credit('late', '1', '2027-05-01')),
      view(credit('early', '1', '2027-01-01')),
    ];
    expect(order('end_date', views)).toEqual(['early', 'late', 'n']);
    expect(order('-end_date', views)).toEqual(['n', 'late', 'early']);
  });

  it('compares names by code point, with the next term breaking ties', () => {
    const views = [view(credit('1', '2'), 'beta'), view(credit('2', '1'), 'Beta'), view(credit('3', '3'), 'beta')];
    expect(order('customer_name,-value', views)).toEqual(['2', '3', '1']);
  });
});

describe('KeptViews', () => {
  it('hands out the kept view while its facts hold, and a fresh one once they change', () => {
    const kept = new KeptViews<CustomerCredit>();
    const c = credit('x', '1');
    const facts = { customerUuid: c.customer, customerName: 'Alpha', customerSlug: 'alpha' };
    const first = kept.of(c, facts);
    expect(kept.of(c, { ...facts })).toBe(first);
    const renamed = kept.of(c, { ...facts, customerName: 'Alpha Two' });
    expect(renamed).not.toBe(first);
    expect(renamed.customerName).toBe('Alpha Two');
  });
});

describe('applyOrdering (ranks and a radix sort) against a comparison sort', () => {
  const decimal = fc.oneof(
    fc.constantFrom('0', '-0.00', '0.00000', '1.5', '1.50000', '-2', '99999999999999999.5', '99999999999999999.25'),
    fc.integer({ min: -5000, max: 5000 }).map((n) => (n / 100).toFixed(2)),
  );
  const name = fc.oneof(fc.constantFrom('', 'a', 'A', 'b', 'é', 'Z', 'a b'), fc.string({ maxLength: 4 }));
  const date = fc.option(fc.constantFrom('2026-01-01', '2027-07-01', '2026-12-31'), { nil: null });
  const term = fc
    .constantFrom('value', 'customer_name', 'end_date', 'expected_consumption')
    .chain((k) => fc.constantFrom(k, `-${k}`));

  it('gives the order of viewComparator with creation order breaking ties, for any views and `o`', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(decimal, decimal, name, date), { maxLength: 40 }),
        fc.array(term, { minLength: 1, maxLength: 4 }),
        (rows, terms) => {
          const views = rows.map(([value, expected, n, end], i) =>
            view({ ...credit(`u${i}`, value, end), seq: i, expected_consumption: expected }, n),
          );
          const o = terms.join(',');
          const compare = viewComparator<CustomerCredit>(CUSTOMER_CREDIT_FILTERS, { o });
          const expected = [...views].sort((a, b) => compare(a, b) || a.seq - b.seq).map((v) => v.credit.uuid);
          expect(order(o, views)).toEqual(expected);
        },
      ),
    );
  });
});
