/**
 * The JSON schema of a Maple fixtures file (fixtures/maple.json), which is also
 * what MapleStore.export() writes. The schema checks shapes; the loader
 * (maple.fixtures.ts) checks ISO 4217 codes, references, the rules by credit
 * type and the log. Timestamps use the `date-time` format defined below
 * (isRfc3339).
 */
import { MAX_CENTS } from '../domain/maple/money.js';
import {
  CREDIT_LOG_ACTIONS,
  CREDIT_STATES,
  CREDIT_TYPES,
  INVOICE_STATES,
  type BillableItem,
  type Company,
  type Credit,
  type CreditLog,
  type Customer,
  type Invoice,
  type Subscription,
} from '../domain/maple/model.js';
import type { Units } from '../domain/maple/units.js';
import { parseRfc3339 } from './rfc3339.js';

const prefixed = (prefix: string) => ({ type: 'string', pattern: `^${prefix}[0-9A-Za-z]+$` });
const anyId = { type: 'string', minLength: 1 };
const text = { type: 'string' };
const nullableText = { type: ['string', 'null'] };
const nullableId = { type: ['string', 'null'], minLength: 1 };
const timestamp = { type: 'string', format: 'date-time' };
const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' };
const whole = { type: 'integer', minimum: 0, maximum: MAX_CENTS };
/** Units: a JSON number, or its exact decimal text (what the state export writes), 0 … 2^53 − 1 with at most 30 places. */
const nullableUnits = {
  anyOf: [
    { type: 'number', minimum: 0, maximum: MAX_CENTS },
    { type: 'string', pattern: '^\\d{1,16}(\\.\\d{1,30})?$' },
    { type: 'null' },
  ],
};
/** `{currency, value_in_cents}`; the currency is checked against ISO 4217 by the loader. */
const money = {
  type: ['object', 'null'],
  required: ['currency', 'value_in_cents'],
  properties: { currency: text, value_in_cents: whole },
  additionalProperties: false,
};
const obj = (required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  required,
  properties,
  additionalProperties: false,
});
const list = (items: unknown) => ({ type: 'array', items });

const customer = obj(['id', 'name'], {
  id: prefixed('cus_'),
  name: text,
  identifier: nullableText,
  email: nullableText,
  created_at: timestamp,
});

const item = obj(['id', 'name'], {
  id: anyId,
  company_id: text,
  name: text,
  external_name: nullableText,
  description: nullableText,
  display_type: nullableText,
  type: text,
  standard: { type: 'boolean' },
  editable: { type: 'boolean' },
  created_at: timestamp,
  updated_at: timestamp,
});

const subscription = obj(['id', 'customer_id'], { id: prefixed('subs_'), customer_id: anyId, created_at: timestamp });

const invoice = obj(['id', 'customer_id', 'currency', 'total_in_cents'], {
  id: anyId,
  customer_id: anyId,
  currency: text,
  state: { enum: INVOICE_STATES },
  total_in_cents: whole,
  due_in_cents: whole,
  created_at: timestamp,
});

/** Short form (`amount` or `units` is the grant) or full form (`issued_*` given, `amount`/`units` the remainder). */
const credit = obj(['id', 'customer_id', 'type'], {
  id: anyId,
  created_at: timestamp,
  customer_id: anyId,
  name: nullableText,
  type: { enum: CREDIT_TYPES },
  state: { enum: CREDIT_STATES },
  amount: money,
  units: nullableUnits,
  issued_amount: money,
  issued_units: nullableUnits,
  item_id: nullableId,
  subscription_id: nullableId,
  expiration_date: nullableTimestamp,
  coupon_id: nullableText,
  metric_record_id: nullableText,
  one_time_billable_id: nullableText,
  proration_date: nullableTimestamp,
  import_ref: nullableText,
  import_created_at_ref: nullableText,
  imported_from: nullableText,
});

const log = obj(['id', 'action_type', 'credit_id'], {
  id: anyId,
  action_type: { enum: CREDIT_LOG_ACTIONS },
  amount_applied: money,
  units_applied: nullableUnits,
  created_at: timestamp,
  credit_id: anyId,
  customer_id: anyId,
  invoice_id: nullableId,
  note: nullableText,
});

const company = obj(['id', 'name'], {
  id: prefixed('cmp_'),
  name: text,
  tokens: list({ type: 'string', minLength: 1, pattern: '^\\S+$' }),
  customers: list(customer),
  items: list(item),
  subscriptions: list(subscription),
  invoices: list(invoice),
  credits: list(credit),
  logs: list(log),
});

export const MAPLE_FIXTURE_SCHEMA = obj(['companies'], { companies: list(company) });

/** A row as the fixtures may give it: the `required` fields, the rest optional (the loader fills the defaults). */
type Given<T, K extends keyof T> = Pick<T, K> & Partial<Omit<T, K>>;

export type RawCustomer = Given<Customer, 'id' | 'name'>;
export type RawItem = Given<BillableItem, 'id' | 'name'>;
export type RawSubscription = Given<Subscription, 'id' | 'customer_id'>;
export type RawInvoice = Given<Invoice, 'id' | 'customer_id' | 'currency' | 'total_in_cents'>;
/** Short form or full form: see `credit` above. */
type UnitsGiven<T, K extends keyof T> = Omit<T, K> & { [P in K]?: Units | number | null };
export type RawCredit = UnitsGiven<Given<Credit, 'id' | 'customer_id' | 'type'>, 'units' | 'issued_units'>;
export type RawLog = UnitsGiven<Given<CreditLog, 'id' | 'action_type' | 'credit_id'>, 'units_applied'>;

export interface RawCompany extends Company {
  tokens?: string[];
  customers?: RawCustomer[];
  items?: RawItem[];
  subscriptions?: RawSubscription[];
  invoices?: RawInvoice[];
  credits?: RawCredit[];
  logs?: RawLog[];
}

/** What a document passing MAPLE_FIXTURE_SCHEMA holds. */
export interface MapleFixtureDoc {
  companies: RawCompany[];
}

/** The schema's `date-time` format: RFC 3339 on a real calendar day (no leap second), from 1970-01-01T00:00:00Z on. */
export function isRfc3339(s: string): boolean {
  const ms = parseRfc3339(s, { space: true });
  return ms !== null && ms >= 0;
}
