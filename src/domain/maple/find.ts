/**
 * `POST /credits/find` and `POST /credits/logs/find` (docs/behaviour/maple.md §1.4, §1.5)
 * over a book that expireDue has already brought to now.
 *
 * Credits query: customer_id (id or identifier), type, status, statuses,
 * currency (case-insensitive), subscription_id, search (case-insensitive
 * substring of the id, name or customer_id).
 * Logs query: action_type, credit_id, customer_id (id or identifier),
 * invoice_id, note (exact), type (the credit's), search (case-insensitive
 * substring of the entry id, credit_id, invoice_id, note or the credit's name).
 * Unknown query fields are refused. Paging is pagination.ts's.
 */
import { invalid, succeed, type FieldError, type Outcome } from './errors.js';
import { asBody, present, readEnum, readString, refuseUnknown, type Body } from './field-rules.js';
import { creditsOfCustomer } from './credit-indexes.js';
import type { MapleBook } from './maple.store.js';
import {
  CREDIT_LOG_ACTIONS,
  CREDIT_STATES,
  CREDIT_TYPES,
  type Credit,
  type CreditLog,
  type CreditState,
} from './model.js';
import { paginate, readPageRequest, type Page, type PageRequest } from './pagination.js';
import { searchable } from './search-index.js';
import { containsText, creditSearchFields, logSearchFields } from './search-text.js';

type Predicate<T> = (item: T) => boolean;

const CREDIT_QUERY = ['customer_id', 'type', 'status', 'statuses', 'currency', 'subscription_id', 'search'];
const LOG_QUERY = ['action_type', 'credit_id', 'customer_id', 'invoice_id', 'note', 'search', 'type'];
const FIND_FIELDS = ['pagination', 'query', 'sort_key', 'include_meta'];

/** The longest text a find query field takes (README: Limits): a search costs at most this much per field of every item. */
export const MAX_QUERY_TEXT = 1000;

/** Every string of the query within MAX_QUERY_TEXT characters (statuses' entries are checked as enum values). */
function refuseLongText(query: Body, errors: FieldError[]): void {
  for (const key of Object.keys(query)) {
    const v = query[key];
    if (typeof v === 'string' && v.length > MAX_QUERY_TEXT) {
      errors.push({ field: `query.${key}`, message: `query.${key} must be at most ${MAX_QUERY_TEXT} characters` });
    }
  }
}

function readFind(
  input: unknown,
  queryFields: readonly string[],
  errors: FieldError[],
): { page?: PageRequest; query: Body } {
  const body = asBody(input);
  if (!body) {
    errors.push({ field: 'body', message: 'the request body must be a JSON object' });
    return { query: {} };
  }
  refuseUnknown(body, FIND_FIELDS, '', errors);
  const page = readPageRequest(body, errors);
  const rawQuery = present(body, 'query');
  const query = rawQuery === undefined ? {} : asBody(rawQuery);
  if (!query) {
    errors.push({ field: 'query', message: 'query must be an object' });
    return { page, query: {} };
  }
  refuseUnknown(query, queryFields, 'query.', errors);
  refuseLongText(query, errors);
  return { page, query };
}

function customerIdOf(book: MapleBook, ref: string): string {
  return book.customer(ref)?.id ?? ref;
}

/** The filters of a query, and the narrowest index that holds every match. */
interface Selection<T> {
  tests: Predicate<T>[];
  source: () => readonly T[];
  /** Whether `source` gives the records in (created_at, id) order already (a search index's order). */
  sorted?: boolean;
}

function readStatuses(query: Body, errors: FieldError[]): CreditState[] | undefined {
  const raw = present(query, 'statuses');
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) && raw.every((s) => (CREDIT_STATES as readonly unknown[]).includes(s)))
    return raw as CreditState[];
  errors.push({ field: 'query.statuses', message: `query.statuses must be an array of ${CREDIT_STATES.join(', ')}` });
  return undefined;
}

function creditSelection(book: MapleBook, query: Body, errors: FieldError[]): Selection<Credit> {
  const o = { prefix: 'query.' };
  const tests: Predicate<Credit>[] = [];
  const customer = readString(query, 'customer_id', errors, o);
  const type = readEnum(query, 'type', CREDIT_TYPES, errors, o);
  const status = readEnum(query, 'status', CREDIT_STATES, errors, o);
  const statuses = readStatuses(query, errors);
  const currency = readString(query, 'currency', errors, o);
  const subscription = readString(query, 'subscription_id', errors, o);
  const search = readString(query, 'search', errors, o);
  const customerId = customer === undefined ? undefined : customerIdOf(book, customer);
  if (type !== undefined) tests.push((c) => c.type === type);
  if (status !== undefined) tests.push((c) => c.state === status);
  if (statuses !== undefined) tests.push((c) => statuses.includes(c.state));
  if (currency !== undefined) tests.push((c) => c.amount?.currency === currency.toUpperCase());
  if (subscription !== undefined) tests.push((c) => c.subscription_id === subscription);
  // Over every credit, the book's search index answers (in paging order); within one customer's credits, a test each.
  const index = book.search.credits;
  const needle = search?.toLowerCase();
  if (needle !== undefined && customerId === undefined && searchable(needle))
    return { tests, source: () => index.matching(needle), sorted: true };
  if (search !== undefined) {
    const contains = containsText(search);
    tests.push((c) => contains(c, () => creditSearchFields(c)));
  }
  if (customerId !== undefined) return { tests, source: () => creditsOfCustomer(book.credits, customerId) };
  return { tests, source: () => index.all(), sorted: true };
}

function logSelection(book: MapleBook, query: Body, errors: FieldError[]): Selection<CreditLog> {
  const o = { prefix: 'query.' };
  const tests: Predicate<CreditLog>[] = [];
  const action = readEnum(query, 'action_type', CREDIT_LOG_ACTIONS, errors, o);
  const creditId = readString(query, 'credit_id', errors, o);
  const customer = readString(query, 'customer_id', errors, o);
  const invoiceId = readString(query, 'invoice_id', errors, o);
  const note = readString(query, 'note', errors, o);
  const type = readEnum(query, 'type', CREDIT_TYPES, errors, o);
  const search = readString(query, 'search', errors, o);
  const creditOf = (l: CreditLog) => book.credits.get(l.credit_id);
  const customerId = customer === undefined ? undefined : customerIdOf(book, customer);
  if (action !== undefined) tests.push((l) => l.action_type === action);
  if (creditId !== undefined) tests.push((l) => l.credit_id === creditId);
  if (customerId !== undefined) tests.push((l) => l.customer_id === customerId);
  if (invoiceId !== undefined) tests.push((l) => l.invoice_id === invoiceId);
  if (note !== undefined) tests.push((l) => l.note === note);
  if (type !== undefined) tests.push((l) => creditOf(l)?.type === type);
  let source: (() => readonly CreditLog[]) | undefined;
  if (creditId !== undefined) source = () => book.logs.getGroup('credit', creditId);
  else if (invoiceId !== undefined) source = () => book.logs.getGroup('invoice', invoiceId);
  else if (customerId !== undefined) source = () => book.logs.getGroup('customer', customerId);
  // Over every entry, the book's search index answers (in paging order); within a group, a test each.
  const index = book.search.logs;
  const needle = search?.toLowerCase();
  if (needle !== undefined && source === undefined && searchable(needle))
    return { tests, source: () => index.matching(needle), sorted: true };
  if (search !== undefined) {
    const contains = containsText(search);
    const byId = (id: string) => book.credits.get(id);
    tests.push((l) => contains(l, () => logSearchFields(l, byId)));
  }
  if (source !== undefined) return { tests, source };
  return { tests, source: () => index.all(), sorted: true };
}

function find<T extends { created_at: string; id: string }>(
  input: unknown,
  queryFields: readonly string[],
  select: (query: Body, errors: FieldError[]) => Selection<T>,
): Outcome<Page<T>> {
  const errors: FieldError[] = [];
  const { page, query } = readFind(input, queryFields, errors);
  const { tests, source, sorted = false } = select(query, errors);
  if (errors.length > 0 || page === undefined) return invalid(errors);
  const items = source();
  return succeed(
    paginate(tests.length === 0 ? items : items.filter((item) => tests.every((t) => t(item))), page, sorted),
  );
}

export function findCredits(book: MapleBook, input: unknown): Outcome<Page<Credit>> {
  return find(input, CREDIT_QUERY, (q, e) => creditSelection(book, q, e));
}

export function findCreditLogs(book: MapleBook, input: unknown): Outcome<Page<CreditLog>> {
  return find(input, LOG_QUERY, (q, e) => logSelection(book, q, e));
}
