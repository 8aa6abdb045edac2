import type { Balance } from '../../domain/maple/balance.js';
import type { BillableItem, Credit, CreditLog, Customer, Invoice } from '../../domain/maple/model.js';
import type { Page } from '../../domain/maple/pagination.js';
import type { MapleBook } from '../../domain/maple/maple.store.js';
import { JsonDecimal, type Json } from './maple-json.js';

/**
 * Maple's JSON: objects as the public reference pages show them, keys in the
 * seed's (alphabetical) order. Where Maple's schema types a field as a value
 * (not `null | …`), a value is always written: what the credit does not have
 * is written as an unset value, as a server writes an unset struct [inference]
 * — 0 units, an empty amount `{currency: "", value_in_cents: 0}`, an empty
 * item (EMPTY_ITEM), an empty name "". Units are JSON numbers with their exact
 * decimal text.
 */
export type { Json } from './maple-json.js';

/** The amount of a credit that has none (a UNITS credit). */
export const EMPTY_MONEY = Object.freeze({ currency: '', value_in_cents: 0 });
/** The zero instant of an unset timestamp. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';
/** The `item` of a credit without a billable item (an AMOUNT credit). */
export const EMPTY_ITEM = Object.freeze({
  company_id: '',
  created_at: ZERO_TIME,
  description: null,
  display_type: null,
  editable: false,
  external_name: null,
  id: '',
  name: '',
  standard: false,
  type: '',
  updated_at: ZERO_TIME,
});

const units = (u: string | null): Json => new JsonDecimal(u ?? '0');

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

const money = (m: Credit['amount']): Json =>
  m === null ? { ...EMPTY_MONEY } : { currency: m.currency, value_in_cents: m.value_in_cents };
const cents = (currency: string, value: number): Json => ({ currency, value_in_cents: value });

function itemOf(book: MapleBook, itemId: string | null): Json {
  const item = itemId === null ? undefined : book.items.get(itemId);
  return item ? renderItem(item) : { ...EMPTY_ITEM };
}

/** The Credit object of the seed: every field present, nullable ones as null, `item` expanded. */
export function renderCredit(book: MapleBook, c: Credit): Json {
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
    issued_units: units(c.issued_units),
    item: itemOf(book, c.item_id),
    item_id: c.item_id,
    metric_record_id: c.metric_record_id,
    name: c.name ?? '',
    one_time_billable_id: c.one_time_billable_id,
    proration_date: c.proration_date,
    state: c.state,
    subscription_id: c.subscription_id,
    type: c.type,
    units: units(c.units),
  };
}

/** Maple's customer object; the mock keeps no organisation name or customer hierarchy. */
function renderCustomer(c: Customer): Json {
  return {
    email: c.email,
    id: c.id,
    identifier: c.identifier,
    name: c.name,
    org_name: null,
    parent_customer: null,
    parent_customer_id: null,
  };
}

/**
 * Maple's invoice object: `uuid` is the id `invoice_uuids` and `invoice_id`
 * name, `status` its state, money as `{currency, value_in_cents}`. What the
 * mock does not model is null (number, dates beyond creation, links) or zero
 * (no tax, no proration: sub_total is the total, prorated_amount 0).
 */
export function renderInvoice(i: Invoice): Json {
  return {
    auto_charges: null,
    billed_customer_id: i.customer_id,
    created_at: i.created_at,
    customer_id: i.customer_id,
    due: cents(i.currency, i.due_in_cents),
    due_date: null,
    hosted_link: null,
    invoice_date: i.created_at,
    name: null,
    number: null,
    paid: cents(i.currency, i.total_in_cents - i.due_in_cents),
    paid_date: null,
    pdf_link: null,
    prorated_amount: cents(i.currency, 0),
    status: i.state,
    sub_total: cents(i.currency, i.total_in_cents),
    subscription_id: null,
    total: cents(i.currency, i.total_in_cents),
    updated_at: null,
    uuid: i.id,
  };
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
    item: itemOf(book, credit?.item_id ?? null),
    item_id: credit?.item_id ?? null,
    note: l.note,
    units_applied: l.units_applied === null ? null : units(l.units_applied),
  };
}

export function renderBalance(b: Balance): Json {
  const withMeta = Object.fromEntries(
    Object.entries(b.total_units_with_meta).map(([itemId, meta]): [string, Json] => [
      itemId,
      { item: meta.item ? renderItem(meta.item) : { ...EMPTY_ITEM }, units: units(meta.units) },
    ]),
  );
  const totalUnits = Object.fromEntries(
    Object.entries(b.total_units).map(([itemId, u]): [string, Json] => [itemId, units(u)]),
  );
  return { total_amount: { ...b.total_amount }, total_units: totalUnits, total_units_with_meta: withMeta };
}

export function renderPage<T>(page: Page<T>, render: (item: T) => Json): Json {
  const body: { [key: string]: Json } = {
    pagination: { from_key: page.pagination.from_key, limit: page.pagination.limit },
    results: page.results.map(render),
  };
  if (page.meta) body.meta = { total: page.meta.total };
  return body;
}
