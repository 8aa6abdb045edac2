import { isValidCalendarDate } from '../clock.js';
import { validationError, type FieldErrors } from './errors.js';
import type { CreditTransaction } from './ledger.model.js';
import { lastParam, type QueryParams } from './query-params.js';
import { normalizeUuid } from './uuid.js';

/**
 * CreditTransactionFilter (docs/behaviour/waldur-8.1.md §5.3, newest) and the `o` ordering, over
 * rows with the customer each one belongs to now (`customerOf`: the
 * organisation credit's customer, or the customer of the project credit's
 * project; null when neither survives).
 */
export type RowPredicate = (row: CreditTransaction) => boolean;
export type CustomerOf = (row: CreditTransaction) => string | null;

const UUID_FILTERS = {
  credit_uuid: (row: CreditTransaction, _c: CustomerOf, hex: string) => row.credit === hex,
  customer_uuid: (row: CreditTransaction, customerOf: CustomerOf, hex: string) => customerOf(row) === hex,
  project_credit_uuid: (row: CreditTransaction, _c: CustomerOf, hex: string) => row.project_credit === hex,
} as const;

const DATE_FILTERS = {
  billing_period: (period: string, v: string) => period === v,
  billing_period_after: (period: string, v: string) => period >= v,
  billing_period_before: (period: string, v: string) => period <= v,
} as const;

export const LEDGER_ORDERING = ['created', 'billing_period'] as const;

/** Every bad parameter is reported, keyed by its name (django-filter's form errors); an empty value does not filter. */
export function ledgerFilter(query: QueryParams, customerOf: CustomerOf): RowPredicate {
  const predicates: RowPredicate[] = [];
  const errors: FieldErrors = {};
  const given = (name: string) => {
    const raw = lastParam(query, name);
    return raw === undefined || raw === '' ? undefined : raw;
  };
  for (const [name, test] of Object.entries(UUID_FILTERS)) {
    const raw = given(name);
    if (raw === undefined) continue;
    const hex = normalizeUuid(raw.trim());
    if (hex === null) errors[name] = ['Enter a valid UUID.'];
    else predicates.push((row) => test(row, customerOf, hex));
  }
  const projectUuid = given('project_uuid');
  if (projectUuid !== undefined) predicates.push((row) => row.project_uuid === projectUuid);
  const type = given('transaction_type');
  if (type !== undefined) predicates.push((row) => row.transaction_type === type);
  for (const [name, test] of Object.entries(DATE_FILTERS)) {
    const raw = given(name);
    if (raw === undefined) continue;
    const date = parseDate(raw);
    if (date === null) errors[name] = ['Enter a valid date.'];
    else predicates.push((row) => row.billing_period !== null && test(row.billing_period, date));
  }
  const orderError = orderingError(query);
  if (orderError) errors.o = [orderError];
  if (Object.keys(errors).length > 0) throw validationError(errors);
  if (predicates.length === 0) return () => true;
  return (row) => {
    for (const p of predicates) if (!p(row)) return false;
    return true;
  };
}

/** Django's DateField input: `YYYY-MM-DD` (surrounding spaces allowed) naming a real day. */
function parseDate(raw: string): string | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isValidCalendarDate(y, mo, d)) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function terms(query: QueryParams): string[] {
  const raw = lastParam(query, 'o');
  return raw === undefined
    ? []
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

function orderingError(query: QueryParams): string | null {
  for (const term of terms(query)) {
    const key = term.startsWith('-') ? term.slice(1) : term;
    if (!(LEDGER_ORDERING as readonly string[]).includes(key))
      return `Select a valid choice. ${term} is not one of the available choices.`;
  }
  return null;
}

/**
 * The rows in the order `o` asks for; without it newest first (`-created`).
 * A null billing period sorts last ascending and first descending (PostgreSQL);
 * ties fall back to newest first.
 */
export function orderRows(rows: CreditTransaction[], query: QueryParams): CreditTransaction[] {
  const asked = terms(query);
  const byCreated = asked.length === 0 || asked[0] === 'created' || asked[0] === '-created';
  // Rows are kept in write order, which is `created` order unless an imported state said otherwise: then no sort is needed.
  if (byCreated && inCreatedOrder(rows)) return asked[0] === 'created' ? rows : rows.reverse();
  const columns = asked.map((term) => {
    const desc = term.startsWith('-');
    const cmp = term.endsWith('billing_period') ? comparePeriods : compareCreated;
    return desc ? (a: CreditTransaction, b: CreditTransaction) => -cmp(a, b) : cmp;
  });
  columns.push((a, b) => -compareCreated(a, b));
  return rows.sort((a, b) => {
    for (const c of columns) {
      const r = c(a, b);
      if (r !== 0) return r;
    }
    return 0;
  });
}

function inCreatedOrder(rows: readonly CreditTransaction[]): boolean {
  for (let i = 1; i < rows.length; i++) if (compareCreated(rows[i - 1]!, rows[i]!) > 0) return false;
  return true;
}

function compareCreated(a: CreditTransaction, b: CreditTransaction): number {
  return a.created < b.created ? -1 : a.created > b.created ? 1 : a.seq - b.seq;
}

/** Ascending, nulls last. */
function comparePeriods(a: CreditTransaction, b: CreditTransaction): number {
  if (a.billing_period === b.billing_period) return 0;
  if (a.billing_period === null) return 1;
  if (b.billing_period === null) return -1;
  return a.billing_period < b.billing_period ? -1 : 1;
}
