/**
 * Maple's entities as the mock keeps them: plain records, frozen once stored,
 * one set of them per company (maple.store.ts keeps the tables).
 * Timestamps are ISO 8601 UTC strings with milliseconds (`Date#toISOString`).
 */
import type { Money } from './money.js';
import type { Units } from './units.js';

export type CreditType = 'AMOUNT' | 'UNITS';
export type CreditState = 'ACTIVE' | 'CONSUMED' | 'EXPIRED' | 'REVOKED';
export type InvoiceState = 'PENDING' | 'OVERDUE' | 'PAID' | 'VOID' | 'DRAFT';
/** What a credit-log entry records; an application to an invoice is a CONSUMED entry carrying the invoice id. */
export type CreditLogAction = 'ISSUED' | 'CONSUMED' | 'EXPIRED' | 'REVOKED';

export const CREDIT_TYPES: readonly CreditType[] = ['AMOUNT', 'UNITS'];
export const CREDIT_STATES: readonly CreditState[] = ['ACTIVE', 'CONSUMED', 'EXPIRED', 'REVOKED'];
export const TERMINAL_STATES: readonly CreditState[] = ['CONSUMED', 'EXPIRED', 'REVOKED'];
export const INVOICE_STATES: readonly InvoiceState[] = ['PENDING', 'OVERDUE', 'PAID', 'VOID', 'DRAFT'];
/** [inference] The invoices a credit may be applied to. */
export const OPEN_INVOICE_STATES: readonly InvoiceState[] = ['PENDING', 'OVERDUE'];
export const CREDIT_LOG_ACTIONS: readonly CreditLogAction[] = ['ISSUED', 'CONSUMED', 'EXPIRED', 'REVOKED'];

export interface Company {
  readonly id: string;
  readonly name: string;
}

export interface Customer {
  readonly id: string;
  /** The customer's id in the caller's own system; check_balance accepts it in place of `id`. */
  readonly identifier: string | null;
  readonly name: string;
  readonly email: string | null;
  readonly created_at: string;
}

/** The billable item as the seed's expanded `item` shows it. */
export interface BillableItem {
  readonly id: string;
  readonly company_id: string;
  readonly name: string;
  readonly external_name: string | null;
  readonly description: string | null;
  readonly display_type: string | null;
  readonly type: string;
  readonly standard: boolean;
  readonly editable: boolean;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface Subscription {
  readonly id: string;
  readonly customer_id: string;
  readonly created_at: string;
}

export interface Invoice {
  readonly id: string;
  readonly customer_id: string;
  readonly currency: string;
  readonly state: InvoiceState;
  readonly total_in_cents: number;
  /** What is still owed; credits applied to the invoice lower it. */
  readonly due_in_cents: number;
  readonly created_at: string;
}

/** Every field of the seed's Credit except the expanded `item`, which is rendered from `item_id`. */
export interface Credit {
  readonly id: string;
  readonly created_at: string;
  readonly customer_id: string;
  readonly name: string | null;
  readonly type: CreditType;
  readonly state: CreditState;
  /** What remains of an AMOUNT credit (null for UNITS). */
  readonly amount: Money | null;
  /** What remains of a UNITS credit (null for AMOUNT), exact decimal text. */
  readonly units: Units | null;
  /** The grant; never changes. */
  readonly issued_amount: Money | null;
  readonly issued_units: Units | null;
  readonly item_id: string | null;
  readonly subscription_id: string | null;
  readonly expiration_date: string | null;
  readonly coupon_id: string | null;
  readonly metric_record_id: string | null;
  readonly one_time_billable_id: string | null;
  readonly proration_date: string | null;
  readonly import_ref: string | null;
  readonly import_created_at_ref: string | null;
  readonly imported_from: string | null;
}

export interface CreditLog {
  readonly id: string;
  readonly action_type: CreditLogAction;
  /** The amount the entry moved (AMOUNT credits), else null. */
  readonly amount_applied: Money | null;
  /** The units the entry moved (UNITS credits), else null; exact decimal text. */
  readonly units_applied: Units | null;
  readonly created_at: string;
  readonly credit_id: string;
  readonly customer_id: string;
  readonly invoice_id: string | null;
  readonly note: string | null;
}

export function isTerminal(state: CreditState): boolean {
  return TERMINAL_STATES.includes(state);
}
