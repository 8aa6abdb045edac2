/**
 * A credit list as both viewsets serve it: visibility and filters over the
 * views in the requested order, through the list cache (list-cache.ts), with
 * the text filters answered from a search index over all the views
 * (text-index.ts) when a query is not kept yet.
 */
import {
  buildFilter,
  filterParts,
  queryKey,
  type ContainsLookup,
  type CreditView,
  type FilterSpec,
  type OrderKey,
  type QueryParams,
  type SeqMarks,
  type TextField,
} from '../filters.js';
import { orderIndexes, orderingKey, viewComparator } from './ordering.js';
import type { ListCache } from './list-cache.js';
import type { BaseCredit } from '../model.js';
import { KeptRanks } from './kept-ranks.js';
import { TextIndex } from './text-index.js';

/** What listCredits works on: the cache, the filters, and every listed view. */
export interface ListParts<C extends BaseCredit> {
  cache: ListCache<CreditView<C>, C>;
  spec: FilterSpec;
  /** Every listed credit's view, in creation order. */
  allViews(): CreditView<C>[];
}

/** Who asks, as the list reads it. */
export interface ListViewer<C extends BaseCredit> {
  /** A cache key: viewers with the same key see the same credits. */
  key: string;
  visible(v: CreditView<C>): boolean;
  /** Whether `visible` admits every listed credit (then it is not asked view by view). */
  seesAll: boolean;
}

/**
 * The views of the credits the viewer sees that match the query's filters,
 * in its order.
 * Ordering all views and then filtering gives the same list as the other way
 * round (the sort is stable).
 */
export function listCredits<C extends BaseCredit>(
  list: ListParts<C>,
  query: QueryParams,
  viewer: ListViewer<C>,
): readonly CreditView<C>[] {
  const { cache, spec } = list;
  const { visible } = viewer;
  const matches = buildFilter<C>(spec, query);
  const compare = viewComparator<C>(spec, query);
  const views = () => cache.allViews(() => list.allViews());
  const lookup: ContainsLookup = (field, needle) => textIndex(list, field).containing(needle);
  return cache.result(
    `${viewer.key}|${queryKey(spec, query)}`,
    () => {
      // The index answers for the views as they are now; a kept result is later patched with `matches`.
      const { rest, required } = filterParts<C>(spec, query, lookup);
      const key = orderingKey(query);
      // Each ordering field's ranks are kept while the views stay: a new combination of seen fields sorts in linear passes.
      const ranksOf = (field: OrderKey) => keptRanks(list, field).ranks();
      let sortedSeqs: Float64Array | null = null;
      const ordered = cache.ordered(
        key,
        () => {
          const all = views();
          const order = orderIndexes(spec, query, all.length, ranksOf);
          if (order === null) return all;
          const made = inOrder(all, order, allSeqs(list));
          sortedSeqs = made.seqs;
          return made.views;
        },
        compare,
      );
      // What the marks leave to test view by view: visibility (unless the viewer sees all) and the other filters.
      const keep = viewer.seesAll ? rest : rest === null ? visible : (v: CreditView<C>) => visible(v) && rest(v);
      if (required.length === 0) return collect(ordered, null, null, keep);
      // The sequence numbers of the order side by side: views the text filters leave out are not read at all.
      const seqs = cache.derive(`seqs:${key}`, () => sortedSeqs ?? Float64Array.from(ordered, (v) => v.seq));
      return collect(ordered, seqs, required, keep);
    },
    { compare, admits: (v) => visible(v) && matches(v) },
  );
}

/** Every view's sequence number, in creation order (kept while the views stay). */
function allSeqs<C extends BaseCredit>(list: ListParts<C>): Float64Array {
  const { cache } = list;
  return cache.derive('seqs:', () =>
    Float64Array.from(
      cache.allViews(() => list.allViews()),
      (v) => v.seq,
    ),
  );
}

/** The views (and their sequence numbers, read from the creation order's, in memory order) at the positions `order` gives. */
function inOrder<V>(all: readonly V[], order: Int32Array, seqs: Float64Array): { views: V[]; seqs: Float64Array } {
  const sortedSeqs = new Float64Array(order.length);
  const sorted = new Array<V>(order.length);
  for (let i = 0; i < order.length; i++) {
    sortedSeqs[i] = seqs[order[i]!]!;
    sorted[i] = all[order[i]!]!;
  }
  return { views: sorted, seqs: sortedSeqs };
}

/** The views of `ordered` that every marks admit (by `seqs`, side by side with them) and `keep` (null: all). */
function collect<V>(
  ordered: readonly V[],
  seqs: Float64Array | null,
  required: readonly SeqMarks[] | null,
  keep: ((v: V) => boolean) | null,
): V[] {
  if (seqs === null || required === null) return keep === null ? ordered.slice() : ordered.filter(keep);
  const found: V[] = [];
  const [marks, ...others] = required;
  for (let i = 0; i < seqs.length; i++) {
    const seq = seqs[i]!;
    if (marks![seq] !== 1 || (others.length > 0 && !others.every((m) => m[seq] === 1))) continue;
    const v = ordered[i]!;
    if (keep === null || keep(v)) found.push(v);
  }
  return found;
}

/** An index that answers nothing: where TextIndex declines (the filters then test each view). */
const DECLINED = { containing: () => null, taken: () => true, placed: () => true };

/** The search index of one text field over the list's views, following their changes. */
function textIndex<C extends BaseCredit>(list: ListParts<C>, field: TextField): Pick<TextIndex, 'containing'> {
  const { cache } = list;
  return cache.follow(
    `text:${field}`,
    () =>
      TextIndex.of(
        cache.allViews(() => list.allViews()),
        field,
      ) ?? DECLINED,
  );
}

/** One ordering field's ranks over the list's views, following their changes. */
function keptRanks<C extends BaseCredit>(list: ListParts<C>, field: OrderKey): KeptRanks {
  const { cache } = list;
  return cache.follow(`ranks:${field}`, () =>
    KeptRanks.of(
      field,
      cache.allViews(() => list.allViews()),
    ),
  );
}

/**
 * Makes what a list's first requests would: the views, every ordering
 * field's ranks and every text field's search index (at start and import, so
 * that no request pays for them), and runs the passes a list makes over all
 * views once, so that the first request finds them compiled.
 */
export function warmList<C extends BaseCredit>(list: ListParts<C>): void {
  const { spec } = list;
  const fields = [...new Set(Object.values(spec.ordering))];
  for (const field of fields) keptRanks(list, field);
  const texts = [...new Set<TextField>([...Object.values(spec.contains), ...spec.search])];
  const marks = texts.map((field) => textIndex(list, field).containing('a'));
  const all = list.cache.allViews(() => list.allViews());
  const o = fields.map(
    (f, i) => `${i % 2 === 0 ? '-' : ''}${Object.keys(spec.ordering).find((k) => spec.ordering[k] === f)}`,
  );
  for (let round = 0; round < 2; round++) {
    const order = orderIndexes(spec, { o: o.join(',') }, all.length, (field) => keptRanks(list, field).ranks());
    if (order === null) return;
    const { views, seqs } = inOrder(all, order, allSeqs(list));
    const found = marks.filter((m) => m !== null);
    collect(views, seqs, found.length > 0 ? found : null, (v) => v.seq >= 0);
    o.push(o.shift()!);
  }
}
