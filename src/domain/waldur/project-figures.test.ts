import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../money/decimal.js';
import { WaldurStore } from './waldur.store.js';
import type { CustomerCredit, Invoice, InvoiceItem, ProjectCredit } from './model.js';
import { applyCompensations } from './monthly-compensation.js';
import { creditableCostThisMonth, isLimitedByOrganizationCredit, spendableValue } from './project-figures.js';

const CUSTOMER = 'c'.repeat(32);
const OTHER_CUSTOMER = 'd'.repeat(32);
const PROJECT = 'a'.repeat(32);
const OTHER_PROJECT = 'b'.repeat(32);
const COVERED = 'e'.repeat(32);
const UNCOVERED = 'f'.repeat(32);
let n = 0;
const uuid = () => (n++).toString(16).padStart(32, '0');

const base = {
  created: '2024-01-01T00:00:00Z',
  seq: 1,
  end_date: null,
  expected_consumption: '0.00000',
  minimal_consumption_logic: 'fixed' as const,
  grace_coefficient: '0',
  apply_as_minimal_consumption: true,
};
const customerCredit = (value: string, offerings: string[] = [COVERED]): CustomerCredit => ({
  ...base,
  uuid: 'cc'.padEnd(32, '0'),
  customer: CUSTOMER,
  offerings,
  value,
});
const projectCredit = (value: string, project = PROJECT): ProjectCredit => ({
  ...base,
  uuid: uuid(),
  project,
  value,
  mark_unused_credit_as_spent_on_project_termination: false,
});
const item = (price: string, extra: Partial<InvoiceItem> = {}): InvoiceItem => ({
  uuid: uuid(),
  name: 'VM',
  unit_price: price,
  quantity: '1',
  project: PROJECT,
  offering: COVERED,
  resource: uuid(),
  credit: null,
  ...extra,
});
const discountOf = (main: InvoiceItem, price: string): InvoiceItem =>
  item(price, {
    offering: main.offering,
    resource: main.resource,
    details: { is_discount: true, discount_of_item: main.uuid, discount_type: 'org_volume_discount' },
  });

function storeWith(items: InvoiceItem[], month = 2): WaldurStore {
  const store = new WaldurStore();
  const invoice: Invoice = {
    uuid: uuid(),
    customer: CUSTOMER,
    year: 2024,
    month,
    state: 'pending',
    tax_percent: '0',
    items,
  };
  store.load({
    // (load freezes what it is given)
    customers: [
      { uuid: CUSTOMER, name: 'Org', slug: 'org' },
      { uuid: OTHER_CUSTOMER, name: 'Other', slug: 'other' },
    ],
    projects: [
      { uuid: PROJECT, name: 'P', slug: 'p', customer: CUSTOMER },
      { uuid: OTHER_PROJECT, name: 'Q', slug: 'q', customer: CUSTOMER },
    ],
    offerings: [
      { uuid: COVERED, name: 'A', type: 'T', customer: null },
      { uuid: UNCOVERED, name: 'B', type: 'T', customer: null },
    ],
    users: [],
    customer_credits: [],
    project_credits: [],
    invoices: [invoice],
  });
  return store;
}
const TODAY = '2024-02-05';
const cost = (items: InvoiceItem[], cc: CustomerCredit | null = customerCredit('1000.00000'), month = 2) =>
  creditableCostThisMonth(storeWith(items, month), projectCredit('50.00000'), cc ?? undefined, TODAY)?.toString() ??
  null;

describe('creditable_cost_this_month: the tested values of docs/behaviour/waldur-8.1.md §3.3 (project credit 50, not a cap)', () => {
  it('a covered item of 100 → 100; 900 more on an uncovered offering → still 100; offerings emptied → 1000', () => {
    const covered = item('100');
    expect(cost([covered])).toBe('100');
    const items = [covered, item('900', { offering: UNCOVERED })];
    expect(cost(items)).toBe('100');
    expect(cost(items, customerCredit('1000.00000', []))).toBe('1000');
  });

  it("an item without a resource, and another project's item, are left out", () => {
    expect(cost([item('100'), item('70', { resource: null }), item('30', { project: OTHER_PROJECT })])).toBe('100');
  });

  it('100 with a paired −60 → 40; with −160 → 0 (never below zero)', () => {
    const main = item('100');
    expect(cost([main, discountOf(main, '-60')])).toBe('40');
    expect(cost([main, discountOf(main, '-160')])).toBe('0');
  });

  it('an existing compensation line is not counted, by its credit or by its details', () => {
    expect(cost([item('100'), item('-100', { credit: 'cc'.padEnd(32, '0') })])).toBe('100');
    expect(cost([item('100'), item('25', { details: { is_compensation: true } })])).toBe('100');
  });

  it('no invoice this month → null; no customer credit → 0', () => {
    expect(cost([item('100')], customerCredit('1000.00000'), 1)).toBeNull();
    expect(cost([item('100')], null)).toBe('0');
  });
});

describe('spendable_value and is_limited_by_organization_credit (docs/behaviour/waldur-8.1.md §3.2)', () => {
  it('min(value, organisation value); limited when the organisation holds less', () => {
    expect(spendableValue(projectCredit('50.00000'), customerCredit('100.00000')).toString()).toBe('50');
    expect(spendableValue(projectCredit('50.00000'), customerCredit('20.00000')).toString()).toBe('20');
    expect(isLimitedByOrganizationCredit(projectCredit('50.00000'), customerCredit('20.00000'))).toBe(true);
    expect(isLimitedByOrganizationCredit(projectCredit('50.00000'), customerCredit('50.00000'))).toBe(false);
    expect(spendableValue(projectCredit('50.00000'), undefined).toString()).toBe('0');
    expect(isLimitedByOrganizationCredit(projectCredit('0.00000'), undefined)).toBe(false);
  });

  it('holds for any values: spendable ≤ both, equal to one of them, and limited exactly when the organisation holds less', () => {
    const money = fc.integer({ min: 0, max: 10_000_000_000 }).map((c) => new Dec(c).div(100_000).toFixed(5));
    fc.assert(
      fc.property(money, money, (pv, cv) => {
        const s = spendableValue(projectCredit(pv), customerCredit(cv));
        expect(s.lte(pv) && s.lte(cv) && (s.eq(pv) || s.eq(cv))).toBe(true);
        expect(isLimitedByOrganizationCredit(projectCredit(pv), customerCredit(cv))).toBe(new Dec(cv).lt(pv));
      }),
    );
  });
});

describe('volume discounts in compensations (docs/behaviour/waldur-8.1.md §7.1)', () => {
  const ledger = (items: InvoiceItem[], value: string, volumeDiscounts: boolean) => ({
    invoice: {
      uuid: uuid(),
      customer: CUSTOMER,
      year: 2024,
      month: 2,
      state: 'pending' as const,
      tax_percent: '0',
      items,
    },
    customerCredit: customerCredit(value, []),
    projectCredits: [],
    today: TODAY,
    volumeDiscounts,
  });

  it('8.1: item 300 with a −60 discount and credit 1000 → credit 760, one line of −240, invoice 0', () => {
    const main = item('300', { project: null });
    const r = applyCompensations(ledger([main, discountOf(main, '-60')], '1000.00000', true), uuid);
    expect(r.customerCredit.value).toBe('760.00000');
    const lines = r.invoice.items.filter((i) => i.credit !== null);
    expect(lines.map((l) => new Dec(l.unit_price).toString())).toEqual(['-240']);
    expect(r.invoice.items.reduce((t, i) => t.plus(i.unit_price), new Dec(0)).toString()).toBe('0');
  });

  it('8.0.5: the same invoice draws the full 300 (the discount line is no candidate either way)', () => {
    const main = item('300', { project: null });
    const r = applyCompensations(ledger([main, discountOf(main, '-60')], '1000.00000', false), uuid);
    expect(r.customerCredit.value).toBe('700.00000');
  });

  it('8.1: a discount as large as the item leaves nothing to draw and writes no line', () => {
    const main = item('100', { project: null });
    const r = applyCompensations(ledger([main, discountOf(main, '-160')], '1000.00000', true), uuid);
    expect(r.customerCredit.value).toBe('1000.00000');
    expect(r.invoice.items.filter((i) => i.credit !== null)).toEqual([]);
  });

  it('8.1: with several items, the net costs are drawn and the total never exceeds the net usage', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ cents: fc.integer({ min: 1, max: 100_000 }), off: fc.integer({ min: 0, max: 150_000 }) }),
          { minLength: 1, maxLength: 5 },
        ),
        (rows) => {
          const items: InvoiceItem[] = [];
          let net = new Dec(0);
          for (const r of rows) {
            const main = item(new Dec(r.cents).div(100).toFixed(2), { project: null });
            items.push(main, discountOf(main, new Dec(-r.off).div(100).toFixed(2)));
            net = net.plus(Dec.max(0, new Dec(r.cents - r.off).div(100)));
          }
          const res = applyCompensations(ledger(items, '100000.00000', true), uuid);
          expect(new Dec('100000').minus(res.customerCredit.value).eq(net)).toBe(true);
        },
      ),
    );
  });
});
