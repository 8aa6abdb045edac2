/**
 * Validation of `POST /credits` (docs/behaviour/maple.md Part 4 item 3, §1.3). Every
 * malformed field is reported at once as a validation_error; only a body with
 * well-formed fields has its references looked up (an unknown customer, item,
 * subscription or invoice is not_found).
 *
 * The open questions of §1.10 are answered once each (README, behaviour
 * choices): only customer_id is required, as Maple's schema says; `type` left
 * out follows from the grant given (amount: AMOUNT, units: UNITS). AMOUNT
 * requires amount and forbids units and item_id; UNITS requires units and
 * item_id and forbids amount. These rules need a valid (or inferred) type,
 * so they come after a bad type is fixed; every other field error comes in
 * the same answer. `state` may be any of Maple's four: a terminal one imports
 * a settled credit (no invoices; any expiration_date, but not a future one
 * for EXPIRED). An ACTIVE credit's
 * expiration_date is RFC 3339 and in the future; currency is uppercase ISO
 * 4217; value_in_cents is in the minor unit; units are numbers ≥ 0 (units.ts).
 */
import { poolTotal } from './balance.js';
import { invalid, notFound, succeed, type FieldError, type Outcome } from './errors.js';
import {
  asBody,
  present,
  readBoolean,
  readEnum,
  readFutureTimestamp,
  readString,
  readStringList,
  readUnits,
  refuseUnknown,
  type Body,
} from './field-rules.js';
import type { MapleBook } from './maple.store.js';
import { CREDIT_STATES, CREDIT_TYPES, type CreditState, type CreditType } from './model.js';
import { MAX_CENTS, validateMoney, type Money } from './money.js';
import type { Units } from './units.js';

/** A create request that passed validation, with its references resolved to ids. */
export interface IssueCommand {
  readonly customer_id: string;
  readonly name: string | null;
  readonly type: CreditType;
  /** ACTIVE, or the terminal state a settled credit is imported in. */
  readonly state: CreditState;
  readonly amount: Money | null;
  readonly units: Units | null;
  readonly item_id: string | null;
  readonly subscription_id: string | null;
  readonly expiration_date: string | null;
  /** null: leave invoices alone; invoice_ids null: every open invoice. */
  readonly apply_to_invoices: { readonly invoice_ids: readonly string[] | null } | null;
}

export const CREATE_FIELDS = [
  'customer_id',
  'name',
  'type',
  'state',
  'amount',
  'units',
  'item_id',
  'subscription_id',
  'expiration_date',
  'apply_to_open_invoices',
] as const;

type Grant = { amount: Money | null; units: Units | null };
type Apply = { enable: boolean; invoice_ids: string[] | null } | null;
/** The grant's fields read on their own, before the type says which one is wanted. */
type GivenGrant = { amount?: Money; units?: Units };

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
  if (present(apply, 'enable') === undefined)
    errors.push({ field: 'apply_to_open_invoices.enable', message: 'apply_to_open_invoices.enable is required' });
  const ids = readStringList(apply, 'invoice_uuids', 'apply_to_open_invoices.invoice_uuids', errors);
  return { enable: enable === true, invoice_ids: ids === undefined ? null : [...new Set(ids)] };
}

/** amount and units, each checked for its own shape and for being above 0. */
function readGiven(body: Body, errors: FieldError[]): GivenGrant {
  const given: GivenGrant = {};
  const raw = present(body, 'amount');
  if (raw !== undefined) {
    const money = validateMoney(raw, 'amount');
    if (!money.ok) errors.push(...money.errors);
    else if (money.money.value_in_cents === 0)
      errors.push({ field: 'amount.value_in_cents', message: 'amount.value_in_cents must be greater than 0' });
    else given.amount = money.money;
  }
  const units = readUnits(body, 'units', errors);
  if (units === '0') errors.push({ field: 'units', message: 'units must be greater than 0' });
  else if (units !== undefined) given.units = units;
  return given;
}

/** The type given, or the one the grant implies when it is left out. */
function readType(body: Body, errors: FieldError[]): CreditType | undefined {
  if (present(body, 'type') !== undefined) return readEnum(body, 'type', CREDIT_TYPES, errors);
  const amount = present(body, 'amount') !== undefined;
  const units = present(body, 'units') !== undefined;
  if (amount !== units) return amount ? 'AMOUNT' : 'UNITS';
  errors.push({
    field: 'type',
    message: 'type is required (AMOUNT or UNITS) unless exactly one of amount and units is given',
  });
  return undefined;
}

function forbid(body: Body, key: string, type: CreditType, errors: FieldError[]): void {
  if (present(body, key) !== undefined)
    errors.push({ field: key, message: `${key} must not be set for ${type === 'AMOUNT' ? 'an' : 'a'} ${type} credit` });
}

/** The rules by type; null when the grant is missing or was refused. */
function readGrant(body: Body, type: CreditType, given: GivenGrant, apply: Apply, errors: FieldError[]): Grant | null {
  if (type === 'AMOUNT') {
    forbid(body, 'units', type, errors);
    forbid(body, 'item_id', type, errors);
    if (present(body, 'amount') === undefined)
      errors.push({ field: 'amount', message: 'amount is required for an AMOUNT credit' });
    return given.amount ? { amount: given.amount, units: null } : null;
  }
  forbid(body, 'amount', type, errors);
  if (present(body, 'item_id') === undefined)
    errors.push({ field: 'item_id', message: 'item_id is required for a UNITS credit' });
  if (apply?.enable)
    errors.push({ field: 'apply_to_open_invoices.enable', message: 'only AMOUNT credits can be applied to invoices' });
  if (present(body, 'units') === undefined)
    errors.push({ field: 'units', message: 'units is required for a UNITS credit' });
  return given.units ? { amount: null, units: given.units } : null;
}

/** Validates a create body against the book at `now` (run expireDue first). */
export function validateCreateCredit(book: MapleBook, input: unknown, now: Date): Outcome<IssueCommand> {
  const body = asBody(input);
  if (!body) return invalid([{ field: 'body', message: 'the request body must be a JSON object' }]);
  const errors: FieldError[] = [];
  refuseUnknown(body, CREATE_FIELDS, '', errors);
  const customerRef = readString(body, 'customer_id', errors, { required: true });
  const name = readString(body, 'name', errors) ?? null;
  const type = readType(body, errors);
  const state = readEnum(body, 'state', CREDIT_STATES, errors) ?? 'ACTIVE';
  const itemRef = readString(body, 'item_id', errors) ?? null;
  const subscriptionRef = readString(body, 'subscription_id', errors) ?? null;
  const expiration_date = readFutureTimestamp(body, 'expiration_date', now, errors, state === 'ACTIVE') ?? null;
  if (state === 'EXPIRED' && expiration_date !== null && Date.parse(expiration_date) > now.getTime()) {
    errors.push({
      field: 'expiration_date',
      message: 'expiration_date of a credit created EXPIRED must not be in the future',
    });
  }
  const apply = readApply(body, errors);
  if (apply?.enable && state !== 'ACTIVE')
    errors.push({
      field: 'apply_to_open_invoices.enable',
      message: `a credit created ${state} cannot be applied to invoices`,
    });
  const given = readGiven(body, errors);
  const grant = type === undefined ? null : readGrant(body, type, given, apply, errors);
  if (errors.length > 0 || customerRef === undefined || type === undefined || grant === null) return invalid(errors);
  const draft = { name, type, state, ...grant, item_id: itemRef, subscription_id: subscriptionRef, expiration_date };
  return resolveReferences(book, customerRef, draft, apply);
}

type Draft = Omit<IssueCommand, 'customer_id' | 'apply_to_invoices'>;

function resolveReferences(book: MapleBook, customerRef: string, draft: Draft, apply: Apply): Outcome<IssueCommand> {
  const customer = book.customer(customerRef);
  if (!customer) return notFound('customer_id', 'customer', customerRef);
  if (draft.item_id !== null && !book.items.get(draft.item_id)) return notFound('item_id', 'item', draft.item_id);
  if (draft.subscription_id !== null) {
    const subscription = book.subscriptions.get(draft.subscription_id);
    if (!subscription) return notFound('subscription_id', 'subscription', draft.subscription_id);
    if (subscription.customer_id !== customer.id) {
      return invalid([
        { field: 'subscription_id', message: `subscription ${draft.subscription_id} belongs to another customer` },
      ]);
    }
  }
  const invoiceIds = apply?.enable ? apply.invoice_ids : null;
  for (const id of invoiceIds ?? []) {
    const invoice = book.invoices.get(id);
    if (!invoice || invoice.customer_id !== customer.id)
      return notFound('apply_to_open_invoices.invoice_uuids', 'invoice', id);
  }
  const overflow = checkHeadroom(book, customer.id, draft);
  if (overflow) return invalid([overflow]);
  const apply_to_invoices = apply?.enable ? { invoice_ids: invoiceIds } : null;
  return succeed({ customer_id: customer.id, ...draft, apply_to_invoices });
}

/** The customer's live balance in the pool plus an ACTIVE grant must stay ≤ 2^53 − 1. */
function checkHeadroom(book: MapleBook, customerId: string, draft: Draft): FieldError | null {
  if (draft.state !== 'ACTIVE') return null;
  const pool = draft.type === 'AMOUNT' ? draft.amount!.currency : draft.item_id!;
  const grant = draft.type === 'AMOUNT' ? draft.amount!.value_in_cents : draft.units!;
  if (poolTotal(book, customerId, draft.type, pool).plus(grant).lessThanOrEqualTo(MAX_CENTS)) return null;
  const field = draft.type === 'AMOUNT' ? 'amount.value_in_cents' : 'units';
  return { field, message: `the customer's balance in ${pool} would pass ${MAX_CENTS}` };
}
