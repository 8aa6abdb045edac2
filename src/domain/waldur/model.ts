/** Waldur's entities as the mock keeps them. Uuids are 32 lowercase hex chars; decimals are canonical strings. */

export type CustomerRole = 'owner' | 'service_manager' | 'support';
export type ProjectRole = 'manager' | 'admin' | 'member';
export type MinimalConsumptionLogic = 'fixed' | 'linear';
export const MINIMAL_CONSUMPTION_LOGICS: readonly MinimalConsumptionLogic[] = ['fixed', 'linear'];

export interface Customer {
  uuid: string;
  name: string;
  slug: string;
}

export interface Project {
  uuid: string;
  name: string;
  slug: string;
  customer: string;
}

export interface Offering {
  uuid: string;
  name: string;
  type: string;
  /** The service provider's customer, when known. */
  customer: string | null;
}

export interface User {
  uuid: string;
  username: string;
  token: string;
  is_staff: boolean;
  is_support: boolean;
  is_active: boolean;
  /** ISO timestamp after which the token is refused, or null for a token that never expires. */
  token_expires_at: string | null;
  customer_roles: readonly { customer: string; role: CustomerRole }[];
  project_roles: readonly { project: string; role: ProjectRole }[];
}

/** The fields both kinds of credit share (Waldur's BaseCredit). */
export interface BaseCredit {
  uuid: string;
  /** Creation order: lists without `o` are ordered by it. */
  created: string;
  seq: number;
  value: string;
  end_date: string | null;
  expected_consumption: string;
  minimal_consumption_logic: MinimalConsumptionLogic;
  grace_coefficient: string;
  apply_as_minimal_consumption: boolean;
}

export interface CustomerCredit extends BaseCredit {
  customer: string;
  offerings: readonly string[];
  /**
   * Σ of the withdrawable movements (affiliate fees, transfers, payouts,
   * withdrawable adjustments; withdrawable.ts), 5 places; absent for none.
   * Kept under both profiles; only 8.1 shows and moves it.
   */
  withdrawable_earned?: string;
}

export interface ProjectCredit extends BaseCredit {
  project: string;
  mark_unused_credit_as_spent_on_project_termination: boolean;
}

export type InvoiceState = 'pending' | 'created' | 'paid' | 'canceled';

export interface InvoiceItem {
  uuid: string;
  name: string;
  unit_price: string;
  quantity: string;
  project: string | null;
  offering: string | null;
  resource: string | null;
  /** The customer credit that this (compensation) line draws on. */
  credit: string | null;
  /** Free-form details (Waldur's `InvoiceItem.details`), kept as given; absent when none were given. */
  details?: Readonly<Record<string, unknown>>;
}

export interface Invoice {
  uuid: string;
  customer: string;
  year: number;
  month: number;
  state: InvoiceState;
  tax_percent: string;
  items: readonly InvoiceItem[];
}
