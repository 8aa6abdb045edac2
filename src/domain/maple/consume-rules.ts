/**
 * Validation of `POST /credits/consume` (docs/behaviour/maple.md §1.4, Part 4 item 7).
 * AMOUNT requires `amount` and forbids `units` and `item_id`; UNITS requires
 * `units` and forbids `amount`, and needs `item_id` unless `credit_id` names
 * the credit. Quantities may be 0 (nothing happens); units are numbers ≥ 0
 * (units.ts). A named credit must be the customer's (else not_found) and match
 * the type, currency or item. `subscription_id` ("the specific subscription to
 * consume credits from") limits the draw-down to credits attached to it; it is
 * looked up as create looks it up: unknown is not_found, another customer's is
 * a validation_error.
 */
import { invalid, notFound, succeed, type FieldError, type Outcome } from './errors.js';
import { Dec } from '../money/decimal.js';
import type { Quantity } from './balance.js';
import { asBody, present, readEnum, readString, readUnits, refuseUnknown, type Body } from './field-rules.js';
import type { MapleBook } from './maple.store.js';
import { CREDIT_TYPES, type Credit, type CreditType } from './model.js';
import { validateMoney } from './money.js';

export interface ConsumeCommand {
  readonly customer_id: string;
  readonly type: CreditType;
  /** The quantity, in minor units (AMOUNT) or units (UNITS). */
  readonly quantity: Quantity;
  /** The currency (AMOUNT) or item_id (UNITS) drawn from; null only for UNITS by credit_id without item_id. */
  readonly pool: string | null;
  readonly credit_id: string | null;
  /** Only credits attached to this subscription are drawn. */
  readonly subscription_id: string | null;
  readonly note: string | null;
}

export const CONSUME_FIELDS = [
  'customer_id',
  'type',
  'amount',
  'units',
  'credit_id',
  'item_id',
  'subscription_id',
  'note',
] as const;

function readQuantity(
  body: Body,
  type: CreditType,
  hasCredit: boolean,
  errors: FieldError[],
): { quantity: Quantity; pool: string | null } | null {
  if (type === 'AMOUNT') {
    for (const key of ['units', 'item_id']) {
      if (present(body, key) !== undefined)
        errors.push({ field: key, message: `${key} must not be set when consuming AMOUNT credits` });
    }
    const raw = present(body, 'amount');
    if (raw === undefined)
      return (errors.push({ field: 'amount', message: 'amount is required to consume AMOUNT credits' }), null);
    const money = validateMoney(raw, 'amount');
    if (!money.ok) return (errors.push(...money.errors), null);
    return { quantity: new Dec(money.money.value_in_cents), pool: money.money.currency };
  }
  if (present(body, 'amount') !== undefined)
    errors.push({ field: 'amount', message: 'amount must not be set when consuming UNITS credits' });
  const item = readString(body, 'item_id', errors) ?? null;
  if (item === null && !hasCredit)
    errors.push({ field: 'item_id', message: 'item_id is required to consume UNITS credits without credit_id' });
  if (present(body, 'units') === undefined)
    return (errors.push({ field: 'units', message: 'units is required to consume UNITS credits' }), null);
  const units = readUnits(body, 'units', errors);
  return units === undefined ? null : { quantity: new Dec(units), pool: item };
}

/** Validates a consume body against the book (run expireDue first). */
export function validateConsume(book: MapleBook, input: unknown): Outcome<ConsumeCommand> {
  const body = asBody(input);
  if (!body) return invalid([{ field: 'body', message: 'the request body must be a JSON object' }]);
  const errors: FieldError[] = [];
  refuseUnknown(body, CONSUME_FIELDS, '', errors);
  const customerRef = readString(body, 'customer_id', errors, { required: true });
  const type = readEnum(body, 'type', CREDIT_TYPES, errors, { required: true });
  const creditId = readString(body, 'credit_id', errors) ?? null;
  const subscriptionId = readString(body, 'subscription_id', errors) ?? null;
  const note = readString(body, 'note', errors) ?? null;
  const q = type === undefined ? null : readQuantity(body, type, creditId !== null, errors);
  if (errors.length > 0 || customerRef === undefined || type === undefined || q === null) return invalid(errors);
  const customer = book.customer(customerRef);
  if (!customer) return notFound('customer_id', 'customer', customerRef);
  if (type === 'UNITS' && q.pool !== null && !book.items.get(q.pool)) return notFound('item_id', 'item', q.pool);
  const foreign = subscriptionProblem(book, subscriptionId, customer.id);
  if (foreign) return foreign;
  const command: ConsumeCommand = {
    customer_id: customer.id,
    type,
    quantity: q.quantity,
    pool: q.pool,
    credit_id: creditId,
    subscription_id: subscriptionId,
    note,
  };
  if (creditId === null) return succeed(command);
  const credit = book.credits.get(creditId);
  if (!credit || credit.customer_id !== customer.id) return notFound('credit_id', 'credit', creditId);
  const mismatch = matchCredit(credit, command);
  return mismatch ? invalid([mismatch]) : succeed(command);
}

/** As create answers it: an unknown subscription is not_found, another customer's a validation_error. */
function subscriptionProblem(book: MapleBook, id: string | null, customerId: string): Outcome<never> | null {
  if (id === null) return null;
  const subscription = book.subscriptions.get(id);
  if (!subscription) return notFound('subscription_id', 'subscription', id);
  if (subscription.customer_id !== customerId)
    return invalid([{ field: 'subscription_id', message: `subscription ${id} belongs to another customer` }]);
  return null;
}

function matchCredit(credit: Credit, command: ConsumeCommand): FieldError | null {
  if (credit.type !== command.type) return { field: 'type', message: `credit ${credit.id} is a ${credit.type} credit` };
  if (command.pool === null) return null;
  if (credit.type === 'AMOUNT' && credit.amount!.currency !== command.pool) {
    return { field: 'amount.currency', message: `credit ${credit.id} is in ${credit.amount!.currency}` };
  }
  if (credit.type === 'UNITS' && credit.item_id !== command.pool)
    return { field: 'item_id', message: `credit ${credit.id} is for item ${credit.item_id}` };
  return null;
}
