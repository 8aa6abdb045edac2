/**
 * apply_to_open_invoices (docs/behaviour/maple.md §1.9, Part 4 item 10) [inference]: an
 * AMOUNT credit goes to the customer's PENDING and OVERDUE invoices in its own
 * currency, oldest first (created_at, then id), or only to those listed (the
 * listed ones that are not open or in another currency are skipped). Each
 * invoice takes at most its due_in_cents; the leftover stays on the credit;
 * an invoice whose due reaches 0 becomes PAID. One CONSUMED entry carrying
 * the invoice id per invoice paid from the credit.
 */
import type { MapleBook } from './maple.store.js';
import { Dec } from '../money/decimal.js';
import { remainingOf } from './balance.js';
import { deduct, isoOf, type LedgerContext } from './ledger-entries.js';
import { OPEN_INVOICE_STATES, type Credit, type CreditLog, type Invoice } from './model.js';
import { subtractCents } from './money.js';

/** The invoices a credit may be applied to, in the order they are filled. */
export function openInvoicesFor(book: MapleBook, credit: Credit, invoiceIds: readonly string[] | null): Invoice[] {
  if (credit.type !== 'AMOUNT') return [];
  const currency = credit.amount!.currency;
  return book.invoices
    .getGroup('customer', credit.customer_id)
    .filter((i) => OPEN_INVOICE_STATES.includes(i.state) && i.currency === currency)
    .filter((i) => invoiceIds === null || invoiceIds.includes(i.id))
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function settle(book: MapleBook, invoice: Invoice, paid: number): void {
  const due = subtractCents(invoice.due_in_cents, paid);
  book.invoices.put({ ...invoice, due_in_cents: due, state: due === 0 ? 'PAID' : invoice.state });
}

/** Applies what remains of an ACTIVE AMOUNT credit to open invoices. */
export function applyToOpenInvoices(
  book: MapleBook,
  creditId: string,
  invoiceIds: readonly string[] | null,
  ctx: LedgerContext,
): CreditLog[] {
  const logs: CreditLog[] = [];
  for (const invoice of openInvoicesFor(book, book.credits.get(creditId)!, invoiceIds)) {
    const credit = book.credits.get(creditId)!;
    if (credit.state !== 'ACTIVE') break;
    const take = Dec.min(remainingOf(credit), invoice.due_in_cents);
    if (take.isZero()) continue;
    logs.push(
      deduct(book, credit, take, { id: ctx.ids.next('log_'), created_at: isoOf(ctx.now), invoice_id: invoice.id }),
    );
    settle(book, invoice, take.toNumber());
  }
  return logs;
}
