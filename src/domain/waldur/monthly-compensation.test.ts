import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../money/decimal.js';
import { itemTotal } from './invoice-math.js';
import type { CustomerCredit, Invoice, InvoiceItem, ProjectCredit } from './model.js';
import { applyCompensations, clearCompensations, type Ledger } from './monthly-compensation.js';

/** The scenarios of docs/behaviour/waldur.md §13 with Waldur's numbers. */
const CUSTOMER = 'c'.repeat(32);
const PROJECT = 'p'.repeat(32);
let n = 0;
const uuid = () => (n++).toString(16).padStart(32, '0');

const customerCredit = (value: string, extra: Partial<CustomerCredit> = {}): CustomerCredit => ({
  uuid: 'cc'.padEnd(32, '0'),
  created: '2024-01-01T00:00:00Z',
  seq: 1,
  customer: CUSTOMER,
  offerings: [],
  value,
  end_date: null,
  expected_consumption: '0.00000',
  minimal_consumption_logic: 'fixed',
  grace_coefficient: '0',
  apply_as_minimal_consumption: true,
  ...extra,
});
const projectCredit = (value: string, extra: Partial<ProjectCredit> = {}): ProjectCredit => ({
  ...customerCredit(value),
  uuid: 'pc'.padEnd(32, '0'),
  project: PROJECT,
  mark_unused_credit_as_spent_on_project_termination: false,
  ...extra,
});
const usage = (unitPrice: string, quantity = '1', project: string | null = PROJECT): InvoiceItem => ({
  uuid: uuid(),
  name: 'VM',
  unit_price: unitPrice,
  quantity,
  project,
  offering: null,
  resource: uuid(),
  credit: null,
});
const invoice = (items: InvoiceItem[], tax = '0'): Invoice => ({
  uuid: uuid(),
  customer: CUSTOMER,
  year: 2024,
  month: 1,
  state: 'pending',
  tax_percent: tax,
  items,
});
const invoiceTotal = (inv: Invoice) => inv.items.reduce((t, i) => t.plus(itemTotal(i, inv)), new Dec(0));
const ledger = (inv: Invoice, cc: CustomerCredit, pcs: ProjectCredit[] = []): Ledger => ({
  invoice: inv,
  customerCredit: cc,
  projectCredits: pcs,
  today: '2024-01-15',
});

describe('§13.1 compensation with VAT 22 % (item 10 × 30 = 300, invoice total 366)', () => {
  const item = () => usage('10', '30', null);

  it('credit 183 (= total // 2): one line of −150 pre-VAT, total −183; invoice 183; credit 0', () => {
    const r = applyCompensations(ledger(invoice([item()], '22'), customerCredit('183.00000')), uuid);
    const lines = r.invoice.items.filter((i) => i.credit !== null);
    expect(lines.map((l) => new Dec(l.unit_price).toNumber())).toEqual([-150]);
    expect(itemTotal(lines[0]!, r.invoice).toFixed(2)).toBe('-183.00');
    expect(invoiceTotal(r.invoice).toFixed(2)).toBe('183.00');
    expect(r.customerCredit.value).toBe('0.00000');
  });

  it('credit 600: a line of −300 (total −366), invoice 0, credit 300 (the pre-VAT cost)', () => {
    const r = applyCompensations(ledger(invoice([item()], '22'), customerCredit('600.00000')), uuid);
    expect(invoiceTotal(r.invoice).toFixed(2)).toBe('0.00');
    expect(r.customerCredit.value).toBe('300.00000');
  });

  it('credit 1098 with expected consumption 732: a floor draw, 366 remain', () => {
    const r = applyCompensations(
      ledger(invoice([item()], '22'), customerCredit('1098.00000', { expected_consumption: '732.00000' })),
      uuid,
    );
    expect(r.customerCredit.value).toBe('366.00000');
    expect(r.events).toContain('reduction_of_customer_credit_due_to_minimal_consumption');
  });
});

describe('§13.2 the project-credit path (customer 100, project 50, item 300)', () => {
  it('draws both balances by 50; the remaining 250 is not covered', () => {
    const r = applyCompensations(
      ledger(invoice([usage('10', '30')]), customerCredit('100.00000'), [projectCredit('50.00000')]),
      uuid,
    );
    expect(r.projectCredits[0]!.value).toBe('0.00000');
    expect(r.customerCredit.value).toBe('50.00000');
    expect(invoiceTotal(r.invoice).toFixed(2)).toBe('250.00');
  });
});

describe('§13.3 apply then clear (tax 0)', () => {
  it('without a floor: 0/50 after apply, 50/100 after clear, the line removed, roll-backs logged', () => {
    const applied = applyCompensations(
      ledger(invoice([usage('10', '30')]), customerCredit('100.00000'), [projectCredit('50.00000')]),
      uuid,
    );
    expect([applied.projectCredits[0]!.value, applied.customerCredit.value]).toEqual(['0.00000', '50.00000']);
    expect(applied.invoice.items.filter((i) => i.credit !== null)).toHaveLength(1);
    const cleared = clearCompensations(applied);
    expect([cleared.projectCredits[0]!.value, cleared.customerCredit.value]).toEqual(['50.00000', '100.00000']);
    expect(cleared.invoice.items.filter((i) => i.credit !== null)).toHaveLength(0);
    expect(cleared.events).toEqual(['roll_back_customer_credit', 'roll_back_project_credit']);
  });

  it('with customer expected consumption 90: apply leaves 10 (100 − max(50, 90)), clear restores 100', () => {
    const cc = customerCredit('100.00000', { expected_consumption: '90.00000' });
    const applied = applyCompensations(ledger(invoice([usage('10', '30')]), cc, [projectCredit('50.00000')]), uuid);
    expect(applied.customerCredit.value).toBe('10.00000');
    expect(clearCompensations(applied).customerCredit.value).toBe('100.00000');
  });
});

describe('properties', () => {
  const items = fc.array(fc.record({ cents: fc.integer({ min: 1, max: 100_000 }), withProject: fc.boolean() }), {
    minLength: 1,
    maxLength: 6,
  });
  const money = fc.integer({ min: 0, max: 1_000_000 }).map((c) => (c / 100).toFixed(5));

  it('with VAT 0 and no floors, apply then clear restores every balance exactly', () => {
    fc.assert(
      fc.property(items, money, money, (its, cv, pv) => {
        const inv = invoice(its.map((i) => usage((i.cents / 100).toFixed(2), '1', i.withProject ? PROJECT : null)));
        const start = ledger(inv, customerCredit(cv), [projectCredit(pv)]);
        const back = clearCompensations(applyCompensations(start, uuid));
        expect(back.customerCredit.value).toBe(cv);
        expect(back.projectCredits[0]!.value).toBe(pv);
        expect(back.invoice.items).toEqual(inv.items);
      }),
    );
  });

  it('a compensation never exceeds its item’s pre-VAT cost, and the customer path never goes below zero', () => {
    fc.assert(
      fc.property(items, money, fc.integer({ min: 0, max: 30 }), (its, cv, tax) => {
        const inv = invoice(
          its.map((i) => usage((i.cents / 100).toFixed(2), '1', null)),
          String(tax),
        );
        const r = applyCompensations(ledger(inv, customerCredit(cv)), uuid);
        for (const line of r.invoice.items.filter((i) => i.credit !== null)) {
          const source = inv.items.find((i) => i.resource === line.resource)!;
          expect(new Dec(line.unit_price).negated().lte(new Dec(source.unit_price))).toBe(true);
        }
        expect(new Dec(r.customerCredit.value).isNegative()).toBe(false);
      }),
    );
  });

  // With VAT, an exhausted credit's remainder is divided by (1 + VAT) and rounded, so Waldur's
  // clear-then-apply is only roughly idempotent there (docs/behaviour/waldur.md §6.3, §6.4); without VAT it is exact.
  it('applying twice on the same open invoice is the same as once (VAT 0)', () => {
    fc.assert(
      fc.property(items, money, money, (its, cv, pv) => {
        const inv = invoice(its.map((i) => usage((i.cents / 100).toFixed(2), '1', i.withProject ? PROJECT : null)));
        const once = applyCompensations(ledger(inv, customerCredit(cv), [projectCredit(pv)]), uuid);
        const twice = applyCompensations(once, uuid);
        expect(twice.customerCredit.value).toBe(once.customerCredit.value);
        expect(twice.projectCredits).toEqual(once.projectCredits);
        const strip = (i: InvoiceItem) => ({ ...i, uuid: '' });
        expect(twice.invoice.items.map(strip)).toEqual(once.invoice.items.map(strip));
      }),
    );
  });
});
