import { validationError, type FieldErrors } from './errors.js';
import type { BaseCredit } from './model.js';
import type { CreditFacts, CreditView, FilterSpec, TextField } from './credit-view.js';
import { validateOrdering } from './lists/ordering.js';
import { lastParam, type QueryParams } from './query-params.js';
import { dashedUuid, normalizeUuid } from './uuid.js';

export { lastParam, type QueryParams };

/** A view with every field present from the start: views of one shape are quick to read in a pass over all credits. */
export function creditView<C extends BaseCredit>(credit: C, facts: CreditFacts): CreditView<C> {
  return {
    credit,
    seq: credit.seq,
    customerUuid: facts.customerUuid,
    customerName: facts.customerName,
    customerSlug: facts.customerSlug,
    projectUuid: facts.projectUuid,
    projectName: facts.projectName,
    folded: {
      customerName: undefined,
      customerSlug: undefined,
      customerUuid: undefined,
      projectName: undefined,
      projectUuid: undefined,
    },
  };
}

/** Whether a kept view still holds the facts a fresh one would. */
function sameFacts(v: CreditView, facts: CreditFacts): boolean {
  return (
    v.customerUuid === facts.customerUuid &&
    v.customerName === facts.customerName &&
    v.customerSlug === facts.customerSlug &&
    v.projectUuid === facts.projectUuid &&
    v.projectName === facts.projectName
  );
}

/** Views kept per (immutable) credit record, made again only when the facts they hold have changed. */
export class KeptViews<C extends BaseCredit> {
  private readonly kept = new WeakMap<C, CreditView<C>>();

  of(credit: C, facts: CreditFacts): CreditView<C> {
    const v = this.kept.get(credit);
    if (v && sameFacts(v, facts)) return v;
    const fresh = creditView(credit, facts);
    this.kept.set(credit, fresh);
    return fresh;
  }
}

type Predicate<C extends BaseCredit> = (v: CreditView<C>) => boolean;

export type { CreditFacts, CreditView, FilterSpec, OrderKey, TextField } from './credit-view.js';

const lower = (s: string) => s.toLowerCase();

/**
 * A text field as the filters compare it: lower case, uuids in their dashed
 * form. Kept on the view, so a view that lives across requests is folded once.
 */
export function folded(v: CreditView, field: TextField): string | undefined {
  const kept = v.folded[field];
  if (kept !== undefined) return kept;
  const text = v[field];
  if (text === undefined) return undefined;
  return (v.folded[field] = field.endsWith('Uuid') ? dashedUuid(text) : lower(text));
}

/** One flag per creation sequence number: 1 where the view with that `seq` is admitted. */
export type SeqMarks = Uint8Array;

/**
 * A quicker answer to "`field` contains `needle`" (folded) over the views a
 * list is about to filter (text-index.ts); null where it has none.
 */
export type ContainsLookup = (field: TextField, needle: string) => SeqMarks | null;

/** The longest text filter value taken (`query`, `customer_name`, `project_name`, `customer_slug`; README: Limits). */
export const MAX_FILTER_TEXT = 1000;

/** Django's MaxLengthValidator message, for a text filter over MAX_FILTER_TEXT characters; null when it fits. */
function lengthError(raw: string): string[] | null {
  return raw.length > MAX_FILTER_TEXT
    ? [`Ensure this value has at most ${MAX_FILTER_TEXT} characters (it has ${raw.length}).`]
    : null;
}

/** django-filter's FilterSet: every bad parameter is reported, keyed by its name. */
export function buildFilter<C extends BaseCredit>(spec: FilterSpec, query: QueryParams): Predicate<C> {
  return filterParts<C>(spec, query).predicate;
}

/**
 * buildFilter, with the text filters answered by `lookup` where it can:
 * `required` then holds their marks, each one a condition every admitted
 * view meets (so a pass can skip the views they leave out unread), and
 * `rest` the other filters (null: none).
 */
export function filterParts<C extends BaseCredit>(
  spec: FilterSpec,
  query: QueryParams,
  lookup?: ContainsLookup,
): { predicate: Predicate<C>; required: SeqMarks[]; rest: Predicate<C> | null } {
  const required: SeqMarks[] = [];
  const others: Predicate<C>[] = [];
  const marked = (marks: SeqMarks): Predicate<C> => (required.push(marks), (v) => marks[v.seq] === 1);
  const predicates: Predicate<C>[] = [];
  // Every predicate not from marks is also one of `others`.
  const test = (p: Predicate<C>): Predicate<C> => (others.push(p), p);
  const errors: FieldErrors = {};
  for (const [param, field] of Object.entries(spec.uuid)) {
    const raw = lastParam(query, param);
    if (raw === undefined || raw === '') continue;
    const hex = normalizeUuid(raw);
    if (hex === null) errors[param] = ['Enter a valid UUID.'];
    else predicates.push(test((v) => v[field] === hex));
  }
  for (const [param, field] of Object.entries(spec.contains)) {
    const raw = lastParam(query, param);
    if (raw === undefined || raw === '') continue;
    const tooLong = lengthError(raw);
    if (tooLong) {
      errors[param] = tooLong;
      continue;
    }
    const needle = lower(raw);
    const marks = lookup?.(field, needle);
    predicates.push(marks ? marked(marks) : test((v) => (folded(v, field) ?? '').includes(needle)));
  }
  for (const [param, field] of Object.entries(spec.exact)) {
    const raw = lastParam(query, param);
    if (raw === undefined || raw === '') continue;
    const tooLong = lengthError(raw);
    if (tooLong) errors[param] = tooLong;
    else predicates.push(test((v) => v[field] === raw));
  }
  const search = lastParam(query, 'query');
  const searchTooLong = search === undefined ? null : lengthError(search);
  if (searchTooLong) errors.query = searchTooLong;
  else if (search !== undefined && search.trim() !== '') {
    const needle = lower(search.trim());
    const each = lookup ? spec.search.map((field) => lookup(field, needle)) : [];
    if (each.length > 0 && each.every((m) => m !== null)) predicates.push(marked(anyOf(each as SeqMarks[])));
    else predicates.push(test((v) => spec.search.some((field) => folded(v, field)?.includes(needle) === true)));
  }
  const orderError = validateOrdering(spec, query);
  if (orderError) errors.o = [orderError];
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return { predicate: allOf(predicates), required, rest: others.length === 0 ? null : allOf(others) };
}

/** The marks of views any of `all` marks. */
function anyOf(all: SeqMarks[]): SeqMarks {
  const out = new Uint8Array(Math.max(...all.map((m) => m.length)));
  for (const m of all) for (let i = 0; i < m.length; i++) out[i]! |= m[i]!;
  return out;
}

function allOf<C extends BaseCredit>(predicates: Predicate<C>[]): Predicate<C> {
  if (predicates.length === 0) return () => true;
  if (predicates.length === 1) return predicates[0]!;
  return (v) => {
    for (const p of predicates) if (!p(v)) return false;
    return true;
  };
}

/** Every parameter a list reads (filters, search, ordering), as a cache key. */
export function queryKey(spec: FilterSpec, query: QueryParams): string {
  const names = [...Object.keys(spec.uuid), ...Object.keys(spec.contains), ...Object.keys(spec.exact), 'query', 'o'];
  return JSON.stringify(names.map((n) => lastParam(query, n) ?? null));
}
