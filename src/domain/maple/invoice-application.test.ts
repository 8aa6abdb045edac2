import { describe, expect, it } from 'vitest';
import { validateCreateCredit } from './credit-rules.js';
import { applyToOpenInvoices, openInvoicesFor } from './invoice-application.js';
import { issueCredit } from './ledger.js';
import {
  addInvoice,
  ALICE,
  amountBody,
  BOB,
  DAY,
  failure,
  isoAfter,
  unitsBody,
  value,
  world,
  type World,
} from './maple-world.fixture.js';
import type { InvoiceState } from './model.js';
import { ledgerMismatches } from './replay.js';

/** inv_old due 3000 (two days ago), inv_new due 5000 (yesterday), inv_eur due 4000 EUR (three days ago). */
function invoices(): World {
  const w = world();
  addInvoice(w.book, 'inv_new', 5000, isoAfter(-DAY));
  addInvoice(w.book, 'inv_old', 3000, isoAfter(-2 * DAY));
  addInvoice(w.book, 'inv_eur', 4000, isoAfter(-3 * DAY), { currency: 'EUR' });
  return w;
}
function issue(
  w: World,
  cents: number,
  apply: Record<string, unknown> | undefined,
  extra: Record<string, unknown> = {},
) {
  const body = amountBody(cents, apply === undefined ? extra : { apply_to_open_invoices: apply, ...extra });
  return issueCredit(w.book, value(validateCreateCredit(w.book, body, w.clock.now())), w.ledger());
}
/** Invoice id → [due_in_cents, state]. */
const dues = (w: World) => Object.fromEntries([...w.book.invoices.all()].map((i) => [i.id, [i.due_in_cents, i.state]]));
const entries = (
  logs: readonly {
    action_type: string;
    amount_applied: { value_in_cents: number } | null;
    invoice_id: string | null;
  }[],
) => logs.map((l) => [l.action_type, l.amount_applied!.value_in_cents, l.invoice_id]);

describe('apply_to_open_invoices', () => {
  it('10000 USD cents on invoices due 3000 and 5000, oldest first → 2000 left, one CONSUMED entry per invoice; the EUR invoice untouched', () => {
    const w = invoices();
    const r = issue(w, 10000, { enable: true });
    expect(r.credit).toMatchObject({
      state: 'ACTIVE',
      amount: { currency: 'USD', value_in_cents: 2000 },
      issued_amount: { value_in_cents: 10000 },
    });
    expect(entries(r.logs)).toEqual([
      ['ISSUED', 10000, null],
      ['CONSUMED', 3000, 'inv_old'],
      ['CONSUMED', 5000, 'inv_new'],
    ]);
    expect(r.logs.slice(1)).toEqual(
      ['inv_old', 'inv_new'].map((invoice_id) =>
        expect.objectContaining({
          credit_id: r.credit.id,
          customer_id: ALICE,
          invoice_id,
          note: null,
          units_applied: null,
          created_at: '2024-01-01T00:00:00.000Z',
        }),
      ),
    );
    expect(dues(w)).toEqual({ inv_new: [0, 'PAID'], inv_old: [0, 'PAID'], inv_eur: [4000, 'PENDING'] });
    expect(w.book.invoices.get('inv_old')!.total_in_cents).toBe(3000);
    expect(w.book.logs.getGroup('invoice', 'inv_new')).toEqual([r.logs[2]]);
    expect(ledgerMismatches(w.book)).toEqual([]);
  });

  it('4000 covers inv_old (3000) and 1000 of inv_new, which stays PENDING with 4000 due; the credit is CONSUMED', () => {
    const w = invoices();
    const r = issue(w, 4000, { enable: true });
    expect(r.credit).toMatchObject({
      state: 'CONSUMED',
      amount: { value_in_cents: 0 },
      issued_amount: { value_in_cents: 4000 },
    });
    expect(entries(r.logs)).toEqual([
      ['ISSUED', 4000, null],
      ['CONSUMED', 3000, 'inv_old'],
      ['CONSUMED', 1000, 'inv_new'],
    ]);
    expect(dues(w)).toEqual({ inv_new: [4000, 'PENDING'], inv_old: [0, 'PAID'], inv_eur: [4000, 'PENDING'] });
    expect(ledgerMismatches(w.book)).toEqual([]);
  });

  it('never beyond what is due: a second credit of 10000 takes only the 4000 inv_new still owes, and 6000 stay on it', () => {
    const w = invoices();
    issue(w, 4000, { enable: true });
    const r = issue(w, 10000, { enable: true });
    expect(entries(r.logs)).toEqual([
      ['ISSUED', 10000, null],
      ['CONSUMED', 4000, 'inv_new'],
    ]);
    expect(r.credit).toMatchObject({ state: 'ACTIVE', amount: { value_in_cents: 6000 } });
    const inv = w.book.invoices.get('inv_new')!;
    expect([inv.total_in_cents, inv.due_in_cents, inv.state]).toEqual([5000, 0, 'PAID']);
    expect(w.book.logs.getGroup('invoice', 'inv_new').map((l) => l.amount_applied!.value_in_cents)).toEqual([
      1000, 4000,
    ]);
  });

  it('an open invoice with nothing due gets no entry', () => {
    const w = world();
    addInvoice(w.book, 'inv_zero', 0, isoAfter(-2 * DAY));
    addInvoice(w.book, 'inv_1', 700, isoAfter(-DAY));
    const r = issue(w, 1000, { enable: true });
    expect(entries(r.logs)).toEqual([
      ['ISSUED', 1000, null],
      ['CONSUMED', 700, 'inv_1'],
    ]);
    expect(dues(w)).toEqual({ inv_zero: [0, 'PENDING'], inv_1: [0, 'PAID'] });
  });

  it('invoices of the same age go in id order', () => {
    const w = world();
    addInvoice(w.book, 'inv_b', 600, isoAfter(-DAY));
    addInvoice(w.book, 'inv_a', 600, isoAfter(-DAY));
    const r = issue(w, 1000, { enable: true });
    expect(entries(r.logs)).toEqual([
      ['ISSUED', 1000, null],
      ['CONSUMED', 600, 'inv_a'],
      ['CONSUMED', 400, 'inv_b'],
    ]);
    expect(dues(w)).toEqual({ inv_b: [200, 'PENDING'], inv_a: [0, 'PAID'] });
  });

  it('with invoice_uuids, only those: 10000 on inv_new alone → 5000 left', () => {
    const w = invoices();
    const r = issue(w, 10000, { enable: true, invoice_uuids: ['inv_new'] });
    expect(r.credit.amount!.value_in_cents).toBe(5000);
    expect(entries(r.logs)).toEqual([
      ['ISSUED', 10000, null],
      ['CONSUMED', 5000, 'inv_new'],
    ]);
    expect(dues(w)).toEqual({ inv_new: [0, 'PAID'], inv_old: [3000, 'PENDING'], inv_eur: [4000, 'PENDING'] });
  });

  it('listed invoices are still filled oldest first, whatever the order of the list', () => {
    const w = invoices();
    const r = issue(w, 6000, { enable: true, invoice_uuids: ['inv_new', 'inv_old'] });
    expect(entries(r.logs)).toEqual([
      ['ISSUED', 6000, null],
      ['CONSUMED', 3000, 'inv_old'],
      ['CONSUMED', 3000, 'inv_new'],
    ]);
  });

  it('a listed invoice in another currency is skipped, not an error', () => {
    const w = invoices();
    const r = issue(w, 10000, { enable: true, invoice_uuids: ['inv_eur'] });
    expect(entries(r.logs)).toEqual([['ISSUED', 10000, null]]);
    expect(r.credit.amount!.value_in_cents).toBe(10000);
    expect(dues(w).inv_eur).toEqual([4000, 'PENDING']);
  });

  it('a EUR credit pays the EUR invoice only: 2500 of its 4000', () => {
    const w = invoices();
    const r = issue(w, 2500, { enable: true }, { amount: { currency: 'EUR', value_in_cents: 2500 } });
    expect(entries(r.logs)).toEqual([
      ['ISSUED', 2500, null],
      ['CONSUMED', 2500, 'inv_eur'],
    ]);
    expect(r.logs[1]!.amount_applied).toEqual({ currency: 'EUR', value_in_cents: 2500 });
    expect(dues(w)).toEqual({ inv_new: [5000, 'PENDING'], inv_old: [3000, 'PENDING'], inv_eur: [1500, 'PENDING'] });
  });

  it('enable=false or no apply_to_open_invoices: no invoice changes', () => {
    for (const apply of [{ enable: false }, { enable: false, invoice_uuids: ['inv_old'] }, undefined]) {
      const w = invoices();
      const before = dues(w);
      const r = issue(w, 10000, apply);
      expect(entries(r.logs)).toEqual([['ISSUED', 10000, null]]);
      expect(dues(w)).toEqual(before);
      expect(before).toEqual({ inv_new: [5000, 'PENDING'], inv_old: [3000, 'PENDING'], inv_eur: [4000, 'PENDING'] });
    }
  });

  it.each<[InvoiceState, boolean]>([
    ['PENDING', true],
    ['OVERDUE', true],
    ['PAID', false],
    ['VOID', false],
    ['DRAFT', false],
  ])('an invoice in state %s is open: %s', (state, open) => {
    const w = world();
    addInvoice(w.book, 'inv_1', 3000, isoAfter(-DAY), { state });
    const r = issue(w, 10000, { enable: true });
    expect(r.credit.amount!.value_in_cents).toBe(open ? 7000 : 10000);
    expect(entries(r.logs)).toEqual(
      open
        ? [
            ['ISSUED', 10000, null],
            ['CONSUMED', 3000, 'inv_1'],
          ]
        : [['ISSUED', 10000, null]],
    );
    expect(dues(w)).toEqual({ inv_1: open ? [0, 'PAID'] : [3000, state] });
  });

  it("another customer's invoices are never touched, and listing one is not_found", () => {
    const w = world();
    addInvoice(w.book, 'inv_bob', 3000, isoAfter(-DAY), { customer_id: BOB });
    expect(issue(w, 10000, { enable: true }).credit.amount!.value_in_cents).toBe(10000);
    expect(dues(w)).toEqual({ inv_bob: [3000, 'PENDING'] });
    const body = amountBody(10000, { apply_to_open_invoices: { enable: true, invoice_uuids: ['inv_bob'] } });
    expect(failure(validateCreateCredit(w.book, body, w.clock.now()))).toMatchObject({
      kind: 'not_found',
      validation_errors: [{ field: 'apply_to_open_invoices.invoice_uuids', message: 'invoice inv_bob not found' }],
    });
  });

  it('a UNITS credit cannot be applied: refused at validation, and openInvoicesFor gives it nothing', () => {
    const w = invoices();
    const f = failure(
      validateCreateCredit(w.book, unitsBody(100, { apply_to_open_invoices: { enable: true } }), w.clock.now()),
    );
    expect(f.validation_errors).toEqual([
      { field: 'apply_to_open_invoices.enable', message: 'only AMOUNT credits can be applied to invoices' },
    ]);
    const units = issueCredit(
      w.book,
      value(validateCreateCredit(w.book, unitsBody(100), w.clock.now())),
      w.ledger(),
    ).credit;
    expect(openInvoicesFor(w.book, units, null)).toEqual([]);
    expect(applyToOpenInvoices(w.book, units.id, null, w.ledger())).toEqual([]);
  });

  it('applyToOpenInvoices on an existing credit: takes what remains, and stops once the credit is CONSUMED', () => {
    const w = invoices();
    const credit = issue(w, 3500, undefined).credit;
    expect(openInvoicesFor(w.book, credit, null).map((i) => i.id)).toEqual(['inv_old', 'inv_new']);
    const logs = applyToOpenInvoices(w.book, credit.id, null, w.ledger());
    expect(entries(logs)).toEqual([
      ['CONSUMED', 3000, 'inv_old'],
      ['CONSUMED', 500, 'inv_new'],
    ]);
    expect(w.book.credits.get(credit.id)).toMatchObject({ state: 'CONSUMED', amount: { value_in_cents: 0 } });
    expect(applyToOpenInvoices(w.book, credit.id, null, w.ledger())).toEqual([]);
    expect(dues(w)).toEqual({ inv_new: [4500, 'PENDING'], inv_old: [0, 'PAID'], inv_eur: [4000, 'PENDING'] });
    expect(ledgerMismatches(w.book)).toEqual([]);
  });
});
