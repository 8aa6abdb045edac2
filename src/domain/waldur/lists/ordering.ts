import { Dec } from '../../money/decimal.js';
import type { CreditView, FilterSpec, OrderKey } from '../credit-view.js';
import type { BaseCredit } from '../model.js';
import { comparedRanks, numberRanks, sortByRanks, textRanks, type Ranks } from './order-ranks.js';
import { lastParam, type QueryParams } from '../query-params.js';

/** The `o` parameter: DRF's OrderingFilter over the spec's fields, with Waldur's NULL and tie rules. */
function allTerms(query: QueryParams): string[] {
  const raw = lastParam(query, 'o');
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The terms that decide the order: a key named again later (with either sign)
 * only breaks ties its first use left, and there are none, so it is dropped.
 * A list's sort then compares at most one column per ordering field, however long `o` is.
 */
function orderingTerms(query: QueryParams): string[] {
  const seen = new Set<string>();
  return allTerms(query).filter((term) => {
    const key = term.startsWith('-') ? term.slice(1) : term;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function validateOrdering(spec: FilterSpec, query: QueryParams): string | null {
  for (const term of allTerms(query)) {
    const key = term.startsWith('-') ? term.slice(1) : term;
    if (!Object.hasOwn(spec.ordering, key))
      return `Select a valid choice. ${term} is not one of the available choices.`;
  }
  return null;
}

/** The `o` parameter's terms, as a cache key. */
export function orderingKey(query: QueryParams): string {
  return orderingTerms(query).join(',');
}

/** One ordering field's ranks over the views (order-ranks.ts): kept by a list while its views stay. */
export type RanksOf = (key: OrderKey) => Ranks;

/**
 * Orders by `o` (stable: ties keep creation order). NULL end dates sort last
 * ascending, first descending. Each term's field becomes ranks (`ranksOf`,
 * which a list keeps, or made here), and the views are ordered by a radix
 * sort over them: no comparison callback per pair of views.
 */
export function applyOrdering<C extends BaseCredit>(
  spec: FilterSpec,
  query: QueryParams,
  views: CreditView<C>[],
  ranksOf: RanksOf = (key) => columnRanks(key, views),
): CreditView<C>[] {
  const order = orderIndexes(spec, query, views.length, ranksOf);
  if (order === null) return views;
  const out = new Array<CreditView<C>>(views.length);
  for (let i = 0; i < order.length; i++) out[i] = views[order[i]!]!;
  return out;
}

/** The positions of `n` views (in creation order) in the order of `o`; null when `o` names none. */
export function orderIndexes(spec: FilterSpec, query: QueryParams, n: number, ranksOf: RanksOf): Int32Array | null {
  const terms = orderingTerms(query);
  if (terms.length === 0) return null;
  const keys = terms.map((term) => {
    const desc = term.startsWith('-');
    const ranks = ranksOf(spec.ordering[desc ? term.slice(1) : term]!);
    return { ...ranks, desc };
  });
  return sortByRanks(n, keys);
}

/**
 * The order of `o` as a comparison of two views, 0 for ties: the order
 * applyOrdering sorts by, for placing one changed view in a kept order.
 */
export function viewComparator<C extends BaseCredit>(
  spec: FilterSpec,
  query: QueryParams,
): (a: CreditView<C>, b: CreditView<C>) => number {
  const terms = orderingTerms(query).map((term) => {
    const desc = term.startsWith('-');
    return { key: spec.ordering[desc ? term.slice(1) : term]!, sign: desc ? -1 : 1 };
  });
  return (a, b) => {
    for (const { key, sign } of terms) {
      const r = compareViews(key, a, b);
      if (r !== 0) return sign * r;
    }
    return 0;
  };
}

/** Two views by one ordering field (0 for equal values). */
export function compareViews(key: OrderKey, a: CreditView, b: CreditView): number {
  switch (key) {
    case 'customerName':
    case 'projectName':
      return compareText(a[key] ?? '', b[key] ?? '');
    case 'value':
    case 'expected_consumption': {
      const [x, y] = [a.credit[key], b.credit[key]];
      if (fitsDouble(x) && fitsDouble(y)) return compareNumbers(Number(x), Number(y));
      return new Dec(x).comparedTo(new Dec(y));
    }
    case 'end_date':
      return compareEndDates(a.credit.end_date, b.credit.end_date);
  }
}

/** The ranks of one ordering field over `views`, in the order compareViews gives. */
export function columnRanks(key: OrderKey, views: readonly CreditView[]): Ranks {
  switch (key) {
    case 'customerName':
    case 'projectName':
      return textRanks(views.map((v) => v[key] ?? ''));
    case 'value':
    case 'expected_consumption': {
      const texts = views.map((v) => v.credit[key]);
      if (texts.every(fitsDouble)) return numberRanks(Float64Array.from(texts, Number));
      return comparedRanks(
        texts.map((t) => new Dec(t)),
        (x, y) => x.comparedTo(y),
      );
    }
    case 'end_date':
      return comparedRanks(
        views.map((v) => v.credit.end_date),
        compareEndDates,
      );
  }
}

/** NULL after every date (so last ascending, first descending), as Waldur's database orders them. */
function compareEndDates(x: string | null, y: string | null): number {
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return x < y ? -1 : 1;
}

function compareNumbers(x: number, y: number): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** At most 15 significant digits: distinct such decimals are distinct doubles, in the same order. */
function fitsDouble(text: string): boolean {
  if (!PLAIN_DECIMAL.test(text)) return false;
  return text.length <= 15 || text.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length <= 15;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
