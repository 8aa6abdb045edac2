import type { Balance } from '../../domain/maple/balance.js';
import type { BillableItem, Credit, CreditLog, Customer, Invoice } from '../../domain/maple/model.js';
import type { Page } from '../../domain/maple/pagination.js';
import type { MapleBook } from '../../store/maple.store.js';

/** Maple's JSON: objects as the public reference pages show them, keys in the seed's (alphabetical) order. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function renderItem(item: BillableItem): Json {
  return {
    company_id: item.company_id,
    created_at: item.created_at,
    description: item.description,
    display_type: item.display_type,
    editable: item.editable,
    external_name: item.external_name,
    id: item.id,
    name: item.name,
    standard: item.standard,
    type: item.type,
    updated_at: item.updated_at,
  };
}

const money = (m: Credit['amount']): Json => (m === null ? null : { currency: m.currency, value_in_cents: m.value_in_cents });

/** The Credit object of the seed: every field present, nullable ones as null, `item` expanded. */
export function renderCredit(book: MapleBook, c: Credit): Json {
  const item = c.item_id === null ? undefined : book.items.get(c.item_id);
  return {
    amount: money(c.amount),
    coupon_id: c.coupon_id,
    created_at: c.created_at,
    customer_id: c.customer_id,
    expiration_date: c.expiration_date,
    id: c.id,
    import_created_at_ref: c.import_created_at_ref,
    import_ref: c.import_ref,
    imported_from: c.imported_from,
    issued_amount: money(c.issued_amount),
    issued_units: c.issued_units,
    item: item ? renderItem(item) : null,
    item_id: c.item_id,
    metric_record_id: c.metric_record_id,
    name: c.name,
    one_time_billable_id: c.one_time_billable_id,
    proration_date: c.proration_date,
    state: c.state,
    subscription_id: c.subscription_id,
    type: c.type,
    units: c.units,
  };
}

function renderCustomer(c: Customer): Json {
  return { email: c.email, id: c.id, identifier: c.identifier, name: c.name };
}

function renderInvoice(i: Invoice): Json {
  return { currency: i.currency, due_in_cents: i.due_in_cents, id: i.id, state: i.state, total_in_cents: i.total_in_cents };
}

/** A credit-log entry with its credit, customer and invoice expanded (the credit as it is now). */
export function renderLog(book: MapleBook, l: CreditLog): Json {
  const credit = book.credits.get(l.credit_id);
  const customer = book.customers.get(l.customer_id);
  const invoice = l.invoice_id === null ? undefined : book.invoices.get(l.invoice_id);
  return {
    action_type: l.action_type,
    amount_applied: money(l.amount_applied),
    created_at: l.created_at,
    credit: credit ? renderCredit(book, credit) : null,
    credit_id: l.credit_id,
    customer: customer ? renderCustomer(customer) : null,
    customer_id: l.customer_id,
    id: l.id,
    invoice: invoice ? renderInvoice(invoice) : null,
    invoice_id: l.invoice_id,
    note: l.note,
    units_applied: l.units_applied,
  };
}

export function renderBalance(b: Balance): Json {
  const withMeta = Object.fromEntries(
    Object.entries(b.total_units_with_meta).map(([itemId, { units, item }]): [string, Json] => [itemId, { item: item ? renderItem(item) : null, units }]),
  );
  return { total_amount: { ...b.total_amount }, total_units: { ...b.total_units }, total_units_with_meta: withMeta };
}

export function renderPage<T>(page: Page<T>, render: (item: T) => Json): Json {
  const body: { [key: string]: Json } = {
    pagination: { from_key: page.pagination.from_key, limit: page.pagination.limit },
    results: page.results.map(render),
  };
  if (page.meta) body.meta = { total: page.meta.total };
  return body;
}
