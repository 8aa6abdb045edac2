/**
 * The cases of the spec/code agreement test (src/http/spec-agreement.api.test.ts):
 * the start state's ids it names, valid bodies for operations whose spec
 * gives no example, and the rules a spec states only in prose, each with its reason.
 */
export const ACME = 'cmp_2MkGNwZqoewXZ38Sc2AzYZh4x50';
export const NORTHWIND = 'cus_0EIsHbZ86Y3mOPyoXbNytHiKYd5';
export const ALPHA = 'f38b2ffc80a44f5a91c9bc701e7ea419';
/** A customer without a credit, and a project of Alpha without one. */
export const DELTA = '6bad6be28e7a46e99f19950499dd251d';
export const ALPHA_PROJECT_WITHOUT_CREDIT = '70eb9a0a96264ae685e818fac0433cbd';

/** What the start state holds that paths and bodies name. */
export interface Ids {
  customerCredit: { uuid: string; customer: string };
  projectCredit: { uuid: string; project: string };
  project: string;
  mapleCredit: string;
  /** A pending Waldur invoice, made after each reset for the invoice-item route. */
  invoice?: string;
}

/** Valid bodies for the operations whose spec gives no example. */
export const VALID: Record<string, (ids: Ids) => unknown> = {
  customer_credits_create: () => ({
    customer: `/api/customers/${DELTA}/`,
    value: '100.00',
    end_date: '2027-07-01',
    expected_consumption: '0',
    minimal_consumption_logic: 'fixed',
    grace_coefficient: '0',
    apply_as_minimal_consumption: true,
    offerings: [],
  }),
  customer_credits_update: (i) => ({
    customer: `/api/customers/${i.customerCredit.customer}/`,
    value: '5000.00',
    end_date: '2027-07-01',
  }),
  customer_credits_partial_update: () => ({ value: '5000.00', expected_consumption: '5' }),
  customer_credits_apply_compensations: (i) => ({ customer: `/api/customers/${i.customerCredit.customer}/` }),
  customer_credits_clear_compensations: (i) => ({ customer: `/api/customers/${i.customerCredit.customer}/` }),
  customer_credits_adjust_withdrawable: () => ({ amount: '40.00', comment: 'agreement' }),
  project_credits_create: () => ({
    project: `/api/projects/${ALPHA_PROJECT_WITHOUT_CREDIT}/`,
    value: '10',
    end_date: '2027-07-01',
    mark_unused_credit_as_spent_on_project_termination: false,
  }),
  project_credits_update: (i) => ({ project: `/api/projects/${i.projectCredit.project}/`, value: '10' }),
  project_credits_partial_update: () => ({ value: '10', grace_coefficient: '1' }),
  createCredit: () => ({
    customer_id: NORTHWIND,
    type: 'AMOUNT',
    amount: { currency: 'USD', value_in_cents: 500 },
    name: 'agreement',
  }),
  consumeCredits: () => ({
    customer_id: NORTHWIND,
    type: 'AMOUNT',
    amount: { currency: 'USD', value_in_cents: 1 },
    note: 'agreement',
  }),
  findCredits: () => ({ pagination: { limit: 5 }, sort_key: 'createdAtDesc', query: { customer_id: NORTHWIND } }),
  findCreditLogs: () => ({ pagination: { limit: 5 }, sort_key: 'createdAtDesc', query: {} }),
  adminSetToZeroOverdueCredits: () => ({ date: '2026-11-01' }),
};

/**
 * Where the mock refuses a body the spec's schema lets through (or takes one
 * it refuses), because the rule is one OpenAPI 3.0 cannot state here and the
 * spec states it in prose. "operationId field" → where the spec says so.
 */
export const PROSE_RULES: Record<string, string> = {
  'createCredit amount': 'an AMOUNT credit needs its amount (CreditCreateRequest: the descriptions of type and amount)',
  'consumeCredits amount': 'an AMOUNT consume needs an amount (ConsumeRequest: the description of amount)',
};

/** Query parameters the spec lists and the real server ignores, as the spec says in prose. "operationId parameter" → why. */
export const IGNORED_BY_DESIGN: Record<string, string> = {
  'customer_credits_consumptions_list page':
    "not paginated in Waldur; the spec lists page as Waldur's schema does and says it is ignored",
  'customer_credits_consumptions_list page_size':
    "not paginated in Waldur; the spec lists page_size as Waldur's schema does and says it is ignored",
};
