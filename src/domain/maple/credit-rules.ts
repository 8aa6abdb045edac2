/**
 * Validation of `POST /credits` (reference Part 4 item 3, §1.3). Every
 * malformed field is reported at once as a validation_error; only a body with
 * well-formed fields has its references looked up (an unknown customer, item,
 * subscription or invoice is not_found).
 *
 * The open questions of §1.10 are answered once each (README, behaviour
 * choices): AMOUNT requires amount and forbids units and item_id; UNITS
 * requires units and item_id and forbids amount; the state on create must be
 * ACTIVE; expiration_date must be RFC 3339 and in the future; currency is
 * uppercase ISO 4217; value_in_cents is in the minor unit.
 */
import { poolTotal } from './balance.js';
import { invalid, notFound, succeed, type FieldError, type Outcome } from './errors.js';
import { asBody, present, readBoolean, readEnum, readFutureTimestamp, readString, readStringList, readWhole, refuseUnknown, type Body } from './field-rules.js';
import type { MapleBook } from '../../store/maple.store.js';
import { CREDIT_STATES, CREDIT_TYPES, type CreditType } from './model.js';
import { addCents, MAX_CENTS, validateMoney, type Money } from './money.js';

/** A create request that passed validation, with its references resolved to ids. */
export interface IssueCommand {
  readonly customer_id: string;
  readonly name: string | null;
  readonly type: CreditType;
  readonly amount: Money | null;
  readonly units: number | null;
  readonly item_id: string | null;
  readonly subscription_id: string | null;
  readonly expiration_date: string | null;
  /** null: leave invoices alone; invoice_ids null: every open invoice. */
  readonly apply_to_invoices: { readonly invoice_ids: readonly string[] | null } | null;
}

export const CREATE_FIELDS = [
  'customer_id', 'name', 'type', 'state', 'amount', 'units', 'item_id', 'subscription_id', 'expiration_date', 'apply_to_open_invoices',
] as const;

type Grant = { amount: Money | null; units: number | null };
type Apply = { enable: boolean; invoice_ids: string[] | null } | null;

function readCreateState(body: Body, errors: FieldError[]): void {
  const state = readEnum(body, 'state', CREDIT_STATES, errors);
  if (state !== undefined && state !== 'ACTIVE') errors.push({ field: 'state', message: 'state must be ACTIVE when a credit is created' });
}

function readApply(body: Body, errors: FieldError[]): Apply {
  const raw = present(body, 'apply_to_open_invoices');
  if (raw === undefined) return null;
  const apply = asBody(raw);
  if (!apply) {
    errors.push({ field: 'apply_to_open_invoices', message: 'apply_to_open_invoices must be an object' });
    return null;
  }
  refuseUnknown(apply, ['enable', 'invoice_uuids'], 'apply_to_open_invoices.', errors);
  const enable = readBoolean(apply, 'enable', 'apply_to_open_invoices.enable', errors);
  if (present(apply, 'enable') === undefined) errors.push({ field: 'apply_to_open_invoices.enable', message: 'apply_to_open_invoices.enable is required' });
  const ids = readStringList(apply, 'invoice_uuids', 'apply_to_open_invoices.invoice_uuids', errors);
  return { enable: enable === true, invoice_ids: ids === undefined ? null : [...new Set(ids)] };
}

function forbid(body: Body, key: string, type: CreditType, errors: FieldError[]): void {
  if (present(body, key) !== undefined) errors.push({ field: key, message: `${key} must not be set for ${type === 'AMOUNT' ? 'an' : 'a'} ${type} credit` });
}

function readGrant(body: Body, type: CreditType, apply: Apply, errors: FieldError[]): Grant | null {
  if (type === 'AMOUNT') {
    forbid(body, 'units', type, errors);
    forbid(body, 'item_id', type, errors);
    const raw = present(body, 'amount');
    if (raw === undefined) return (errors.push({ field: 'amount', message: 'amount is required for an AMOUNT credit' }), null);
    const money = validateMoney(raw, 'amount');
    if (!money.ok) return (errors.push(...money.errors), null);
    if (money.money.value_in_cents === 0) return (errors.push({ field: 'amount.value_in_cents', message: 'amount.value_in_cents must be greater than 0' }), null);
    return { amount: money.money, units: null };
  }
  forbid(body, 'amount', type, errors);
  if (present(body, 'item_id') === undefined) errors.push({ field: 'item_id', message: 'item_id is required for a UNITS credit' });
  if (apply?.enable) errors.push({ field: 'apply_to_open_invoices.enable', message: 'only AMOUNT credits can be applied to invoices' });
  if (present(body, 'units') === undefined) return (errors.push({ field: 'units', message: 'units is required for a UNITS credit' }), null);
  const units = readWhole(body, 'units', errors);
  if (units === 0) errors.push({ field: 'units', message: 'units must be greater than 0' });
  return units === undefined || units === 0 ? null : { amount: null, units };
}

/** Validates a create body against the book at `now` (run expireDue first). */
export function validateCreateCredit(book: MapleBook, input: unknown, now: Date): Outcome<IssueCommand> {
  const body = asBody(input);
  if (!body) return invalid([{ field: 'body', message: 'the request body must be a JSON object' }]);
  const errors: FieldError[] = [];
  refuseUnknown(body, CREATE_FIELDS, '', errors);
  const customerRef = readString(body, 'customer_id', errors, { required: true });
  const name = readString(body, 'name', errors) ?? null;
  const type = readEnum(body, 'type', CREDIT_TYPES, errors, { required: true });
  readCreateState(body, errors);
  const itemRef = readString(body, 'item_id', errors) ?? null;
  const subscriptionRef = readString(body, 'subscription_id', errors) ?? null;
  const expiration_date = readFutureTimestamp(body, 'expiration_date', now, errors) ?? null;
  const apply = readApply(body, errors);
  const grant = type === undefined ? null : readGrant(body, type, apply, errors);
  if (errors.length > 0 || customerRef === undefined || type === undefined || grant === null) return invalid(errors);
  const draft = { name, type, ...grant, item_id: itemRef, subscription_id: subscriptionRef, expiration_date };
  return resolveReferences(book, customerRef, draft, apply, now);
}

type Draft = Omit<IssueCommand, 'customer_id' | 'apply_to_invoices'>;

function resolveReferences(book: MapleBook, customerRef: string, draft: Draft, apply: Apply, now: Date): Outcome<IssueCommand> {
  const customer = book.customer(customerRef);
  if (!customer) return notFound('customer_id', 'customer', customerRef);
  if (draft.item_id !== null && !book.items.get(draft.item_id)) return notFound('item_id', 'item', draft.item_id);
  if (draft.subscription_id !== null) {
    const subscription = book.subscriptions.get(draft.subscription_id);
    if (!subscription) return notFound('subscription_id', 'subscription', draft.subscription_id);
    if (subscription.customer_id !== customer.id) {
      return invalid([{ field: 'subscription_id', message: `subscription ${draft.subscription_id} belongs to another customer` }]);
    }
  }
  const invoiceIds = apply?.enable ? apply.invoice_ids : null;
  for (const id of invoiceIds ?? []) {
    const invoice = book.invoices.get(id);
    if (!invoice || invoice.customer_id !== customer.id) return notFound('apply_to_open_invoices.invoice_uuids', 'invoice', id);
  }
  const overflow = checkHeadroom(book, customer.id, draft, now);
  if (overflow) return invalid([overflow]);
  const apply_to_invoices = apply?.enable ? { invoice_ids: invoiceIds } : null;
  return succeed({ customer_id: customer.id, ...draft, apply_to_invoices });
}

/** The customer's live balance in the pool plus the grant must stay ≤ 2^53 − 1. */
function checkHeadroom(book: MapleBook, customerId: string, draft: Draft, now: Date): FieldError | null {
  const pool = draft.type === 'AMOUNT' ? draft.amount!.currency : draft.item_id!;
  const grant = draft.type === 'AMOUNT' ? draft.amount!.value_in_cents : draft.units!;
  const current = poolTotal(book, customerId, draft.type, pool);
  if (current !== null && addCents(current, grant) !== null) return null;
  const field = draft.type === 'AMOUNT' ? 'amount.value_in_cents' : 'units';
  return { field, message: `the customer's balance in ${pool} would pass ${MAX_CENTS}` };
}
