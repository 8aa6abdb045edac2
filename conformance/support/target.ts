import { readFileSync } from 'node:fs';

/**
 * Which server the suite checks, and what it needs to know about it. The runner
 * (`credits-mock conform` or the harness) passes it through the environment, so
 * the suite itself stays plain vitest.
 */
export type Api = 'waldur' | 'maple';

export interface WaldurTargetConfig {
  /** Customer URLs (or uuids) that have no customer credit yet: the suite creates and deletes credits on them. */
  customers_without_credit?: string[];
  /** Project URLs (or uuids) without a project credit, under the customers above, by customer. */
  projects_without_credit?: { project: string; customer: string }[];
  /** Tokens per role. `staff` is the main token (--token). */
  tokens?: Partial<Record<'staff' | 'support' | 'owner' | 'manager' | 'user', string>>;
  /** The customer `tokens.owner` owns (URL or uuid); it must be one of customers_without_credit. */
  owner_customer?: string;
}

/** An open invoice of a real Maple server that the suite may pay with a credit. */
export interface MapleOpenInvoice {
  id: string;
  /** Its customer (a Maple customer id). */
  customer_id: string;
  /** Uppercase ISO 4217. */
  currency: string;
  /** What is still due, in the currency's minor unit. */
  due_in_cents: number;
}

/**
 * What the Maple half needs to know about a real server, which cannot be
 * created through the credits API. `--token` is the company's API token.
 * Maple has no delete (DELETE revokes), so the credits the suite issues stay
 * on these customers, revoked; the suite only ever counts the ACTIVE ones.
 */
export interface MapleTargetConfig {
  /** The company the token belongs to: `cmp_…`. */
  company_id: string;
  /** At least 2 customer ids (`cus_…`) of that company without active credits: the suite issues, consumes and revokes credits on them. */
  customers: string[];
  /** The external identifier of customers[0]: create and check_balance by identifier. */
  customer_identifier?: string;
  /** A billable item of the company, for UNITS credits. */
  item_id: string;
  /** A subscription of customers[0]. */
  subscription_id?: string;
  /** A token of another company: the 403 checks. */
  other_company_token?: string;
  /** That other company's id, and one of its customers: the cross-company 404 and the per-company idempotency checks. */
  other_company_id?: string;
  other_customer_id?: string;
  /**
   * Open (PENDING or OVERDUE) invoices the suite may pay, of a customer other
   * than customers[1] (customers[0], say): a credit of its due + 1000 is applied
   * to the first with `invoice_uuids`, and customers[1] may not take it over.
   * A run pays it, so name a fresh one for each run.
   */
  open_invoices?: MapleOpenInvoice[];
}

export interface TargetConfig {
  /** Deviation profile: which known differences to expect (see deviations.ts). */
  profile?: string;
  waldur?: WaldurTargetConfig;
  maple?: MapleTargetConfig;
}

export interface Target {
  url: string;
  api: Api;
  token: string;
  readOnly: boolean;
  profile: string;
  config: TargetConfig;
}

function loadTarget(): Target {
  const url = process.env.CONFORMANCE_TARGET;
  if (!url) throw new Error('CONFORMANCE_TARGET is not set: run the suite with `credits-mock conform --target URL`');
  const configPath = process.env.CONFORMANCE_CONFIG;
  const config = configPath ? (JSON.parse(readFileSync(configPath, 'utf8')) as TargetConfig) : {};
  const api = (process.env.CONFORMANCE_API ?? 'waldur') as Api;
  return {
    url: url.replace(/\/+$/, ''),
    api,
    token: process.env.CONFORMANCE_TOKEN ?? config.waldur?.tokens?.staff ?? '',
    readOnly: process.env.CONFORMANCE_READ_ONLY === '1',
    profile: process.env.CONFORMANCE_PROFILE ?? config.profile ?? 'default',
    config,
  };
}

export const target = loadTarget();
