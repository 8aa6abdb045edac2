import { Dec } from '../money/decimal.js';
import { validationError, type FieldErrors } from './errors.js';
import type { BaseCredit } from './model.js';
import { dashedUuid, normalizeUuid } from './uuid.js';

/** Query parameters as received; a repeated parameter keeps its last value, as Django's QueryDict.get does. */
export type QueryParams = Record<string, string | string[] | undefined>;

export function lastParam(query: QueryParams, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** The facts about a credit that filters, search and ordering read. */
export interface CreditView<C extends BaseCredit = BaseCredit> {
  credit: C;
  customerUuid: string;
  customerName: string;
  customerSlug: string;
  projectUuid?: string;
  projectName?: string;
}

type Predicate<C extends BaseCredit> = (v: CreditView<C>) => boolean;

export interface FilterSpec {
  /** uuid filters (exact), keyed by parameter name → which view field. */
  uuid: Record<string, 'customerUuid' | 'projectUuid'>;
  /** icontains filters. */
  contains: Record<string, 'customerName' | 'projectName'>;
  /** exact filters. */
  exact: Record<string, 'customerSlug'>;
  /** fields `query` searches: text fields by icontains, uuid fields by their dashed text. */
  search: readonly ('customerName' | 'customerSlug' | 'customerUuid' | 'projectName' | 'projectUuid')[];
  ordering: Record<string, OrderKey>;
}

export type OrderKey = 'customerName' | 'projectName' | 'value' | 'end_date' | 'expected_consumption';

const lower = (s: string) => s.toLowerCase();

/** django-filter's FilterSet: every bad parameter is reported, keyed by its name. */
export function buildFilter<C extends BaseCredit>(spec: FilterSpec, query: QueryParams): Predicate<C> {
  const predicates: Predicate<C>[] = [];
  const errors: FieldErrors = {};
  for (const [param, field] of Object.entries(spec.uuid)) {
    const raw = lastParam(query, param);
    if (raw === undefined || raw === '') continue;
    const hex = normalizeUuid(raw);
    if (hex === null) errors[param] = ['Enter a valid UUID.'];
    else predicates.push((v) => v[field] === hex);
  }
  for (const [param, field] of Object.entries(spec.contains)) {
    const raw = lastParam(query, param);
    if (raw === undefined || raw === '') continue;
    const needle = lower(raw);
    predicates.push((v) => lower(v[field] ?? '').includes(needle));
  }
  for (const [param, field] of Object.entries(spec.exact)) {
    const raw = lastParam(query, param);
    if (raw === undefined || raw === '') continue;
    predicates.push((v) => v[field] === raw);
  }
  const search = lastParam(query, 'query');
  if (search !== undefined && search.trim() !== '') {
    const needle = lower(search.trim());
    predicates.push((v) =>
      spec.search.some((field) => {
        const text = v[field];
        if (text === undefined) return false;
        const haystack = field.endsWith('Uuid') ? dashedUuid(text) : lower(text);
        return haystack.includes(needle);
      }),
    );
  }
  const orderError = validateOrdering(spec, query);
  if (orderError) errors.o = [orderError];
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return (v) => predicates.every((p) => p(v));
}

function orderingTerms(query: QueryParams): string[] {
  const raw = lastParam(query, 'o');
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function validateOrdering(spec: FilterSpec, query: QueryParams): string | null {
  for (const term of orderingTerms(query)) {
    const key = term.startsWith('-') ? term.slice(1) : term;
    if (!(key in spec.ordering)) return `Select a valid choice. ${term} is not one of the available choices.`;
  }
  return null;
}

/** Orders by `o` (stable: ties keep creation order). NULL end dates sort last ascending, first descending. */
export function applyOrdering<C extends BaseCredit>(spec: FilterSpec, query: QueryParams, views: CreditView<C>[]): CreditView<C>[] {
  const terms = orderingTerms(query);
  if (terms.length === 0) return views;
  const comparators = terms.map((term) => {
    const desc = term.startsWith('-');
    const key = spec.ordering[desc ? term.slice(1) : term]!;
    const cmp = comparatorFor(key);
    return (a: CreditView<C>, b: CreditView<C>) => (desc ? -cmp(a, b) : cmp(a, b));
  });
  return [...views].sort((a, b) => {
    for (const c of comparators) {
      const r = c(a, b);
      if (r !== 0) return r;
    }
    return 0;
  });
}

function comparatorFor(key: OrderKey): (a: CreditView, b: CreditView) => number {
  switch (key) {
    case 'customerName':
    case 'projectName':
      return (a, b) => compareText(a[key] ?? '', b[key] ?? '');
    case 'value':
    case 'expected_consumption':
      return (a, b) => new Dec(a.credit[key]).comparedTo(b.credit[key]);
    case 'end_date':
      return (a, b) => {
        const x = a.credit.end_date;
        const y = b.credit.end_date;
        if (x === y) return 0;
        if (x === null) return 1;
        if (y === null) return -1;
        return x < y ? -1 : 1;
      };
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
